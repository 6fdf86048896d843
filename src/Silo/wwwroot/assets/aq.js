// Residents' air-quality page. Plain JS, no build step. Reads GET /api/air-quality?province=… (docs/architecture.md).
'use strict';
(function () {
  var POLL_MS = 30000;
  var SVGNS = 'http://www.w3.org/2000/svg';
  // VN_AQI bands, QĐ 1459/QĐ-TCMT Bảng 1 (DOMAIN.md §1.1): upper bound, names, advice (general public; sensitive groups).
  var BANDS = [
    { max: 50, cls: 'b1', color: 'rgb(0,228,0)', vi: 'Tốt', en: 'Good',
      adviceVi: 'Không khí tốt: mọi người tự do hoạt động ngoài trời.',
      adviceEn: 'Air is good: everyone can enjoy outdoor activities.' },
    { max: 100, cls: 'b2', color: 'rgb(255,255,0)', vi: 'Trung bình', en: 'Moderate',
      adviceVi: 'Mọi người hoạt động bình thường. Người nhạy cảm nên theo dõi các triệu chứng như ho hoặc khó thở.',
      adviceEn: 'Everyone can be active outdoors. Sensitive people should watch for coughing or shortness of breath.' },
    { max: 150, cls: 'b3', color: 'rgb(255,126,0)', vi: 'Kém', en: 'Poor',
      adviceVi: 'Người có triệu chứng nên giảm hoạt động ngoài trời. Người nhạy cảm nên giảm vận động mạnh và thời gian ở ngoài trời.',
      adviceEn: 'People with symptoms should cut outdoor activity. Sensitive groups should reduce strenuous activity and time outdoors.' },
    { max: 200, cls: 'b4', color: 'rgb(255,0,0)', vi: 'Xấu', en: 'Bad',
      adviceVi: 'Mọi người nên giảm vận động mạnh, ở trong nhà nhiều hơn. Người nhạy cảm nên ở trong nhà, đeo khẩu trang khi ra ngoài.',
      adviceEn: 'Everyone should reduce strenuous activity and stay indoors more. Sensitive groups should stay in and wear a mask outside.' },
    { max: 300, cls: 'b5', color: 'rgb(143,63,151)', vi: 'Rất xấu', en: 'Very bad',
      adviceVi: 'Cảnh báo sức khỏe: mọi người hạn chế tối đa ra ngoài, đeo khẩu trang. Người nhạy cảm ở trong nhà.',
      adviceEn: 'Health warning: everyone should minimise time outdoors and wear a mask. Sensitive groups should stay indoors.' },
    { max: Infinity, cls: 'b6', color: 'rgb(126,0,35)', vi: 'Nguy hại', en: 'Hazardous',
      adviceVi: 'Khẩn cấp về sức khỏe: mọi người ở trong nhà, đóng kín cửa, đeo khẩu trang khi ra ngoài.',
      adviceEn: 'Health emergency: everyone stay indoors with doors and windows shut; wear a mask outside.' }
  ];
  // US EPA categories for the US AQI (same breakpoints 50/100/150/200/300, different names).
  var US_NAMES = {
    vi: ['Tốt', 'Trung bình', 'Có hại cho nhóm nhạy cảm', 'Có hại', 'Rất có hại', 'Nguy hiểm'],
    en: ['Good', 'Moderate', 'Unhealthy for sensitive groups', 'Unhealthy', 'Very unhealthy', 'Hazardous']
  };
  var POLLUTANTS = { pm25: 'PM2.5', pm10: 'PM10', o3: 'O₃', no2: 'NO₂', so2: 'SO₂', co: 'CO' };
  var TEXT = {
    vi: {
      title: 'Chất lượng không khí', skip: 'Bỏ qua, đến nội dung chính', province: 'Tỉnh / thành phố',
      loading: 'Đang tải…', areas: 'Theo khu vực', areasCaption: 'Chỉ số VN_AQI cao nhất của mỗi khu vực',
      area: 'Khu vực', level: 'Mức', stations: 'Các trạm quan trắc', legend: 'Thang màu VN_AQI',
      source: 'Nguồn: trạm quan trắc của tỉnh. Cách tính: Quyết định 1459/QĐ-TCMT (VN_AQI giờ) và US EPA (US AQI).',
      dominant: 'Chất ô nhiễm chính', updated: 'Cập nhật', advice: 'Khuyến cáo', details: 'Các chỉ số thành phần',
      pollutant: 'Chất', value: 'Nồng độ (µg/m³)', subIndex: 'Chỉ số', none: 'Chưa có dữ liệu',
      noStations: 'Chưa có trạm nào báo dữ liệu cho tỉnh này.', updatedAt: 'Đã cập nhật lúc ', checkedAt: 'Kiểm tra lần cuối: ', error: 'Không tải được dữ liệu; sẽ thử lại sau 30 giây.',
      chart: 'VN_AQI 24 giờ qua: thấp nhất {min}, cao nhất {max}, hiện tại {now}', nochart: 'Chưa có dữ liệu 24 giờ qua',
      stationsCount: '{n} trạm', pageTitle: 'Chất lượng không khí — Resilience'
    },
    en: {
      title: 'Air quality', skip: 'Skip to main content', province: 'Province / city',
      loading: 'Loading…', areas: 'By area', areasCaption: 'Highest VN_AQI in each area',
      area: 'Area', level: 'Level', stations: 'Monitoring stations', legend: 'VN_AQI colour scale',
      source: 'Source: the province\'s monitoring stations. Method: Decision 1459/QĐ-TCMT (hourly VN_AQI) and US EPA (US AQI).',
      dominant: 'Dominant pollutant', updated: 'Updated', advice: 'Advice', details: 'Sub-indices',
      pollutant: 'Pollutant', value: 'Concentration (µg/m³)', subIndex: 'Sub-index', none: 'No data yet',
      noStations: 'No station has reported for this province yet.', updatedAt: 'Updated at ', checkedAt: 'Last checked: ', error: 'Could not load the data; retrying in 30 seconds.',
      chart: 'VN_AQI over the last 24 hours: lowest {min}, highest {max}, now {now}', nochart: 'No data for the last 24 hours',
      stationsCount: '{n} stations', pageTitle: 'Air quality — Resilience'
    }
  };

  var lang = readStored('aq.lang', 'vi') === 'en' ? 'en' : 'vi';
  var province = new URLSearchParams(location.search).get('province') || readStored('aq.province', 'hanoi');
  var data = [];
  var lastOk = null;
  var timer = 0;
  var inflight = null;
  var announced = '';

  function readStored(key, fallback) {
    try { return localStorage.getItem(key) || fallback; } catch (e) { return fallback; }
  }
  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }
  function t(key) { return TEXT[lang][key]; }
  function bandOf(aqi) {
    if (typeof aqi !== 'number' || isNaN(aqi)) { return null; }
    for (var i = 0; i < BANDS.length; i++) { if (aqi <= BANDS[i].max) { return BANDS[i]; } }
    return BANDS[BANDS.length - 1];
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fmtTime(ts) {
    if (!ts) { return '–'; }
    var d = new Date(ts);
    if (isNaN(d.getTime())) { return '–'; }
    return d.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });
  }
  function bandName(station, band) {
    // The API's band names win when present; the colour class always follows the number.
    if (station.band && station.band[lang]) { return station.band[lang]; }
    return band ? band[lang] : t('none');
  }

  function chart(history) {
    var svg = document.createElementNS(SVGNS, 'svg');
    svg.setAttribute('class', 'chart');
    svg.setAttribute('viewBox', '0 0 240 56');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    var values = (history || []).map(function (h) { return h && typeof h.vnAqi === 'number' ? h.vnAqi : null; }).slice(-24);
    var present = values.filter(function (v) { return v !== null; });
    var title = document.createElementNS(SVGNS, 'title');
    if (present.length === 0) {
      title.textContent = t('nochart');
    } else {
      title.textContent = t('chart').replace('{min}', Math.min.apply(null, present))
        .replace('{max}', Math.max.apply(null, present)).replace('{now}', present[present.length - 1]);
    }
    svg.setAttribute('aria-label', title.textContent);
    svg.appendChild(title);
    var top = Math.max(100, present.length ? Math.max.apply(null, present) : 0);
    var w = 240 / 24;
    var offset = 24 - values.length;
    values.forEach(function (v, i) {
      if (v === null) { return; }
      var h = Math.max(1, Math.round((v / top) * 54));
      var r = document.createElementNS(SVGNS, 'rect');
      r.setAttribute('x', String((offset + i) * w + 1));
      r.setAttribute('y', String(56 - h));
      r.setAttribute('width', String(w - 2));
      r.setAttribute('height', String(h));
      r.setAttribute('fill', bandOf(v).color);
      r.setAttribute('stroke', '#333');
      r.setAttribute('stroke-width', '0.5');
      svg.appendChild(r);
    });
    return svg;
  }

  function stationItem(s) {
    var band = bandOf(s.vnAqi);
    var li = el('li', 'station');
    li.setAttribute('data-sensor', s.sensorId);
    var headingId = 'st-' + s.sensorId;
    li.setAttribute('aria-labelledby', headingId);
    var h = el('h3', null, s.name || s.sensorId);
    h.id = headingId;
    li.appendChild(h);
    li.appendChild(el('p', 'area', s.area || ''));
    var aqi = el('p', 'aqi');
    var num = el('span', 'num ' + (band ? band.cls : 'b0'), typeof s.vnAqi === 'number' ? s.vnAqi : '–');
    num.setAttribute('data-field', 'vnAqi');
    var label = el('span');
    var name = el('span', 'band', bandName(s, band));
    name.setAttribute('data-field', 'band');
    label.appendChild(name);
    label.appendChild(el('br'));
    label.appendChild(el('span', null, 'VN_AQI'));
    aqi.appendChild(num);
    aqi.appendChild(label);
    li.appendChild(aqi);

    var dl = el('dl', 'facts');
    function fact(term, value, field) {
      dl.appendChild(el('dt', null, term));
      var dd = el('dd', null, value);
      if (field) { dd.setAttribute('data-field', field); }
      dl.appendChild(dd);
    }
    fact('US AQI', typeof s.usAqi === 'number' ? s.usAqi + ' (' + US_NAMES[lang][BANDS.indexOf(bandOf(s.usAqi))] + ')' : '–', 'usAqi');
    fact(t('dominant'), POLLUTANTS[s.dominant] || s.dominant || '–', 'dominant');
    fact(t('updated'), fmtTime(s.updated));
    li.appendChild(dl);
    var advice = el('p', 'advice');
    advice.appendChild(el('strong', null, t('advice') + ': '));
    advice.appendChild(document.createTextNode(band ? band[lang === 'vi' ? 'adviceVi' : 'adviceEn'] : t('none')));
    advice.setAttribute('data-field', 'advice');
    li.appendChild(advice);
    li.appendChild(chart(s.history));

    var keys = Object.keys(s.pollutants || {});
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
        tr.appendChild(el('td', null, typeof p.value === 'number' ? p.value.toFixed(1) : '–'));
        tr.appendChild(el('td', null, typeof p.subIndex === 'number' ? p.subIndex : '–'));
        body.appendChild(tr);
      });
      table.appendChild(body);
      details.appendChild(table);
      li.appendChild(details);
    }
    return li;
  }

  function render() {
    var list = document.getElementById('stations');
    var areas = document.getElementById('areas');
    var sorted = data.slice().sort(function (a, b) { return (b.vnAqi || 0) - (a.vnAqi || 0); });
    var frag = document.createDocumentFragment();
    sorted.forEach(function (s) { frag.appendChild(stationItem(s)); });
    if (!sorted.length) { frag.appendChild(el('li', null, t('noStations'))); }
    list.replaceChildren(frag);

    var byArea = {};
    data.forEach(function (s) {
      var key = s.area || '–';
      if (!(key in byArea) || (s.vnAqi || 0) > (byArea[key].vnAqi || 0)) { byArea[key] = s; }
    });
    var rows = document.createDocumentFragment();
    Object.keys(byArea).sort().forEach(function (a) {
      var s = byArea[a];
      var band = bandOf(s.vnAqi);
      var tr = el('tr');
      var th = el('th', null, a); th.scope = 'row'; tr.appendChild(th);
      tr.appendChild(el('td', null, typeof s.vnAqi === 'number' ? s.vnAqi : '–'));
      var td = el('td');
      td.appendChild(el('span', 'chip ' + (band ? band.cls : 'b0'), bandName(s, band)));
      tr.appendChild(td);
      rows.appendChild(tr);
    });
    areas.replaceChildren(rows);
  }

  function renderLegend() {
    var ul = document.getElementById('legend');
    var frag = document.createDocumentFragment();
    var lo = 0;
    BANDS.forEach(function (b) {
      var hi = b.max === Infinity ? 500 : b.max;
      frag.appendChild(el('li', b.cls, lo + '–' + hi + ': ' + b[lang]));
      lo = hi + 1;
    });
    ul.replaceChildren(frag);
  }

  function setStatus(text) { document.getElementById('status').textContent = text; }
  function setUpdated() {
    document.getElementById('updated').textContent = lastOk ? t('checkedAt') + fmtTime(lastOk) : '';
  }

  function applyLang() {
    document.documentElement.lang = lang;
    document.title = t('pageTitle');
    document.querySelectorAll('[data-i18n]').forEach(function (e) {
      var v = TEXT[lang][e.getAttribute('data-i18n')];
      if (v) { e.textContent = v; }
    });
    document.querySelectorAll('button[data-lang]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-lang') === lang));
    });
    renderLegend();
    render();
    if (lastOk) { setStatus(t('updatedAt') + fmtTime(lastOk) + ' · ' + t('stationsCount').replace('{n}', data.length)); }
    setUpdated();
  }

  function load() {
    clearTimeout(timer);
    if (inflight) { inflight.abort(); }
    var controller = new AbortController();
    inflight = controller;
    fetch('/api/air-quality?province=' + encodeURIComponent(province), { signal: controller.signal, headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error('HTTP ' + r.status); } return r.json(); })
      .then(function (json) {
        data = Array.isArray(json) ? json : [];
        lastOk = new Date();
        render();
        // The live region speaks only when the values changed, not on every 30 s poll.
        var signature = province + '|' + data.map(function (s) { return s.sensorId + ':' + s.vnAqi; }).join(',');
        if (signature !== announced) {
          announced = signature;
          setStatus(t('updatedAt') + fmtTime(lastOk) + ' · ' + t('stationsCount').replace('{n}', data.length));
        }
        setUpdated();
        document.body.setAttribute('data-loaded', String(lastOk.getTime()));
      })
      .catch(function (e) { if (e.name !== 'AbortError') { setStatus(t('error')); } })
      .finally(function () {
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
      store('aq.province', province);
      history.replaceState(null, '', '?province=' + encodeURIComponent(province));
      setStatus(t('loading'));
      load();
    });
    document.getElementById('controls').addEventListener('submit', function (e) { e.preventDefault(); });
    document.querySelectorAll('button[data-lang]').forEach(function (b) {
      b.addEventListener('click', function () {
        lang = b.getAttribute('data-lang') === 'en' ? 'en' : 'vi';
        store('aq.lang', lang);
        applyLang();
      });
    });
    document.addEventListener('visibilitychange', function () { if (!document.hidden) { load(); } });
    applyLang();
    load();
  });
})();
