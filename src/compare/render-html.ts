// comparison.html: one self-contained file that opens offline, in report.html's look — the verdict in a
// sentence at the top, both runs' latency distributions on one percentile chart (report.html's uPlot setup
// and styles, inlined), links to each side's report.html, then the comparison table.
import { escapeHtml as h, jsonForScript } from '../report/escape.js';
import { percentileSeriesOf } from '../report/html-data.js';
import { CHART_HELPERS } from '../report/html-script.js';
import { REPORT_CSS } from '../report/html-style.js';
import { uplotAssets } from '../report/html.js';
import { formatBounds } from './bounds.js';
import { formatDelta, formatRelative, formatValue, onlyInText, testLine, verdictText } from './format.js';
import { verdictSentence } from './sentence.js';
import type { Comparison, ComparisonSection, MetricRow, RunInfo } from './types.js';

export interface ComparisonHtmlOptions {
  /** each side's report.html, relative to the comparison's folder (absent: not found next to its result.json) */
  reports?: { base?: string; head?: string };
}

export function renderComparisonHtml(comparison: Comparison, options: ComparisonHtmlOptions = {}): string {
  const uplot = uplotAssets();
  const title = `${comparison.base.label} \u2192 ${comparison.head.label}`;
  const badge = comparison.overall.regressed ? 'REGRESSION' : 'NO REGRESSION';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`${badge} · bench compare: ${title}`)}</title>
<style>${uplot.css}</style>
<style>${REPORT_CSS}${COMPARE_CSS}</style>
</head>
<body>
<main>
<header class="verdict ${comparison.overall.regressed ? 'fail' : 'pass'}">
<h1><span class="badge">${badge}</span>${h(title)}</h1>
<p class="sentence" id="verdict-sentence">${h(verdictSentence(comparison))}</p>
<p>${h(comparison.overall.summary)}</p>
</header>
${panel('Runs', runsTable(comparison, options.reports ?? {}))}
${panel('Latency by percentile', '<div id="chart-percentiles" class="chart"></div>', `Full HDR histograms of all requests, ${comparison.base.label} and ${comparison.head.label} on one chart; the x axis stretches the tail (90%, 99%, 99.9% …).`)}
${panel('Comparison', tableHtml(comparison), `Max regression: ${formatBounds(comparison.bounds)}. Test: ${testLine(comparison)}.`)}
<p class="method">Method: ${h(comparison.method)}</p>
</main>
<script type="application/json" id="compare-data">${jsonForScript({ percentiles: chartData(comparison) })}</script>
<script>${uplot.js}</script>
<script>${COMPARE_SCRIPT}</script>
</body>
</html>
`;
}

/** Both total curves on report.html's "nines" axis (the max at its end). */
function chartData(comparison: Comparison): ReturnType<typeof percentileSeriesOf> {
  return percentileSeriesOf([
    { name: comparison.base.label, points: comparison.curves.base },
    { name: comparison.head.label, points: comparison.curves.head },
  ]);
}

function panel(title: string, body: string, hint = ''): string {
  const hintHtml = hint ? `<p class="hint">${h(hint)}</p>` : '';
  return `<section class="panel"><h2>${h(title)}</h2>${hintHtml}${body}</section>`;
}

function runsTable(comparison: Comparison, reports: { base?: string; head?: string }): string {
  const row = (side: 'base' | 'head', run: RunInfo): string => {
    const link = reports[side] ? `<a href="${h(hrefOf(reports[side]!))}">report.html</a>` : '—';
    return `<tr><td>${side}</td><td class="text">${h(run.label)}</td><td class="text">${h(run.scenario)}</td><td>${run.requests}</td><td>${(run.durationMs / 1000).toFixed(1)}s</td><td class="text report-link">${link}</td></tr>`;
  };
  return `<table id="runs-table" class="data"><thead><tr><th>run</th><th class="text">label</th><th class="text">scenario</th><th>requests</th><th>duration</th><th class="text">report</th></tr></thead>` +
    `<tbody>${row('base', comparison.base)}${row('head', comparison.head)}</tbody></table>`;
}

/** A relative path as a URL: each segment percent-encoded, "/" kept. */
function hrefOf(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function tableHtml(comparison: Comparison): string {
  const labels = { base: comparison.base.label, head: comparison.head.label };
  const head = ['metric', labels.base, labels.head, '\u0394', '\u0394%', 'verdict'].map((t, i) => `<th${i === 5 ? ' class="text"' : ''}>${h(t)}</th>`).join('');
  const body = [comparison.totals, ...comparison.endpoints].map((s) => sectionHtml(s, labels)).join('\n');
  return `<table id="comparison-table" class="data"><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function sectionHtml(section: ComparisonSection, labels: { base: string; head: string }): string {
  const note = section.onlyIn ? ` <em>${h(onlyInText(section.onlyIn, labels))}</em>` : '';
  const title = `<tr class="section"><th colspan="6">${h(section.name)}${note}</th></tr>`;
  return [title, ...section.rows.map((row) => rowHtml(section, row))].join('\n');
}

function rowHtml(section: ComparisonSection, row: MetricRow): string {
  const cells = [formatValue(row, row.base), formatValue(row, row.head), formatDelta(row), formatRelative(row)];
  const verdictClass = row.verdict.replace(/\s+/g, '-');
  return `<tr><td>${row.metric}</td>${cells.map((c) => `<td>${h(c)}</td>`).join('')}` +
    `<td class="text ${verdictClass}">${h(verdictText(section, row))}</td></tr>`;
}

const COMPARE_CSS = `
header p.sentence { color: var(--fg); font-size: 16px; font-weight: 600; margin: 6px 0 4px; }
table.data tr.section th { text-align: left; background: var(--bg); color: var(--fg); text-transform: none; font-size: 13px; }
td.regression { color: var(--fail); font-weight: 600; }
td.worse, td.inconclusive { color: var(--warn); }
td.better { color: var(--pass); }
td.no-significant-change { color: var(--muted); }
p.method { color: var(--muted); font-size: 12px; }
`;

// report.html's chart helpers, then one chart: base in blue, head in red.
const COMPARE_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('compare-data').textContent);
${CHART_HELPERS}
  var SIDES = ['#2563eb', '#dc2626'];
  percentileChart('chart-percentiles', data.percentiles, function (i) { return { color: SIDES[i], width: 2 }; });
})();
`;
