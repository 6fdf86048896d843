// Emergency console. Plain JS, no build step. Shapes: docs/architecture.md "HTTP API shapes".
'use strict';
(function () {
  var SEVERITY = { extreme: 5, severe: 4, warning: 3, minor: 2, info: 1 };
  var SEVERITY_VI = { extreme: 'Cực kỳ nghiêm trọng', severe: 'Nghiêm trọng', warning: 'Cảnh báo', minor: 'Nhẹ', info: 'Thông tin' };
  var STATE_VI = { raised: 'Mới', escalated: 'Tăng mức', deescalated: 'Giảm mức', acknowledged: 'Đã xác nhận', resolved: 'Đã xử lý' };
  var ZONE_VI = ['Bình thường', 'Báo động I', 'Báo động II', 'Báo động III'];
  var ZONES_MS = 15000;
  var HISTORY_MS = 60000;

  var session = null;
  var active = new Map();
  var seen = new Set();
  var historyTimer = 0;
  var pendingAction = null;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function fmt(ts) {
    if (!ts) { return '–'; }
    var d = new Date(ts);
    return isNaN(d.getTime()) ? '–' : d.toLocaleString('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit', day: '2-digit', month: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });
  }
  function badge(kind, value, vi) {
    var span = el('span', 'badge ' + kind + '-' + value, (vi || value) + (vi && vi !== value ? ' / ' + value : ''));
    span.setAttribute('data-' + kind, value);
    return span;
  }
  function status(text) { document.getElementById('status').textContent = text; }
  function sortAlerts(a, b) {
    var s = (SEVERITY[b.severity] || 0) - (SEVERITY[a.severity] || 0);
    if (s !== 0) { return s; }
    return String(b.raisedAt || '').localeCompare(String(a.raisedAt || ''));
  }
  function api(path, options) {
    return fetch(path, Object.assign({ credentials: 'same-origin', headers: { Accept: 'application/json' } }, options || {}))
      .then(function (r) {
        if (r.status === 401) { location.href = '/ops/login'; throw new Error('signed out'); }
        return r;
      });
  }

  function renderActive() {
    var tbody = document.querySelector('#active tbody');
    var rows = Array.from(active.values()).filter(function (a) { return a.state !== 'resolved'; }).sort(sortAlerts);
    var frag = document.createDocumentFragment();
    rows.forEach(function (a) {
      var tr = el('tr', seen.has(a.id) ? null : 'new');
      seen.add(a.id);
      tr.setAttribute('data-alert', a.id);
      var sev = el('td'); sev.appendChild(badge('sev', a.severity, SEVERITY_VI[a.severity])); tr.appendChild(sev);
      var subj = el('th', null, a.subject + (a.province ? ' (' + a.province + ')' : '')); subj.scope = 'row'; tr.appendChild(subj);
      tr.appendChild(el('td', null, a.rule));
      var st = el('td'); st.appendChild(badge('st', a.state, STATE_VI[a.state]));
      if (a.acknowledgedBy) { st.appendChild(el('div', null, a.acknowledgedBy)); }
      tr.appendChild(st);
      tr.appendChild(el('td', null, a.value === null || a.value === undefined ? '–' : a.value));
      tr.appendChild(el('td', null, fmt(a.raisedAt)));
      var actions = el('td', 'actions');
      if (a.state !== 'acknowledged') {
        var ack = el('button', null, 'Xác nhận / Ack');
        ack.type = 'button';
        ack.setAttribute('data-action', 'ack');
        ack.setAttribute('aria-label', 'Xác nhận / Acknowledge: ' + a.subject + ' ' + a.rule);
        ack.addEventListener('click', function () { openAction(a, 'ack'); });
        actions.appendChild(ack);
        actions.appendChild(document.createTextNode(' '));
      }
      var res = el('button', 'secondary', 'Đã xử lý / Resolve');
      res.type = 'button';
      res.setAttribute('data-action', 'resolve');
      res.setAttribute('aria-label', 'Đã xử lý / Resolve: ' + a.subject + ' ' + a.rule);
      res.addEventListener('click', function () { openAction(a, 'resolve'); });
      actions.appendChild(res);
      tr.appendChild(actions);
      frag.appendChild(tr);
    });
    if (!rows.length) {
      var empty = el('tr'); var td = el('td', null, 'Không có cảnh báo nào đang hoạt động / No active alerts'); td.colSpan = 7; empty.appendChild(td); frag.appendChild(empty);
    }
    tbody.replaceChildren(frag);
    document.getElementById('active-count').textContent = String(rows.length);
  }

  function upsert(alert, announce) {
    if (!alert || !alert.id) { return; }
    var old = active.get(alert.id);
    if (old && typeof old.version === 'number' && typeof alert.version === 'number' && alert.version <= old.version) { return; } // an older or a repeated version (a resumed stream may resend a few)
    if (alert.state === 'resolved') { active.delete(alert.id); } else { active.set(alert.id, alert); }
    renderActive();
    if (announce) {
      status((old ? 'Cập nhật / Updated: ' : 'Cảnh báo mới / New alert: ') + alert.subject + ' — ' + alert.rule + ' (' + (SEVERITY_VI[alert.severity] || alert.severity) + ', ' + (STATE_VI[alert.state] || alert.state) + ')');
    }
    scheduleHistory(1500);
  }

  function loadActive() {
    return api('/api/alerts?state=active').then(function (r) { return r.ok ? r.json() : []; }).then(function (list) {
      active.clear();
      (Array.isArray(list) ? list : []).forEach(function (a) { active.set(a.id, a); seen.add(a.id); });
      renderActive();
    }).catch(function () { status('Không tải được cảnh báo / Could not load alerts'); });
  }

  function connect() {
    var live = document.getElementById('live');
    var es = new EventSource('/api/alerts/stream');
    es.addEventListener('open', function () {
      live.textContent = 'Trực tiếp / Live';
      live.setAttribute('data-live', 'true');
      loadActive();
    });
    es.addEventListener('alert', function (e) {
      try { upsert(JSON.parse(e.data), true); } catch (err) { /* ignore a malformed event */ }
    });
    es.addEventListener('notice', function (e) {
      // Escalation reminders from the alerts service: said aloud, the table is unchanged.
      try {
        var a = JSON.parse(e.data);
        status('Nhắc nhở / Reminder: ' + a.subject + ' — ' + a.rule + ' (' + (STATE_VI[a.state] || a.state) + ')');
      } catch (err) { /* ignore a malformed event */ }
    });
    es.addEventListener('error', function () {
      live.textContent = 'Mất kết nối, đang thử lại / Reconnecting';
      live.setAttribute('data-live', 'false');
    });
  }

  // Zone cards: level, and per gauge its level against its own alarm lines (with their source and whether they are
  // verified), the time to the next alarm level, staleness, and the last hour as a chart with the three lines.
  var LINE_COLOURS = { i: '#c9a000', ii: '#e06a00', iii: '#c00000' };
  function num(v) { return typeof v === 'number' && isFinite(v); }
  function hhmm(ts) {
    var d = new Date(ts);
    return isNaN(d.getTime()) ? '–' : d.toLocaleString('vi-VN', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' });
  }
  function duration(seconds) {
    var m = Math.max(5, Math.round(seconds / 300) * 5), h = Math.floor(m / 60);
    m = m % 60;
    return { vi: (h ? h + ' giờ' + (m ? ' ' : '') : '') + (m ? m + ' phút' : ''), en: (h ? h + ' h' + (m ? ' ' : '') : '') + (m ? m + ' min' : '') };
  }
  function levels(g) {
    var a = g.alarmLevels || {};
    return { i: num(a.i) ? a.i : null, ii: num(a.ii) ? a.ii : null, iii: num(a.iii) ? a.iii : null, source: a.source || null,
      verified: typeof a.verified === 'boolean' ? a.verified : (typeof g.verified === 'boolean' ? g.verified : null) };
  }
  function freshness(g) {
    if (typeof g.freshness === 'string') { return g.freshness; }
    if (!g.ts || !num(g.levelM)) { return 'never'; }
    return Date.now() - Date.parse(g.ts) > 30 * 60000 ? 'stale' : 'current';
  }
  function nextAlarmText(next) {
    if (!next || !num(next.etaSeconds) || !num(next.level)) { return ''; }
    var d = duration(next.etaSeconds), roman = ['', 'I', 'II', 'III'][next.level] || String(next.level);
    var rate = num(next.rateMPerHour) ? next.rateMPerHour.toFixed(2) : '?';
    return 'Với tốc độ ' + rate + ' m/giờ, tới báo động ' + roman + ' trong khoảng ' + d.vi + ' / at ' + rate + ' m/h, alarm ' + roman + ' in about ' + d.en;
  }
  function gaugeItem(g) {
    var li = el('li', 'gauge');
    li.setAttribute('data-gauge', g.id);
    var f = freshness(g);
    li.setAttribute('data-freshness', f);
    var lv = levels(g);
    var head = el('p', null);
    head.appendChild(el('strong', null, g.name || g.id));
    var now = el('span', 'value');
    now.setAttribute('data-field', 'level');
    if (f === 'current') {
      now.textContent = ' ' + g.levelM.toFixed(2) + ' m';
    } else if (f === 'stale') {
      now.textContent = ' không có dữ liệu mới từ ' + hhmm(g.ts) + ' / no recent data since ' + hhmm(g.ts);
      now.className = 'value stale';
    } else {
      now.textContent = ' chưa có dữ liệu / no data yet';
    }
    head.appendChild(now);
    li.appendChild(head);
    var lines = el('p', 'alarm-levels');
    lines.setAttribute('data-field', 'alarmLevels');
    var parts = [['I', lv.i], ['II', lv.ii], ['III', lv.iii]].filter(function (p) { return num(p[1]); }).map(function (p) { return p[0] + ' ' + p[1]; });
    lines.textContent = (parts.length ? parts.join(' · ') + ' m' : 'Báo động / Alarms: –')
      + (lv.verified === null ? '' : lv.verified ? ' · đã xác minh / verified' : ' · chưa xác minh / unverified')
      + (lv.source ? ' · nguồn / source: ' + lv.source : '');
    li.appendChild(lines);
    var eta = f === 'current' ? nextAlarmText(g.nextAlarm) : '';
    if (eta) { var e = el('p', 'eta', eta); e.setAttribute('data-field', 'nextAlarm'); li.appendChild(e); }
    var box = el('div', 'gauge-chart');
    li.appendChild(box);
    api('/api/sensors/' + encodeURIComponent(g.id)).then(function (r) { return r.ok ? r.json() : null; }).then(function (s) {
      if (!s) { return; }
      var points = (s.history || []).map(function (h) { return { ts: Date.parse(h.ts), v: h.values ? h.values.water_level : null }; })
        .filter(function (p) { return !isNaN(p.ts) && num(p.v); });
      var to = Date.now();
      box.replaceChildren(window.ResilienceCharts.line({
        points: points, from: to - 3600000, to: to, unit: 'm', cls: 'chart wl',
        label: (g.name || g.id) + ': mực nước 1 giờ qua / water level, last hour',
        lines: [['i', 'I', lv.i], ['ii', 'II', lv.ii], ['iii', 'III', lv.iii]].filter(function (x) { return num(x[2]); })
          .map(function (x) { return { key: x[0], value: x[2], label: 'Báo động ' + x[1] + ' ' + x[2] + ' m', color: LINE_COLOURS[x[0]] }; })
      }));
    }).catch(function () { /* the words above still stand */ });
    return li;
  }

  function loadZones() {
    api('/api/zones').then(function (r) { return r.ok ? r.json() : null; }).then(function (zones) {
      if (!Array.isArray(zones)) { return; }
      zones.sort(function (a, b) { return (b.level || 0) - (a.level || 0) || String(a.name).localeCompare(String(b.name)); });
      var frag = document.createDocumentFragment();
      zones.forEach(function (z) {
        var level = Math.max(0, Math.min(3, z.level || 0));
        var zf = typeof z.freshness === 'string' ? z.freshness : null;
        var li = el('li', 'zone ' + (zf && zf !== 'current' ? 'stale' : 'z' + level));
        li.setAttribute('data-zone', z.id);
        li.appendChild(el('h3', null, z.name || z.id));
        li.appendChild(el('p', null, zf && zf !== 'current' ? 'Không có dữ liệu mới / No recent data' : ZONE_VI[level] + ' / ' + (z.levelName || '')));
        var facts = [];
        if (typeof z.maxLevelM === 'number') { facts.push(z.maxLevelM.toFixed(2) + ' m'); }
        if (typeof z.riseMPerHour === 'number') { facts.push((z.riseMPerHour >= 0 ? '+' : '') + z.riseMPerHour.toFixed(2) + ' m/h'); }
        if (z.area) { facts.push(z.area); }
        li.appendChild(el('p', null, facts.join(' · ')));
        var eta = nextAlarmText(z.nextAlarm);
        if (eta) { var e = el('p', 'eta', eta); e.setAttribute('data-field', 'nextAlarm'); li.appendChild(e); }
        var gauges = el('ul', 'zone-gauges');
        (z.gauges || []).forEach(function (g) { gauges.appendChild(gaugeItem(g)); });
        li.appendChild(gauges);
        frag.appendChild(li);
      });
      document.getElementById('zones').replaceChildren(frag);
    }).catch(function () { /* keep the last grid */ }).finally(function () { setTimeout(loadZones, ZONES_MS); });
  }

  function scheduleHistory(ms) {
    clearTimeout(historyTimer);
    historyTimer = setTimeout(loadHistory, ms);
  }
  function loadHistory() {
    api('/api/alerts?state=all').then(function (r) { return r.ok ? r.json() : null; }).then(function (list) {
      if (!Array.isArray(list)) { return; }
      list.sort(function (a, b) { return String(b.updatedAt || '').localeCompare(String(a.updatedAt || '')); });
      var frag = document.createDocumentFragment();
      list.slice(0, 200).forEach(function (a) {
        var tr = el('tr');
        tr.setAttribute('data-alert', a.id);
        var sev = el('td'); sev.appendChild(badge('sev', a.severity, SEVERITY_VI[a.severity])); tr.appendChild(sev);
        var th = el('th', null, a.subject); th.scope = 'row'; tr.appendChild(th);
        tr.appendChild(el('td', null, a.rule));
        var st = el('td'); st.appendChild(badge('st', a.state, STATE_VI[a.state])); tr.appendChild(st);
        tr.appendChild(el('td', null, fmt(a.updatedAt)));
        tr.appendChild(el('td', null, a.acknowledgedBy || '–'));
        tr.appendChild(el('td', null, a.note || ''));
        frag.appendChild(tr);
      });
      document.querySelector('#history tbody').replaceChildren(frag);
    }).catch(function () { /* keep the last table */ }).finally(function () { scheduleHistory(HISTORY_MS); });
  }

  function openAction(alert, action) {
    pendingAction = { alert: alert, action: action };
    var dlg = document.getElementById('act');
    document.getElementById('act-h').textContent = action === 'ack' ? 'Xác nhận cảnh báo / Acknowledge alert' : 'Đóng cảnh báo / Resolve alert';
    document.getElementById('act-subject').textContent = alert.subject + ' — ' + alert.rule;
    document.getElementById('act-note').value = '';
    document.getElementById('act-error').hidden = true;
    dlg.showModal();
    document.getElementById('act-note').focus();
  }

  function submitAction(e) {
    e.preventDefault();
    if (!pendingAction || !session) { return; }
    var p = pendingAction;
    var headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    headers[session.headerName] = session.antiforgeryToken;
    var ok = document.getElementById('act-ok');
    ok.disabled = true;
    api('/api/alerts/' + encodeURIComponent(p.alert.id) + '/' + p.action, {
      method: 'POST', headers: headers,
      body: JSON.stringify({ by: session.username, note: document.getElementById('act-note').value })
    }).then(function (r) {
      // 409: the alert was already closed; the body is its current state, shown like any update.
      if (!r.ok && r.status !== 409) { throw new Error('HTTP ' + r.status); }
      return r.text().then(function (text) { return { conflict: r.status === 409, text: text }; });
    }).then(function (answer) {
      var text = answer.text;
      document.getElementById('act').close();
      pendingAction = null;
      var updated = null;
      try { updated = text ? JSON.parse(text) : null; } catch (err) { updated = null; }
      if (updated && updated.id) { upsert(updated, true); } else { loadActive(); scheduleHistory(200); }
      status(answer.conflict ? 'Cảnh báo đã được đóng trước đó / The alert was already closed: ' + p.alert.subject
        : (p.action === 'ack' ? 'Đã xác nhận / Acknowledged: ' : 'Đã xử lý / Resolved: ') + p.alert.subject);
    }).catch(function (err) {
      var box = document.getElementById('act-error');
      box.textContent = 'Không thực hiện được / Failed: ' + err.message;
      box.hidden = false;
    }).finally(function () { ok.disabled = false; });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('act-form').addEventListener('submit', submitAction);
    document.getElementById('act-cancel').addEventListener('click', function () { document.getElementById('act').close(); pendingAction = null; });
    api('/ops/session').then(function (r) { return r.json(); }).then(function (s) {
      session = s;
      document.getElementById('who').textContent = s.username;
      document.getElementById('logout-token').value = s.antiforgeryToken;
      loadActive().then(connect);
      loadZones();
      loadHistory();
    }).catch(function () { status('Không mở được phiên làm việc / Could not open the session'); });
  });
})();
