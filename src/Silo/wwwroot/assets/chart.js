// Small SVG charts shared by the residents' page and the console. Plain JS, no build step; no inline styles
// (presentation attributes only), so the pages' strict CSP holds.
'use strict';
(function () {
  var NS = 'http://www.w3.org/2000/svg';
  var TZ = 'Asia/Ho_Chi_Minh';

  function node(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function hhmm(ms) {
    return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: TZ });
  }
  function niceStep(range, count) {
    var raw = range / Math.max(1, count);
    var mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var n = raw / mag;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
  }
  function frame(o, yMin, yMax, from, to) {
    var W = o.width || 320, H = o.height || 150, L = 38, R = 8, T = 8, B = 22;
    var svg = node('svg', { viewBox: '0 0 ' + W + ' ' + H, class: o.cls || 'chart', role: 'img', 'aria-label': o.label || '' });
    svg.appendChild(node('title', {}, o.label || ''));
    var f = {
      svg: svg, W: W, H: H, L: L, R: R, T: T, B: B,
      x: function (ms) { return L + ((ms - from) / Math.max(1, to - from)) * (W - L - R); },
      y: function (v) { return T + (1 - ((v - yMin) / Math.max(1e-9, yMax - yMin))) * (H - T - B); }
    };
    return f;
  }
  function axes(f, o, yMin, yMax, from, to) {
    var g = node('g', { class: 'axes' });
    var step = niceStep(yMax - yMin, 4);
    for (var v = Math.ceil(yMin / step) * step; v <= yMax + 1e-9; v += step) {
      var y = f.y(v);
      g.appendChild(node('line', { x1: f.L, x2: f.W - f.R, y1: y, y2: y, stroke: '#000', 'stroke-opacity': '0.12' }));
      g.appendChild(node('text', { x: f.L - 4, y: y + 3, 'text-anchor': 'end', class: 'tick' }, +v.toFixed(2)));
    }
    // Hour ticks every 3 or 6 hours of local time, labelled HH:mm.
    var span = to - from, hour = 3600000, every = span > 12 * hour ? 6 * hour : span > 4 * hour ? 2 * hour : span > 2 * hour ? 30 * 60000 : 15 * 60000;
    var offset = 7 * hour; // ICT, so ticks fall on local hours
    for (var t = Math.ceil((from + offset) / every) * every - offset; t <= to; t += every) {
      var x = f.x(t);
      g.appendChild(node('line', { x1: x, x2: x, y1: f.H - f.B, y2: f.H - f.B + 3, stroke: '#333' }));
      g.appendChild(node('text', { x: x, y: f.H - 6, 'text-anchor': 'middle', class: 'tick' }, hhmm(t)));
    }
    g.appendChild(node('line', { x1: f.L, x2: f.L, y1: f.T, y2: f.H - f.B, stroke: '#333' }));
    g.appendChild(node('line', { x1: f.L, x2: f.W - f.R, y1: f.H - f.B, y2: f.H - f.B, stroke: '#333' }));
    g.appendChild(node('text', { x: 2, y: f.T + 2, class: 'unit', 'dominant-baseline': 'hanging' }, o.unit || ''));
    f.svg.appendChild(g);
  }

  /**
   * Hourly bars over the last `hours` hours ending `to` (ms): o.points [{ ts, v }], o.bands [{ max, color }] (the
   * background is striped in the band colours, each bar filled with its band's), o.unit, o.label.
   */
  function bars(o) {
    var to = o.to || Date.now(), hours = o.hours || 24, from = to - hours * 3600000;
    var pts = (o.points || []).filter(function (p) { return typeof p.v === 'number' && p.ts > from && p.ts <= to; });
    var top = Math.max(o.minTop || 100, pts.reduce(function (m, p) { return Math.max(m, p.v); }, 0));
    var bandTop = 0;
    for (var b = 0; b < o.bands.length; b++) { if (o.bands[b].max >= top) { bandTop = o.bands[b].max === Infinity ? top : o.bands[b].max; break; } }
    var f = frame(o, 0, Math.max(top, bandTop), from, to);
    var lo = 0;
    o.bands.forEach(function (band) {
      var hi = Math.min(band.max === Infinity ? Math.max(top, bandTop) : band.max, Math.max(top, bandTop));
      if (hi > lo) {
        f.svg.appendChild(node('rect', { x: f.L, width: f.W - f.L - f.R, y: f.y(hi), height: f.y(lo) - f.y(hi), fill: band.color, 'fill-opacity': '0.18', class: 'band' }));
      }
      lo = Math.max(lo, hi);
    });
    axes(f, o, 0, Math.max(top, bandTop), from, to);
    var w = Math.max(1, (f.W - f.L - f.R) / hours - 1.5);
    pts.forEach(function (p) {
      var band = o.bands.filter(function (x) { return p.v <= x.max; })[0] || o.bands[o.bands.length - 1];
      var x = Math.max(f.L, f.x(p.ts) - w); // each hourly value ends at its timestamp
      f.svg.appendChild(node('rect', { x: x, y: f.y(p.v), width: w, height: Math.max(1, f.y(0) - f.y(p.v)), fill: band.color, stroke: '#333', 'stroke-width': '0.5', class: 'bar' }));
    });
    return f.svg;
  }

  /**
   * A line over [o.from, o.to] (ms) with horizontal reference lines: o.points [{ ts, v }], o.lines [{ value, label,
   * color }] (drawn and labelled, e.g. alarm levels I/II/III), o.unit, o.label.
   */
  function line(o) {
    var pts = (o.points || []).filter(function (p) { return typeof p.v === 'number'; });
    var to = o.to || Date.now(), from = o.from || (pts.length ? pts[0].ts : to - 3600000);
    var vals = pts.map(function (p) { return p.v; });
    (o.lines || []).forEach(function (l) { if (typeof l.value === 'number') { vals.push(l.value); } });
    var yMin = vals.length ? Math.min.apply(null, vals) : 0, yMax = vals.length ? Math.max.apply(null, vals) : 1;
    var pad = Math.max(0.1, (yMax - yMin) * 0.1);
    yMin -= pad; yMax += pad;
    var f = frame(o, yMin, yMax, from, to);
    axes(f, o, yMin, yMax, from, to);
    (o.lines || []).forEach(function (l) {
      if (typeof l.value !== 'number') { return; }
      var y = f.y(l.value);
      f.svg.appendChild(node('line', { x1: f.L, x2: f.W - f.R, y1: y, y2: y, stroke: l.color, 'stroke-width': '1.5', 'stroke-dasharray': '5 3', class: 'alarm-line', 'data-level': l.key || '' }));
      f.svg.appendChild(node('text', { x: f.W - f.R - 2, y: y - 3, 'text-anchor': 'end', class: 'line-label', fill: '#000' }, l.label));
    });
    if (pts.length) {
      var d = pts.filter(function (p) { return p.ts >= from && p.ts <= to; })
        .map(function (p, i) { return (i ? 'L' : 'M') + f.x(p.ts).toFixed(1) + ' ' + f.y(p.v).toFixed(1); }).join(' ');
      if (d) { f.svg.appendChild(node('path', { d: d, fill: 'none', stroke: o.color || '#0b5cad', 'stroke-width': '2', class: 'series' })); }
    }
    return f.svg;
  }

  window.ResilienceCharts = { bars: bars, line: line, node: node };
})();
