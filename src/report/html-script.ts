// The browser side of report.html (and comparison.html): reads the embedded chart data and draws uPlot charts.
// Plain ES2017 in a string (the project's TypeScript has no DOM types, and this runs in the page, not in Node).

/** What every bench page's charts share: formats, series, mounting, resizing, the percentile chart. Code for
 * inside a function body; it declares `charts`, `mount` and `percentileChart` there. */
export const CHART_HELPERS = String.raw`
  var charts = [];
  var PALETTE = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#9333ea'];
  var NINES_LABELS = { 0: '0%', 1: '90%', 2: '99%', 3: '99.9%', 4: '99.99%', 5: '99.999%', 6: 'max' };

  function widthOf(el) { return Math.max(300, Math.floor(el.clientWidth || 600)); }
  function fmtMs(v) { return v == null ? '–' : (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)) + ' ms'; }
  function fmtCount(v) { return v == null ? '–' : String(Math.round(v)); }
  function line(label, color, value, extra) {
    var s = { label: label, stroke: color, width: 1.5, value: function (u, v) { return value(v); }, points: { show: false } };
    for (var k in extra || {}) s[k] = extra[k];
    return s;
  }
  // Whole seconds only: the timeline has one point per second.
  var SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400];
  // Latency axes start at zero, so a small wobble does not look like a cliff.
  var FROM_ZERO = { range: function (u, min, max) { return [0, max > 0 ? max * 1.08 : 1]; } };
  function secondsAxis() { return { label: 'seconds since start', incrs: SECOND_STEPS, values: function (u, vals) { return vals.map(function (v) { return v + 's'; }); } }; }

  function mount(id, opts, series) {
    var el = document.getElementById(id);
    if (!el) return;
    if (!series[0] || series[0].length === 0) { el.innerHTML = '<p class="empty">No data.</p>'; return; }
    opts.width = widthOf(el);
    opts.height = 280;
    charts.push({ el: el, chart: new uPlot(opts, series, el) });
  }

  // p: { nines, series: [{ name, ms }] } (html-data.ts); style(i) → { color, width } of series i.
  function percentileChart(id, p, style) {
    var curveSeries = [{ label: 'percentile', value: function (u, v) { return v == null ? '–' : (NINES_LABELS[v] || (100 - 100 / Math.pow(10, v)).toPrecision(6) + '%'); } }];
    p.series.forEach(function (s, i) {
      var look = style(i);
      curveSeries.push(line(s.name, look.color, fmtMs, { width: look.width, spanGaps: true }));
    });
    mount(id, {
      scales: { x: { time: false, range: [0, 6] }, y: FROM_ZERO },
      axes: [
        { label: 'percentile', splits: function () { return [0, 1, 2, 3, 4, 5, 6]; }, values: function (u, vals) { return vals.map(function (v) { return NINES_LABELS[v] || ''; }); } },
        { label: 'latency (ms)', size: 60 },
      ],
      series: curveSeries,
    }, [p.nines].concat(p.series.map(function (s) { return s.ms; })));
  }

  var pending = 0;
  window.addEventListener('resize', function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      charts.forEach(function (c) { c.chart.setSize({ width: widthOf(c.el), height: 280 }); });
    });
  });
`;

export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('bench-data').textContent);
${CHART_HELPERS}
  var t = data.charts.timeline;
  mount('chart-throughput', {
    scales: { x: { time: false } },
    axes: [secondsAxis(), { label: 'per second', size: 60 }],
    series: [{ label: 'second' },
      line('requests/s', '#2563eb', fmtCount, { fill: 'rgba(37,99,235,0.08)' }),
      line('errors/s', '#dc2626', fmtCount, { fill: 'rgba(220,38,38,0.10)' })],
  }, [t.second, t.requests, t.errors]);

  mount('chart-latency', {
    scales: { x: { time: false }, y: FROM_ZERO },
    axes: [secondsAxis(), { label: 'latency (ms)', size: 60 }],
    series: [{ label: 'second' },
      line('p50', '#059669', fmtMs), line('p95', '#d97706', fmtMs),
      line('p99', '#dc2626', fmtMs), line('max', '#6b7280', fmtMs, { dash: [4, 4] })],
  }, [t.second, t.p50, t.p95, t.p99, t.max]);

  // The total in black and thicker, each endpoint in the palette.
  percentileChart('chart-percentiles', data.charts.percentiles, function (i) {
    return i === 0 ? { color: '#111827', width: 2.5 } : { color: PALETTE[(i - 1) % PALETTE.length], width: 1.5 };
  });
})();
`;
