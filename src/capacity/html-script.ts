// The browser side of capacity.html: two uPlot charts per target from the embedded data.
// Plain ES2017 in a string (no DOM types in the project's TypeScript; this runs in the page).
export const CAPACITY_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('capacity-data').textContent);
  var charts = [];
  var MARK = { pass: '#16a34a', fail: '#dc2626', limited: '#6b7280' };
  function widthOf(el) { return Math.max(300, Math.floor(el.clientWidth || 600)); }
  function fmtMs(v) { return v == null ? '–' : (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)) + ' ms'; }
  function fmtRate(v) { return v == null ? '–' : (v < 10 ? v.toFixed(2) : v < 1000 ? v.toFixed(1) : Math.round(v)) + '/s'; }
  function line(label, color, fmt, extra) {
    var s = { label: label, stroke: color, width: 1.5, value: function (u, v) { return fmt(v); }, points: { show: true, size: 4 } };
    for (var k in extra || {}) s[k] = extra[k];
    return s;
  }
  function marks(label, color, fmt) {
    return { label: label, stroke: color, fill: color, width: 0, paths: function () { return null; }, value: function (u, v) { return fmt(v); },
      points: { show: true, size: 11, stroke: color, fill: color, width: 1 } };
  }
  // Only the points whose verdict matches keep their value: one marker series per verdict.
  function only(values, verdicts, which) { return values.map(function (v, i) { return verdicts[i] === which ? v : null; }); }
  function rateScale(rates) {
    var min = Math.min.apply(null, rates), max = Math.max.apply(null, rates);
    return min > 0 && max / min > 20 ? { time: false, distr: 3 } : { time: false };
  }
  var FROM_ZERO = { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } };
  function mount(id, opts, series) {
    var el = document.getElementById(id);
    if (!el) return;
    if (!series[0] || series[0].length === 0) { el.innerHTML = '<p class="empty">No probes.</p>'; return; }
    opts.width = widthOf(el);
    opts.height = 300;
    charts.push({ el: el, chart: new uPlot(opts, series, el) });
  }
  data.targets.forEach(function (t, i) {
    var rateAxis = { label: 'offered rate (per second)', values: function (u, vals) { return vals.map(function (v) { return v == null ? '' : (v >= 10 ? Math.round(v) : +v.toPrecision(2)) + '/s'; }); } };
    var kneeSeries = [{ label: 'offered', value: function (u, v) { return fmtRate(v); } },
      line('p50', '#059669', fmtMs), line('p90', '#2563eb', fmtMs), line('p95', '#d97706', fmtMs), line('p99', '#7c3aed', fmtMs, { width: 2 })];
    var kneeData = [t.rate, t.p50, t.p90, t.p95, t.p99];
    data.latencySlos.forEach(function (s) {
      kneeSeries.push(line('SLO ' + s.label, '#9ca3af', fmtMs, { dash: [6, 4], points: { show: false } }));
      kneeData.push(t.rate.map(function () { return s.ms; }));
    });
    ['pass', 'fail', 'limited'].forEach(function (v) {
      kneeSeries.push(marks('probe ' + (v === 'limited' ? 'limited by generator' : v === 'pass' ? 'passed' : 'failed'), MARK[v], fmtMs));
      kneeData.push(only(t.p99, t.verdict, v));
    });
    mount('chart-knee-' + i, { scales: { x: rateScale(t.rate), y: FROM_ZERO }, axes: [rateAxis, { label: 'latency (ms)', size: 60 }], series: kneeSeries }, kneeData);

    var tpSeries = [{ label: 'offered', value: function (u, v) { return fmtRate(v); } },
      line('offered (achieved = offered)', '#9ca3af', fmtRate, { dash: [6, 4], points: { show: false } }),
      line('achieved', '#2563eb', fmtRate, { width: 2 }), line('without error', '#059669', fmtRate)];
    var tpData = [t.rate, t.rate, t.achieved, t.good];
    ['pass', 'fail', 'limited'].forEach(function (v) {
      tpSeries.push(marks('probe ' + (v === 'limited' ? 'limited by generator' : v === 'pass' ? 'passed' : 'failed'), MARK[v], fmtRate));
      tpData.push(only(t.achieved, t.verdict, v));
    });
    mount('chart-throughput-' + i, { scales: { x: rateScale(t.rate), y: FROM_ZERO }, axes: [rateAxis, { label: 'per second', size: 60 }], series: tpSeries }, tpData);
  });
  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { charts.forEach(function (c) { c.chart.setSize({ width: widthOf(c.el), height: 300 }); }); });
  });
})();
`;
