// Residents' page: floods and air quality for the resident's area. Plain JS, no build step, no inline styles.
// Reads GET /api/zones, /api/sensors?kind=water_level and /api/air-quality (shapes: docs/architecture.md) and
// tolerates fields a silo may not send yet (freshness, alarmLevels, nextAlarm, lastLevelM).
'use strict';
(function () {
  var POLL_MS = 30000;
  var STALE_FALLBACK_MS = 30 * 60000; // when the API gives no freshness: 3 × the longest reporting interval (10 min)
  var C = window.ResilienceCharts;
  // VN_AQI bands, QĐ 1459/QĐ-TCMT Bảng 1 (DOMAIN.md §1.1): upper bound, colour, names, advice.
  var BANDS = [
    { max: 50, key: 'good', cls: 'b1', color: '#00e400', vi: 'Tốt', en: 'Good',
      adviceVi: 'Không khí tốt: mọi người tự do hoạt động ngoài trời.',
      adviceEn: 'Air is good: everyone can enjoy outdoor activities.' },
    { max: 100, key: 'moderate', cls: 'b2', color: '#ffff00', vi: 'Trung bình', en: 'Moderate',
      adviceVi: 'Mọi người hoạt động bình thường. Người nhạy cảm nên theo dõi các triệu chứng như ho hoặc khó thở.',
      adviceEn: 'Everyone can be active outdoors. Sensitive people should watch for coughing or shortness of breath.' },
    { max: 150, key: 'poor', cls: 'b3', color: '#ff7e00', vi: 'Kém', en: 'Poor',
      adviceVi: 'Người có triệu chứng nên giảm hoạt động ngoài trời. Người nhạy cảm nên giảm vận động mạnh và thời gian ở ngoài trời.',
      adviceEn: 'People with symptoms should cut outdoor activity. Sensitive groups should reduce strenuous activity and time outdoors.' },
    { max: 200, key: 'bad', cls: 'b4', color: '#ff0000', vi: 'Xấu', en: 'Bad',
      adviceVi: 'Mọi người nên giảm vận động mạnh, ở trong nhà nhiều hơn. Người nhạy cảm nên ở trong nhà, đeo khẩu trang khi ra ngoài.',
      adviceEn: 'Everyone should reduce strenuous activity and stay indoors more. Sensitive groups should stay in and wear a mask outside.' },
    { max: 300, key: 'very-bad', cls: 'b5', color: '#8f3f97', vi: 'Rất xấu', en: 'Very bad',
      adviceVi: 'Cảnh báo sức khỏe: mọi người hạn chế tối đa ra ngoài, đeo khẩu trang. Người nhạy cảm ở trong nhà.',
      adviceEn: 'Health warning: everyone should minimise time outdoors and wear a mask. Sensitive groups should stay indoors.' },
    { max: Infinity, key: 'hazardous', cls: 'b6', color: '#7e0023', vi: 'Nguy hại', en: 'Hazardous',
      adviceVi: 'Khẩn cấp về sức khỏe: mọi người ở trong nhà, đóng kín cửa, đeo khẩu trang khi ra ngoài.',
      adviceEn: 'Health emergency: everyone stay indoors with doors and windows shut; wear a mask outside.' }
  ];
  var US_NAMES = {
    vi: ['Tốt', 'Trung bình', 'Có hại cho nhóm nhạy cảm', 'Có hại', 'Rất có hại', 'Nguy hiểm'],
    en: ['Good', 'Moderate', 'Unhealthy for sensitive groups', 'Unhealthy', 'Very unhealthy', 'Hazardous']
  };
  // Flood levels 0–3 (zone and gauge alarms): colours as on the console, names and plain advice.
  var LEVELS = [
    { color: '#9fd89f', vi: 'Bình thường', en: 'Normal' },
    { color: '#ffe14d', vi: 'Báo động I', en: 'Alarm I',
      adviceVi: 'Nước sông đang lên. Theo dõi tin tức và chuẩn bị sẵn đồ dùng cần thiết.',
      adviceEn: 'The river is rising. Follow the news and get essentials ready.' },
    { color: '#ff9a3c', vi: 'Báo động II', en: 'Alarm II',
      adviceVi: 'Vùng trũng ven sông có thể bị ngập. Kê cao tài sản; tránh đi qua đường ngập, ngầm và tràn.',
      adviceEn: 'Low-lying riverside areas may flood. Move belongings up; avoid flooded roads, fords and spillways.' },
    { color: '#e02020', vi: 'Báo động III', en: 'Alarm III',
      adviceVi: 'Nguy cơ ngập sâu. Sẵn sàng sơ tán theo hướng dẫn của chính quyền địa phương.',
      adviceEn: 'Deep flooding is likely. Be ready to evacuate when the local authorities say so.' }
  ];
  var ROMAN = ['', 'I', 'II', 'III'];
  var POLLUTANTS = { pm25: 'PM2.5', pm10: 'PM10', o3: 'O₃', no2: 'NO₂', so2: 'SO₂', co: 'CO' };
  var TEXT = {
    vi: {
      title: 'Ngập lụt và không khí', skip: 'Bỏ qua, đến nội dung chính', province: 'Tỉnh / thành phố', areaPick: 'Khu vực của bạn',
      loading: 'Đang tải…', yourArea: 'Khu vực của bạn lúc này', flood: 'Lũ', air: 'Không khí', gauges: 'Trạm đo mực nước gần nhất',
      map: 'Bản đồ', mapLabel: 'Bản đồ {p}: {z} vùng ngập tô màu theo mức báo động, {s} trạm không khí tô màu theo VN_AQI',
      zones: 'Các vùng ngập trong tỉnh', areas: 'Theo khu vực', areasCaption: 'Chỉ số VN_AQI cao nhất của mỗi khu vực',
      area: 'Khu vực', level: 'Mức', stations: 'Các trạm quan trắc không khí', legend: 'Chú giải',
      legendAqi: 'VN_AQI', legendFlood: 'Mức lũ', legendStale: 'Không có dữ liệu mới',
      source: 'Nguồn: trạm đo của tỉnh. Mức báo động lũ theo từng trạm thủy văn; VN_AQI theo Quyết định 1459/QĐ-TCMT, US AQI theo US EPA.',
      dominant: 'Chất ô nhiễm chính', updated: 'Cập nhật', advice: 'Khuyến cáo', details: 'Các chỉ số thành phần',
      pollutant: 'Chất', value: 'Nồng độ (µg/m³)', subIndex: 'Chỉ số', none: 'Chưa có dữ liệu', noData: 'chưa có dữ liệu',
      stale: 'không có dữ liệu mới từ {t}', noStations: 'Chưa có trạm không khí nào trong tỉnh này.',
      noZonesArea: 'Khu vực này không có vùng theo dõi lũ.', noFlood: 'Không có cảnh báo lũ cho {a}.',
      floodAt: '{l} tại {z}.', floodStale: 'Không có dữ liệu mực nước mới cho {z} từ {t}: không biết tình hình hiện tại.',
      floodNever: 'Chưa có dữ liệu mực nước cho {z}.',
      eta: 'Nước đang lên {r} m/giờ: có thể tới {l} trong khoảng {d}.', etaSoon: 'Nước đang lên {r} m/giờ: có thể tới {l} trong vòng 5 phút.',
      airNone: 'Chưa có trạm không khí có số liệu mới ở khu vực này.', airAt: 'VN_AQI {v} ({b}) tại trạm {s}.',
      above: 'trên {l} ({m} m)', below: 'dưới {l} ({m} m)', at: 'ở mức {l}', belowName: 'dưới {l}', and: ', ',
      rising: 'đang lên {r} m/giờ', falling: 'đang xuống {r} m/giờ', levelsUnverified: 'mức báo động chưa được xác minh',
      updatedAt: 'Đã cập nhật lúc ', checkedAt: 'Kiểm tra lần cuối: ', error: 'Không tải được dữ liệu; sẽ thử lại sau 30 giây.',
      chart: 'VN_AQI 24 giờ qua: thấp nhất {min}, cao nhất {max}, mới nhất {now}', nochart: 'Chưa có dữ liệu 24 giờ qua',
      stationsCount: '{n} trạm không khí, {z} vùng ngập', pageTitle: 'Ngập lụt và không khí — Resilience',
      h: ' giờ', min: ' phút', km: 'cách {d} km'
    },
    en: {
      title: 'Floods and air quality', skip: 'Skip to main content', province: 'Province / city', areaPick: 'Your area',
      loading: 'Loading…', yourArea: 'Your area now', flood: 'Floods', air: 'Air', gauges: 'Nearest water-level gauges',
      map: 'Map', mapLabel: 'Map of {p}: {z} flood zones coloured by alarm level, {s} air stations coloured by VN_AQI',
      zones: 'Flood zones in the province', areas: 'By area', areasCaption: 'Highest VN_AQI in each area',
      area: 'Area', level: 'Level', stations: 'Air-quality stations', legend: 'Legend',
      legendAqi: 'VN_AQI', legendFlood: 'Flood level', legendStale: 'No recent data',
      source: 'Source: the province\'s gauges and stations. Flood alarm levels are each hydrological station\'s own; VN_AQI per Decision 1459/QĐ-TCMT, US AQI per US EPA.',
      dominant: 'Dominant pollutant', updated: 'Updated', advice: 'Advice', details: 'Sub-indices',
      pollutant: 'Pollutant', value: 'Concentration (µg/m³)', subIndex: 'Sub-index', none: 'No data yet', noData: 'no data yet',
      stale: 'no recent data since {t}', noStations: 'No air-quality station in this province yet.',
      noZonesArea: 'No flood zone is monitored in this area.', noFlood: 'No flood warning for {a}.',
      floodAt: '{l} at {z}.', floodStale: 'No recent water-level data for {z} since {t}: the current situation is unknown.',
      floodNever: 'No water-level data for {z} yet.',
      eta: 'Water rising at {r} m/h: may reach {l} in about {d}.', etaSoon: 'Water rising at {r} m/h: may reach {l} within 5 minutes.',
      airNone: 'No air station with recent data in this area.', airAt: 'VN_AQI {v} ({b}) at {s}.',
      above: 'above {l} ({m} m)', below: 'below {l} ({m} m)', at: 'at {l}', belowName: 'below {l}', and: ', ',
      rising: 'rising {r} m/h', falling: 'falling {r} m/h', levelsUnverified: 'alarm levels not verified',
      updatedAt: 'Updated at ', checkedAt: 'Last checked: ', error: 'Could not load the data; retrying in 30 seconds.',
      chart: 'VN_AQI over the last 24 hours: lowest {min}, highest {max}, latest {now}', nochart: 'No data for the last 24 hours',
      stationsCount: '{n} air stations, {z} flood zones', pageTitle: 'Floods and air quality — Resilience',
      h: ' h', min: ' min', km: '{d} km away'
    }
  };

  var lang = readStored('res.lang', readStored('aq.lang', 'vi')) === 'en' ? 'en' : 'vi';
  var query = new URLSearchParams(location.search);
  var province = query.get('province') || readStored('res.province', readStored('aq.province', 'danang'));
  var area = query.get('area') || readStored('res.area.' + province, '');
  var air = [], zones = [], sensors = [];
  var lastOk = null, timer = 0, inflight = null, announced = '';

  function readStored(key, fallback) { try { return localStorage.getItem(key) || fallback; } catch (e) { return fallback; } }
  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ } }
  function t(key, vars) {
    var s = TEXT[lang][key];
    Object.keys(vars || {}).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
    return s;
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function num(v) { return typeof v === 'number' && isFinite(v); }
  function ms(ts) { var d = ts ? Date.parse(ts) : NaN; return isNaN(d) ? null : d; }
  function bandOf(aqi) {
    if (!num(aqi)) { return null; }
    for (var i = 0; i < BANDS.length; i++) { if (aqi <= BANDS[i].max) { return BANDS[i]; } }
    return BANDS[BANDS.length - 1];
  }
  function local(msValue, withDate) {
    var o = { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Ho_Chi_Minh' };
    var time = new Date(msValue).toLocaleTimeString('en-GB', o);
    if (!withDate) { return time; }
    var date = new Date(msValue).toLocaleDateString('en-GB', { day: '2-digit', month: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });
    return time + ' ' + date;
  }
  // "HH:mm", with the day when it is not today's (local time).
  function since(msValue) {
    var day = function (x) { return new Date(x).toLocaleDateString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' }); };
    return local(msValue, day(msValue) !== day(Date.now()));
  }
  function duration(seconds) {
    var m = Math.max(5, Math.round(seconds / 300) * 5);
    var h = Math.floor(m / 60);
    m = m % 60;
    return (h ? h + t('h') + (m ? ' ' : '') : '') + (m ? m + t('min') : '');
  }
  function metres(v) { return v.toFixed(2); }

  // Freshness: the API's word when it gives one, else judged here from the reading's age.
  function stationFreshness(s) {
    if (typeof s.freshness === 'string') { return s.freshness; }
    var u = ms(s.updated);
    if (u === null) { return 'never'; }
    return Date.now() - u > STALE_FALLBACK_MS ? 'stale' : 'current';
  }
  function sensorOf(id) { for (var i = 0; i < sensors.length; i++) { if (sensors[i].id === id) { return sensors[i]; } } return null; }
  function gaugeFreshness(g) {
    if (typeof g.freshness === 'string') { return g.freshness; }
    var u = ms(g.ts);
    if (u === null || !num(g.levelM)) { return 'never'; }
    var s = sensorOf(g.id);
    var limit = s && num(s.staleAfterSeconds) ? s.staleAfterSeconds * 1000 : STALE_FALLBACK_MS;
    if (s && s.freshness) { return s.freshness; }
    if (s && Array.isArray(s.flags) && s.flags.indexOf('stale') >= 0) { return 'stale'; }
    return Date.now() - u > limit ? 'stale' : 'current';
  }
  function zoneFreshness(z) {
    if (typeof z.freshness === 'string') { return z.freshness; }
    var states = (z.gauges || []).map(gaugeFreshness);
    if (states.indexOf('current') >= 0) { return 'current'; }
    return states.indexOf('stale') >= 0 ? 'stale' : 'never';
  }
  function gaugeLastTs(g) { return ms(g.ts); }
  function zoneLastTs(z) {
    var best = null;
    (z.gauges || []).forEach(function (g) { var x = ms(g.ts); if (x !== null && (best === null || x > best)) { best = x; } });
    return best !== null ? best : ms(z.updated);
  }
  function alarmLevels(g) {
    var a = g.alarmLevels || {};
    return [null, num(a.i) ? a.i : num(a.I) ? a.I : null, num(a.ii) ? a.ii : num(a.II) ? a.II : null, num(a.iii) ? a.iii : num(a.III) ? a.III : null];
  }
  function levelName(n) { return lang === 'en' ? LEVELS[n].en.replace('Alarm', 'alarm') : LEVELS[n].vi.replace('Báo', 'báo'); }

  // "2.31 m — below alarm I (2.5 m)"; the API's alarm number alone when it gives no thresholds.
  function gaugeWords(g) {
    var f = gaugeFreshness(g);
    if (f === 'never') { return t('noData'); }
    if (f !== 'current') { return t('stale', { t: since(gaugeLastTs(g)) }); }
    var level = g.levelM;
    var th = alarmLevels(g);
    var parts = [];
    var alarm = 0;
    for (var i = 1; i <= 3; i++) { if (num(th[i]) && level >= th[i]) { alarm = i; } }
    var known = num(th[1]) || num(th[2]) || num(th[3]);
    if (!known) { alarm = num(g.alarm) ? g.alarm : 0; }
    if (alarm > 0) {
      parts.push(num(th[alarm]) ? t('above', { l: levelName(alarm), m: th[alarm] }) : t('at', { l: levelName(alarm) }));
    }
    if (alarm < 3) {
      parts.push(num(th[alarm + 1]) ? t('below', { l: levelName(alarm + 1), m: th[alarm + 1] }) : t('belowName', { l: levelName(alarm + 1) }));
    }
    return metres(level) + ' m — ' + parts.join(t('and'));
  }
  function etaWords(next) {
    if (!next || !num(next.etaSeconds) || !num(next.level)) { return ''; }
    var vars = { r: num(next.rateMPerHour) ? next.rateMPerHour.toFixed(2) : '?', l: levelName(next.level), d: duration(next.etaSeconds) };
    return next.etaSeconds < 300 ? t('etaSoon', vars) : t('eta', vars);
  }

  function areasOf() {
    var set = {};
    zones.forEach(function (z) { if (z.area) { set[z.area] = true; } });
    air.forEach(function (s) { if (s.area) { set[s.area] = true; } });
    return Object.keys(set).sort(function (a, b) { return a.localeCompare(b, 'vi'); });
  }
  function centreOf(a) {
    var pts = [];
    zones.forEach(function (z) { if (z.area === a) { (z.polygon || []).forEach(function (p) { pts.push(p); }); } });
    if (!pts.length) { air.forEach(function (s) { if (s.area === a && num(s.lat)) { pts.push([s.lat, s.lon]); } }); }
    if (!pts.length) { sensors.forEach(function (s) { if (s.area === a && num(s.lat)) { pts.push([s.lat, s.lon]); } }); }
    if (!pts.length) { return null; }
    return [pts.reduce(function (m, p) { return m + p[0]; }, 0) / pts.length, pts.reduce(function (m, p) { return m + p[1]; }, 0) / pts.length];
  }
  function km(a, b) {
    var k = Math.PI / 180, dLat = (b[0] - a[0]) * k, dLon = (b[1] - a[1]) * k * Math.cos(((a[0] + b[0]) / 2) * k);
    return 6371 * Math.sqrt(dLat * dLat + dLon * dLon);
  }
  // Every gauge of the province with its zone's view of it and its registry position.
  function gauges() {
    var list = [];
    zones.forEach(function (z) {
      (z.gauges || []).forEach(function (g) {
        var s = sensorOf(g.id);
        list.push({ g: g, zone: z, lat: s ? s.lat : null, lon: s ? s.lon : null });
      });
    });
    return list;
  }
  function nearestGauges(a, n) {
    var centre = centreOf(a);
    var list = gauges();
    list.forEach(function (x) { x.km = centre && num(x.lat) ? km(centre, [x.lat, x.lon]) : Infinity; x.own = x.zone.area === a; });
    list.sort(function (x, y) { return (y.own - x.own) || (x.km - y.km); });
    return list.slice(0, n);
  }

  function renderAreaPicker() {
    var select = document.getElementById('area');
    var list = areasOf();
    if (!list.length) { select.replaceChildren(); return; }
    if (list.indexOf(area) < 0) {
      // First visit (or an area from another province): the most affected area, so a warning is never hidden.
      var worst = zones.slice().sort(function (x, y) { return (y.level || 0) - (x.level || 0); })[0];
      area = worst && worst.level > 0 && worst.area ? worst.area : list[0];
    }
    var frag = document.createDocumentFragment();
    list.forEach(function (a) { var o = el('option', null, a); o.value = a; frag.appendChild(o); });
    select.replaceChildren(frag);
    select.value = area;
  }

  function renderSummary() {
    var box = document.getElementById('summary');
    var floodBox = el('div', 'verdict');
    floodBox.setAttribute('data-part', 'flood');
    floodBox.appendChild(el('h3', null, t('flood')));
    var mine = zones.filter(function (z) { return z.area === area; });
    var worstLevel = 0;
    if (!mine.length) {
      floodBox.appendChild(el('p', null, t('noZonesArea')));
    } else {
      var ok = true;
      mine.sort(function (x, y) { return (y.level || 0) - (x.level || 0); }).forEach(function (z) {
        var f = zoneFreshness(z);
        var p = el('p', 'warning');
        p.setAttribute('data-zone', z.id);
        p.setAttribute('data-freshness', f);
        if (f === 'never') {
          p.textContent = t('floodNever', { z: z.name });
          ok = false;
        } else if (f !== 'current') {
          p.textContent = t('floodStale', { z: z.name, t: since(zoneLastTs(z)) });
          p.className = 'warning stale';
          ok = false;
        } else if ((z.level || 0) > 0) {
          var lv = Math.min(3, z.level);
          worstLevel = Math.max(worstLevel, lv);
          p.className = 'warning z' + lv;
          p.appendChild(el('strong', null, t('floodAt', { l: LEVELS[lv][lang], z: z.name }) + ' '));
          p.appendChild(document.createTextNode(LEVELS[lv][lang === 'vi' ? 'adviceVi' : 'adviceEn']));
          var eta = etaWords(z.nextAlarm);
          if (eta) { var e = el('span', 'eta', ' ' + eta); e.setAttribute('data-field', 'eta'); p.appendChild(e); }
          ok = false;
        } else {
          return;
        }
        floodBox.appendChild(p);
      });
      if (ok) { var none = el('p', 'warning z0', t('noFlood', { a: area })); none.setAttribute('data-freshness', 'current'); floodBox.appendChild(none); }
    }
    floodBox.className = 'verdict z' + worstLevel;

    var airBox = el('div', 'verdict');
    airBox.setAttribute('data-part', 'air');
    airBox.appendChild(el('h3', null, t('air')));
    var current = air.filter(function (s) { return stationFreshness(s) === 'current' && num(s.vnAqi); });
    var inArea = current.filter(function (s) { return s.area === area; });
    var centre = centreOf(area);
    var pick = inArea.sort(function (x, y) { return y.vnAqi - x.vnAqi; })[0]
      || (centre ? current.slice().sort(function (x, y) { return km(centre, [x.lat, x.lon]) - km(centre, [y.lat, y.lon]); })[0] : null);
    if (pick) {
      var band = bandOf(pick.vnAqi);
      var p = el('p', 'chip-line');
      var chip = el('span', 'chip ' + band.cls, pick.vnAqi);
      p.appendChild(chip);
      p.appendChild(document.createTextNode(' ' + t('airAt', { v: pick.vnAqi, b: (pick.band && pick.band[lang]) || band[lang], s: pick.name })
        + (pick.area !== area && centre ? ' (' + t('km', { d: km(centre, [pick.lat, pick.lon]).toFixed(0) }) + ')' : '')));
      airBox.appendChild(p);
      airBox.appendChild(el('p', 'advice', band[lang === 'vi' ? 'adviceVi' : 'adviceEn']));
    } else {
      airBox.appendChild(el('p', null, t('airNone')));
    }
    box.replaceChildren(floodBox, airBox);

    var ul = document.getElementById('gauges');
    var frag = document.createDocumentFragment();
    nearestGauges(area, 3).forEach(function (x) {
      var g = x.g;
      var li = el('li', 'gauge');
      li.setAttribute('data-gauge', g.id);
      var f = gaugeFreshness(g);
      li.setAttribute('data-freshness', f);
      var title = el('strong', null, g.name || g.id);
      li.appendChild(title);
      if (num(x.km) && x.km !== Infinity) { li.appendChild(el('span', 'muted', ' · ' + t('km', { d: x.km.toFixed(1) }))); }
      var words = el('p', 'level ' + (f === 'current' ? 'z' + Math.min(3, g.alarm || 0) : 'stale'), gaugeWords(g));
      words.setAttribute('data-field', 'level');
      li.appendChild(words);
      var extra = [];
      if (f === 'current' && num(g.riseMPerHour) && Math.abs(g.riseMPerHour) >= 0.01) {
        extra.push(t(g.riseMPerHour > 0 ? 'rising' : 'falling', { r: Math.abs(g.riseMPerHour).toFixed(2) }));
      }
      var eta = f === 'current' ? etaWords(g.nextAlarm) : '';
      if (eta) { extra.push(eta); }
      var verified = g.alarmLevels ? g.alarmLevels.verified : g.verified;
      if (verified === false) { extra.push(t('levelsUnverified')); }
      if (f === 'current' && ms(g.ts) !== null) { extra.push(t('updated') + ' ' + since(ms(g.ts))); }
      if (extra.length) { li.appendChild(el('p', 'muted', extra.join(' · '))); }
      frag.appendChild(li);
    });
    ul.replaceChildren(frag);
  }

  // The map: zone polygons and air stations in their colours, projected from the registry's coordinates (no tiles,
  // so it works offline). Equirectangular with the latitude's cosine: exact enough at a province's scale.
  function renderMap() {
    var box = document.getElementById('map');
    var pts = [];
    zones.forEach(function (z) { (z.polygon || []).forEach(function (p) { pts.push(p); }); });
    air.forEach(function (s) { if (num(s.lat)) { pts.push([s.lat, s.lon]); } });
    gauges().forEach(function (x) { if (num(x.lat)) { pts.push([x.lat, x.lon]); } });
    if (!pts.length) { box.replaceChildren(); return; }
    var minLat = Infinity, maxLat = -Infinity, minLon = Infinity, maxLon = -Infinity;
    pts.forEach(function (p) { minLat = Math.min(minLat, p[0]); maxLat = Math.max(maxLat, p[0]); minLon = Math.min(minLon, p[1]); maxLon = Math.max(maxLon, p[1]); });
    var cos = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
    var spanX = Math.max(0.02, (maxLon - minLon) * cos), spanY = Math.max(0.02, maxLat - minLat);
    var W = 600, pad = 24, scale = (W - 2 * pad) / spanX, H = Math.min(480, Math.max(260, spanY * scale + 2 * pad));
    scale = Math.min(scale, (H - 2 * pad) / spanY);
    var ox = (W - spanX * scale) / 2, oy = (H - spanY * scale) / 2;
    function x(lon) { return (ox + (lon - minLon) * cos * scale).toFixed(1); }
    function y(lat) { return (oy + (maxLat - lat) * scale).toFixed(1); }
    var svg = C.node('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'map', role: 'img',
      'aria-label': t('mapLabel', { p: document.getElementById('province').selectedOptions[0].textContent, z: zones.length, s: air.length }) });
    svg.appendChild(C.node('rect', { x: 0, y: 0, width: W, height: H, fill: '#eef3f6' }));
    var gz = C.node('g', { class: 'zones' });
    zones.forEach(function (z) {
      var f = zoneFreshness(z), lv = f === 'current' ? Math.max(0, Math.min(3, z.level || 0)) : -1;
      var poly = C.node('polygon', {
        points: (z.polygon || []).map(function (p) { return x(p[1]) + ',' + y(p[0]); }).join(' '),
        fill: lv < 0 ? '#c8c8c8' : LEVELS[lv].color, 'fill-opacity': '0.75',
        stroke: z.area === area ? '#000' : '#555', 'stroke-width': z.area === area ? 3 : 1,
        class: 'zone-shape', 'data-zone': z.id, 'data-level': lv < 0 ? f : String(lv), 'data-area': z.area || '', tabindex: '0'
      });
      poly.appendChild(C.node('title', {}, z.name + ': ' + (lv < 0 ? t('legendStale') : LEVELS[lv][lang])));
      gz.appendChild(poly);
    });
    svg.appendChild(gz);
    var gg = C.node('g', { class: 'gauges' });
    gauges().forEach(function (o) {
      if (!num(o.lat)) { return; }
      var f = gaugeFreshness(o.g);
      var mark = C.node('rect', { x: +x(o.lon) - 5, y: +y(o.lat) - 5, width: 10, height: 10, transform: 'rotate(45 ' + x(o.lon) + ' ' + y(o.lat) + ')',
        fill: f === 'current' ? LEVELS[Math.min(3, o.g.alarm || 0)].color : '#c8c8c8', stroke: '#003', 'stroke-width': 1.5, class: 'gauge-mark', 'data-gauge': o.g.id });
      mark.appendChild(C.node('title', {}, (o.g.name || o.g.id) + ': ' + gaugeWords(o.g)));
      gg.appendChild(mark);
    });
    svg.appendChild(gg);
    var gs = C.node('g', { class: 'stations' });
    air.forEach(function (s) {
      if (!num(s.lat)) { return; }
      var f = stationFreshness(s), band = f === 'current' ? bandOf(s.vnAqi) : null;
      var g = C.node('g', { class: 'station-mark', 'data-station': s.sensorId, 'data-band': band ? band.key : f });
      g.appendChild(C.node('circle', { cx: x(s.lon), cy: y(s.lat), r: 13, fill: band ? band.color : '#ffffff', stroke: band ? '#222' : '#777', 'stroke-width': 1.5, 'stroke-dasharray': band ? '' : '3 2' }));
      g.appendChild(C.node('text', { x: x(s.lon), y: +y(s.lat) + 4, 'text-anchor': 'middle', class: 'mark-text', fill: band && BANDS.indexOf(band) >= 4 ? '#fff' : '#000' }, band ? s.vnAqi : '?'));
      g.appendChild(C.node('title', {}, s.name + ': ' + (band ? 'VN_AQI ' + s.vnAqi + ' (' + band[lang] + ')' : f === 'never' ? t('noData') : t('stale', { t: since(ms(s.updated)) }))));
      gs.appendChild(g);
    });
    svg.appendChild(gs);
    box.replaceChildren(svg);

    var legend = document.getElementById('legend');
    var frag = document.createDocumentFragment();
    var lo = 0;
    frag.appendChild(el('li', 'legend-head', t('legendFlood') + ':'));
    LEVELS.forEach(function (l, i) { var li = el('li', 'z' + i, l[lang]); frag.appendChild(li); });
    frag.appendChild(el('li', 'legend-head', t('legendAqi') + ':'));
    BANDS.forEach(function (b) {
      var hi = b.max === Infinity ? 500 : b.max;
      frag.appendChild(el('li', b.cls, lo + '–' + hi + ' ' + b[lang]));
      lo = hi + 1;
    });
    frag.appendChild(el('li', 'b0', t('legendStale')));
    legend.replaceChildren(frag);
  }

  function renderZones() {
    var ul = document.getElementById('zones');
    var frag = document.createDocumentFragment();
    zones.slice().sort(function (a, b) { return (b.level || 0) - (a.level || 0) || String(a.name).localeCompare(String(b.name), 'vi'); }).forEach(function (z) {
      var f = zoneFreshness(z), lv = Math.max(0, Math.min(3, z.level || 0));
      var li = el('li', 'zone ' + (f === 'current' ? 'z' + lv : 'stale'));
      li.setAttribute('data-zone', z.id);
      li.appendChild(el('h3', null, z.name));
      var state = el('p', null, f === 'current' ? LEVELS[lv][lang] : f === 'never' ? t('noData') : t('stale', { t: since(zoneLastTs(z)) }));
      state.setAttribute('data-field', 'level');
      li.appendChild(state);
      li.appendChild(el('p', 'muted', z.area || ''));
      frag.appendChild(li);
    });
    ul.replaceChildren(frag);
  }

  function chart(s) {
    var points = (s.history || []).map(function (h) { return { ts: ms(h.ts), v: h.vnAqi }; }).filter(function (p) { return p.ts !== null && num(p.v); });
    var present = points.map(function (p) { return p.v; });
    var label = present.length
      ? t('chart', { min: Math.min.apply(null, present), max: Math.max.apply(null, present), now: present[present.length - 1] })
      : t('nochart');
    return C.bars({ points: points, bands: BANDS, unit: 'VN_AQI', label: label, hours: 24, to: Date.now(), cls: 'chart' });
  }

  function stationItem(s) {
    var f = stationFreshness(s);
    var band = f === 'current' ? bandOf(s.vnAqi) : null;
    var li = el('li', 'station');
    li.setAttribute('data-sensor', s.sensorId);
    li.setAttribute('data-freshness', f);
    var headingId = 'st-' + s.sensorId;
    li.setAttribute('aria-labelledby', headingId);
    var h = el('h3', null, s.name || s.sensorId);
    h.id = headingId;
    li.appendChild(h);
    li.appendChild(el('p', 'area', s.area || ''));
    var aqi = el('p', 'aqi');
    var n = el('span', 'num ' + (band ? band.cls : 'b0'), band ? s.vnAqi : '–');
    n.setAttribute('data-field', 'vnAqi');
    var label = el('span');
    var name = el('span', 'band', band ? ((s.band && s.band[lang]) || band[lang]) : f === 'never' ? t('none') : t('stale', { t: since(ms(s.updated)) }));
    name.setAttribute('data-field', band ? 'band' : 'freshness');
    label.appendChild(name);
    label.appendChild(el('br'));
    label.appendChild(el('span', null, 'VN_AQI'));
    aqi.appendChild(n);
    aqi.appendChild(label);
    li.appendChild(aqi);

    var dl = el('dl', 'facts');
    function fact(term, value, field) {
      dl.appendChild(el('dt', null, term));
      var dd = el('dd', null, value);
      if (field) { dd.setAttribute('data-field', field); }
      dl.appendChild(dd);
    }
    var us = band && num(s.usAqi) ? s.usAqi + ' (' + US_NAMES[lang][BANDS.indexOf(bandOf(s.usAqi))] + ')' : '–';
    fact('US AQI', us, 'usAqi');
    fact(t('dominant'), band ? POLLUTANTS[s.dominant] || s.dominant || '–' : '–', 'dominant');
    fact(t('updated'), ms(s.updated) !== null ? since(ms(s.updated)) : '–');
    li.appendChild(dl);
    if (band) {
      var advice = el('p', 'advice');
      advice.appendChild(el('strong', null, t('advice') + ': '));
      advice.appendChild(document.createTextNode(band[lang === 'vi' ? 'adviceVi' : 'adviceEn']));
      advice.setAttribute('data-field', 'advice');
      li.appendChild(advice);
    }
    li.appendChild(chart(s));

    var keys = band ? Object.keys(s.pollutants || {}) : [];
    if (keys.length) {
      var details = el('details');
      details.appendChild(el('summary', null, t('details')));
      var table = el('table', 'areas');
      var head = el('tr');
      [t('pollutant'), t('value'), t('subIndex')].forEach(function (c) { var th = el('th', null, c); th.scope = 'col'; head.appendChild(th); });
      var thead = el('thead'); thead.appendChild(head); table.appendChild(thead);
      var body = el('tbody');
      keys.forEach(function (k) {
        var p = s.pollutants[k] || {};
        var tr = el('tr');
        var th = el('th', null, (POLLUTANTS[k] || k) + (k === s.dominant ? ' ★' : ''));
        th.scope = 'row';
        tr.appendChild(th);
        tr.appendChild(el('td', null, num(p.value) ? p.value.toFixed(1) : '–'));
        tr.appendChild(el('td', null, num(p.subIndex) ? p.subIndex : '–'));
        body.appendChild(tr);
      });
      table.appendChild(body);
      details.appendChild(table);
      li.appendChild(details);
    }
    return li;
  }

  function renderAir() {
    var list = document.getElementById('stations');
    var value = function (s) { return stationFreshness(s) === 'current' && num(s.vnAqi) ? s.vnAqi : -1; };
    var sorted = air.slice().sort(function (a, b) { return (b.area === area) - (a.area === area) || value(b) - value(a); });
    var frag = document.createDocumentFragment();
    sorted.forEach(function (s) { frag.appendChild(stationItem(s)); });
    if (!sorted.length) { frag.appendChild(el('li', null, t('noStations'))); }
    list.replaceChildren(frag);

    var byArea = {};
    air.forEach(function (s) {
      var key = s.area || '–';
      if (!(key in byArea) || value(s) > value(byArea[key])) { byArea[key] = s; }
    });
    var rows = document.createDocumentFragment();
    Object.keys(byArea).sort(function (a, b) { return a.localeCompare(b, 'vi'); }).forEach(function (a) {
      var s = byArea[a];
      var band = value(s) >= 0 ? bandOf(s.vnAqi) : null;
      var tr = el('tr');
      var th = el('th', null, a); th.scope = 'row'; tr.appendChild(th);
      tr.appendChild(el('td', null, band ? s.vnAqi : '–'));
      var td = el('td');
      td.appendChild(el('span', 'chip ' + (band ? band.cls : 'b0'), band ? ((s.band && s.band[lang]) || band[lang]) : t('legendStale')));
      tr.appendChild(td);
      rows.appendChild(tr);
    });
    document.getElementById('areas').replaceChildren(rows);
  }

  function render() {
    renderAreaPicker();
    renderSummary();
    renderMap();
    renderZones();
    renderAir();
  }

  function setStatus(text) { document.getElementById('status').textContent = text; }
  function statusText() { return t('updatedAt') + local(lastOk.getTime()) + ' · ' + t('stationsCount', { n: air.length, z: zones.length }); }
  function setUpdated() { document.getElementById('updated').textContent = lastOk ? t('checkedAt') + local(lastOk.getTime(), true) : ''; }

  function applyLang() {
    document.documentElement.lang = lang;
    document.title = t('pageTitle');
    document.querySelectorAll('[data-i18n]').forEach(function (e) {
      var v = TEXT[lang][e.getAttribute('data-i18n')];
      if (v) { e.textContent = v; }
    });
    document.querySelectorAll('button[data-lang]').forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang)); });
    render();
    if (lastOk) { setStatus(statusText()); }
    setUpdated();
  }

  function getJson(path, signal) {
    return fetch(path, { signal: signal, headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(function (j) { return Array.isArray(j) ? j : []; });
  }

  function load() {
    clearTimeout(timer);
    if (inflight) { inflight.abort(); }
    var controller = new AbortController();
    inflight = controller;
    var p = encodeURIComponent(province);
    Promise.all([
      getJson('/api/air-quality?province=' + p, controller.signal),
      getJson('/api/zones?province=' + p, controller.signal),
      getJson('/api/sensors?kind=water_level&province=' + p, controller.signal)
    ]).then(function (r) {
      air = r[0]; zones = r[1]; sensors = r[2];
      lastOk = new Date();
      render();
      // The live region speaks only when something a resident sees changed, not on every poll.
      var signature = province + '|' + area + '|' + air.map(function (s) { return s.sensorId + ':' + s.vnAqi + ':' + stationFreshness(s); }).join(',')
        + '|' + zones.map(function (z) { return z.id + ':' + z.level + ':' + zoneFreshness(z); }).join(',');
      if (signature !== announced) { announced = signature; setStatus(statusText()); }
      setUpdated();
      document.body.setAttribute('data-loaded', String(lastOk.getTime()));
    }).catch(function (e) {
      if (e.name !== 'AbortError') { setStatus(t('error')); }
    }).finally(function () {
      if (inflight === controller) { inflight = null; timer = setTimeout(load, POLL_MS); }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var select = document.getElementById('province');
    if (!Array.prototype.some.call(select.options, function (o) { return o.value === province; })) {
      var o = el('option', null, province); o.value = province; select.appendChild(o);
    }
    select.value = province;
    select.addEventListener('change', function () {
      province = select.value;
      store('res.province', province);
      area = readStored('res.area.' + province, '');
      history.replaceState(null, '', '?province=' + encodeURIComponent(province));
      setStatus(t('loading'));
      load();
    });
    document.getElementById('area').addEventListener('change', function (e) {
      area = e.target.value;
      store('res.area.' + province, area);
      store('res.province', province);
      renderSummary();
      renderMap();
      renderAir();
    });
    document.getElementById('map').addEventListener('click', function (e) {
      // A click (or Enter) on a zone picks its area.
      var target = e.target.closest ? e.target.closest('[data-area]') : null;
      if (target && target.getAttribute('data-area')) {
        var sel = document.getElementById('area');
        sel.value = target.getAttribute('data-area');
        sel.dispatchEvent(new Event('change'));
      }
    });
    document.getElementById('map').addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && e.target.getAttribute && e.target.getAttribute('data-area')) { e.target.dispatchEvent(new MouseEvent('click', { bubbles: true })); }
    });
    document.getElementById('controls').addEventListener('submit', function (e) { e.preventDefault(); });
    document.querySelectorAll('button[data-lang]').forEach(function (b) {
      b.addEventListener('click', function () {
        lang = b.getAttribute('data-lang') === 'en' ? 'en' : 'vi';
        store('res.lang', lang);
        applyLang();
      });
    });
    document.addEventListener('visibilitychange', function () { if (!document.hidden) { load(); } });
    applyLang();
    load();
  });
})();
