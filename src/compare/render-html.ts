// comparison.html: one self-contained file (uPlot inlined, no network): both latency distributions on one
// percentile chart, then the comparison table.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { escapeHtml } from '../report/escape.js';
import { formatBounds } from './bounds.js';
import { formatDelta, formatRelative, formatValue, onlyInText, testLine, verdictText } from './format.js';
import type { Comparison, ComparisonSection, MetricRow } from './types.js';

export function renderComparisonHtml(comparison: Comparison): string {
  const title = `bench compare: ${comparison.base.label} \u2192 ${comparison.head.label}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${uplotAsset('uPlot.min.css')}
${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="${comparison.overall.regressed ? 'bad' : 'good'}"><strong>${escapeHtml(comparison.overall.summary)}</strong></p>
<p>Max regression: ${escapeHtml(formatBounds(comparison.bounds))}</p>
<p>Test: ${escapeHtml(testLine(comparison))}</p>
<h2>Latency distribution (total)</h2>
<div id="curve"></div>
<h2>Comparison</h2>
${tableHtml(comparison)}
<p class="method">Method: ${escapeHtml(comparison.method)}</p>
<script>${scriptSafe(uplotAsset('uPlot.iife.min.js'))}</script>
<script>
const chart = ${jsonForScript(chartData(comparison))};
${CHART_SCRIPT}
</script>
</body></html>
`;
}

/** x = "nines" of the percentile (−log10(1 − p/100)), so the tail gets room; the 100th percentile has no x. */
function chartData(comparison: Comparison): { labels: [string, string]; data: Array<Array<number | null>> } {
  const nines = (p: number): number => -Math.log10(1 - p / 100);
  const curves = [comparison.curves.base, comparison.curves.head].map(
    (curve) => new Map(curve.filter(([p]) => p < 100).map(([p, ms]) => [Math.round(nines(p) * 1e6) / 1e6, ms])),
  );
  const xs = [...new Set(curves.flatMap((c) => [...c.keys()]))].sort((a, b) => a - b);
  return {
    labels: [comparison.base.label, comparison.head.label],
    data: [xs, ...curves.map((c) => xs.map((x) => c.get(x) ?? null))],
  };
}

function tableHtml(comparison: Comparison): string {
  const labels = { base: comparison.base.label, head: comparison.head.label };
  const head = ['metric', labels.base, labels.head, '\u0394', '\u0394%', 'verdict'].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = [comparison.totals, ...comparison.endpoints].map((s) => sectionHtml(s, labels)).join('\n');
  return `<table><thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>`;
}

function sectionHtml(section: ComparisonSection, labels: { base: string; head: string }): string {
  const note = section.onlyIn ? ` <em>${escapeHtml(onlyInText(section.onlyIn, labels))}</em>` : '';
  const title = `<tr class="section"><th colspan="6">${escapeHtml(section.name)}${note}</th></tr>`;
  return [title, ...section.rows.map((row) => rowHtml(section, row))].join('\n');
}

function rowHtml(section: ComparisonSection, row: MetricRow): string {
  const cells = [formatValue(row, row.base), formatValue(row, row.head), formatDelta(row), formatRelative(row)];
  const verdictClass = row.verdict.replace(/\s+/g, '-');
  return `<tr><td>${row.metric}</td>${cells.map((c) => `<td class="num">${escapeHtml(c)}</td>`).join('')}` +
    `<td class="${verdictClass}">${escapeHtml(verdictText(section, row))}</td></tr>`;
}

const assets = new Map<string, string>();

/** uPlot's files, read once from node_modules: the report must open offline. */
function uplotAsset(file: string): string {
  let text = assets.get(file);
  if (text === undefined) {
    text = readFileSync(createRequire(import.meta.url).resolve(`uplot/dist/${file}`), 'utf8');
    assets.set(file, text);
  }
  return text;
}

/** Data inside <script>: no "<" at all, so no label can close the script or open a comment. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Code inside <script> must not close it early. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}th,td{padding:.25em .75em;border-bottom:1px solid #ddd}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.section th{text-align:left;background:#f4f4f4}
.regression,.bad{color:#b00020;font-weight:bold}.worse{color:#a15c00}.better,.good{color:#1b7f3b}
.no-significant-change{color:#777}.method{color:#555;font-size:.9em}`;

const CHART_SCRIPT = `const pct = (n) => n == null ? '' : (100 - 100 / Math.pow(10, n)).toFixed(Math.max(0, Math.ceil(n - 1e-9) - 2)) + '%';
new uPlot({
  width: Math.min(900, window.innerWidth - 40), height: 360,
  scales: { x: { time: false } },
  series: [
    { label: 'percentile', value: (u, v) => pct(v) },
    { label: chart.labels[0], stroke: '#1f77b4', width: 2, value: (u, v) => v == null ? '' : v + ' ms' },
    { label: chart.labels[1], stroke: '#d62728', width: 2, value: (u, v) => v == null ? '' : v + ' ms' },
  ],
  axes: [
    { label: 'percentile', splits: () => [0, 1, 2, 3, 4, 5], values: (u, vals) => vals.map(pct) },
    { label: 'latency (ms)' },
  ],
}, chart.data, document.getElementById('curve'));`;
