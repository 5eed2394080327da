// report.html: ONE self-contained file that opens offline — uPlot inlined from node_modules at write time,
// the data embedded as JSON, tables rendered here so they read even with scripts off.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { RunResult, SloResult, Stats } from '../types.js';
import type { ReportOptions } from './options.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { formatCount, formatLatencyCells, formatLoadWindow, formatMs, formatPercent, formatRate } from './format.js';
import { byFrequency, failedChecks, sampleText, samplesOf, statusEntries, type CountEntry } from './counts.js';
import { chartData } from './html-data.js';
import { REPORT_SCRIPT } from './html-script.js';
import { REPORT_CSS } from './html-style.js';
import { redactResult } from './redact-result.js';
import { LAG_WARNING_MS, runNotes, verdictLabel } from './run-notes.js';
import { deferredText, sloActual, sloThreshold, sloVerdict } from './slo-view.js';

export function htmlReport(raw: RunResult, options: ReportOptions): string {
  const result = redactResult(raw, options.redact);
  const uplot = uplotAssets();
  const verdict = verdictLabel(result);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`${verdict} · bench: ${result.scenario}`)}</title>
<style>${uplot.css}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${header(result)}
${notes(result)}
${cards(result)}
${panel('SLOs', sloTable(result), result.sloDefaults ? 'These are the default SLOs: the scenario has no slo: section.' : '')}
<div class="grid2">
${panel('Throughput', '<div id="chart-throughput" class="chart"></div>', 'Completed requests and errors in each second (a last, partial second is left out).')}
${panel('Latency over time', '<div id="chart-latency" class="chart"></div>', latencyHint(result))}
</div>
<div style="height:18px"></div>
${panel('Latency by percentile', '<div id="chart-percentiles" class="chart"></div>', 'Full HDR histogram, for all requests and per endpoint; the x axis stretches the tail (90%, 99%, 99.9% …).')}
${panel('Endpoints', endpointTable(result))}
<div class="grid3">
${panel('Status codes', countTable('status', statusEntries(result.totals.statusCodes)))}
${panel('Error kinds', countTable('error kind', byFrequency(result.totals.errorKinds as Record<string, number>)))}
${panel('Failed checks', failedChecksTable(result))}
</div>
<footer>${h(`${result.tool.name} ${result.tool.version}`)} · schema v${result.schemaVersion}</footer>
</main>
<script type="application/json" id="bench-data">${jsonForScript({ result: withoutIntervalHistograms(result), charts: chartData(result) })}</script>
<script>${uplot.js}</script>
<script>${REPORT_SCRIPT}</script>
</body>
</html>
`;
}

export interface UplotAssets {
  js: string;
  css: string;
}

let cachedAssets: UplotAssets | null = null;

/** Read once per process: the same files for every report. */
export function uplotAssets(): UplotAssets {
  if (cachedAssets) return cachedAssets;
  const require = createRequire(import.meta.url);
  const read = (file: string): string => readFileSync(require.resolve(file), 'utf8');
  cachedAssets = {
    // A "</script" inside the library would end the element early; uPlot has none today, this keeps it so.
    js: read('uplot/dist/uPlot.iife.min.js').replace(/<\/script/gi, '<\\/script'),
    css: read('uplot/dist/uPlot.min.css').replace(/<\/style/gi, '<\\/style'),
  };
  return cachedAssets;
}

// Per-second histograms are for the hlog and merges; the page's charts use the computed series.
function withoutIntervalHistograms(result: RunResult): RunResult {
  return { ...result, timeline: result.timeline.map((p) => ({ ...p, histogram: '' })) };
}

function header(result: RunResult): string {
  const label = verdictLabel(result);
  const verdict = label === 'PASS' ? 'pass' : 'fail';
  const facts = [`target ${result.target}`, `started ${result.startedAt}`, formatLoadWindow(result.durationMs, result.drainMs), `${result.model} model`];
  const stop = result.stopReason ? `<p class="stop">${h(STOP_BANNER[result.stopReason])}</p>` : '';
  return `<header class="verdict ${verdict}">
<h1><span class="badge">${label}</span>${h(result.scenario)}</h1>${stop}
<p>${facts.map(h).join(' · ')}</p>
</header>`;
}

const STOP_BANNER: Record<NonNullable<RunResult['stopReason']>, string> = {
  interrupted: 'This run was interrupted (Ctrl-C or SIGTERM): the figures cover only part of the planned load.',
  'slo-abort': 'This run was aborted early by an abortOnFail SLO: the figures cover only part of the planned load.',
  error: 'This run stopped early on an error: the figures cover only part of the planned load.',
};

function notes(result: RunResult): string {
  const items = runNotes(result);
  return items.length === 0 ? '' : `<ul class="notes">${items.map((n) => `<li>${h(n)}</li>`).join('')}</ul>`;
}

function cards(result: RunResult): string {
  const t = result.totals;
  const card = (label: string, value: string, bad = false): string =>
    `<div class="card${bad ? ' bad' : ''}"><div class="label">${h(label)}</div><div class="value">${h(value)}</div></div>`;
  return `<div class="cards">
${card('requests', formatCount(t.requests))}
${card('throughput', `${formatRate(t.rps)}/s${plannedRate(result) === null ? '' : ` of ${formatRate(plannedRate(result)!)}/s planned`}`)}
${card('errors', `${formatCount(t.errors)} (${formatPercent(t.errorRate)}${t.dropped > 0 ? ' with the dropped' : ''})`, t.errors > 0 || t.dropped > 0)}
${card('dropped', `${formatCount(t.dropped)}${t.dropped > 0 && result.durationMs > 0 ? ` (${formatRate(t.dropped / (result.durationMs / 1000))}/s)` : ''}`, t.dropped > 0)}
${result.model === 'closed' ? '' : card('schedule lag p99', `${formatMs(result.scheduleLagMs.p99)} ms`, result.scheduleLagMs.p99 > LAG_WARNING_MS)}
${card('p50', latencyCard(t.latencyMs.p50, t.latencyMs.max))}
${card('p99', latencyCard(t.latencyMs.p99, t.latencyMs.max))}
${card('max', latencyCard(t.latencyMs.max, t.latencyMs.max))}
</div>`;
}

/** Open model: the arrivals per second the phases planned, over the load window (null when not known or not open). */
function plannedRate(result: RunResult): number | null {
  const phases = result.phases ?? [];
  if (result.model !== 'open' || phases.length === 0 || result.durationMs <= 0 || phases.some((p) => p.rate === undefined)) return null;
  const arrivals = phases.reduce((n, p) => n + ((p.rate! + (p.rampTo ?? p.rate!)) / 2) * (p.durationMs / 1000), 0);
  return arrivals / (result.durationMs / 1000);
}

/** "12.3 ms", or "no data" when no request got a response. */
function latencyCard(ms: number, maxMs: number): string {
  return maxMs > 0 ? `${formatMs(ms)} ms` : 'no data';
}

function latencyHint(result: RunResult): string {
  if (result.model === 'open') return 'Measured from the intended send time, so queueing in the generator counts (no coordinated omission).';
  const scope = result.model === 'closed' ? 'Closed model' : 'Closed phases';
  return `${scope}: service time under back-pressure (coordinated omission is not corrected).`;
}

function panel(title: string, body: string, hint = ''): string {
  const hintHtml = hint ? `<p class="hint">${h(hint)}</p>` : '';
  return `<section class="panel"><h2>${h(title)}</h2>${hintHtml}${body}</section>`;
}

const VERDICT_TEXT = { pass: '✓ pass', fail: '✗ fail', deferred: '– deferred to merge' } as const;

function sloTable(result: RunResult): string {
  if (result.slo.length === 0) return '<p class="empty">No SLOs.</p>';
  const rows = result.slo.map((s: SloResult) => {
    const verdict = sloVerdict(s);
    return `<tr><td class="text">${h(s.expr)}</td><td class="text">${h(s.endpoint ?? 'total')}</td><td>${h(sloActual(s))}</td><td>${h(sloThreshold(s))}</td><td class="text verdict-${verdict}">${verdict === 'deferred' ? `– ${h(deferredText(s))}` : VERDICT_TEXT[verdict]}</td></tr>`;
  });
  return `<table id="slo-table" class="data"><thead><tr><th class="text">SLO</th><th class="text">endpoint</th><th>actual</th><th>threshold</th><th class="text">result</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function endpointTable(result: RunResult): string {
  const head = ['endpoint', 'requests', 'rps', 'err%', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms'].map((c) => `<th>${c}</th>`).join('');
  const rows = result.endpoints.map((e) => statsRow(e.name, e, ''));
  rows.push(statsRow('TOTAL', result.totals, ' class="total"'));
  return `<table id="endpoint-table" class="data"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function statsRow(name: string, s: Stats, attrs: string): string {
  const l = s.latencyMs;
  const cells = [formatCount(s.requests), formatRate(s.rps), formatPercent(s.errorRate), ...formatLatencyCells(l)];
  return `<tr${attrs}><td>${h(name)}</td>${cells.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`;
}

function countTable(title: string, entries: CountEntry[]): string {
  if (entries.length === 0) return '<p class="empty">None.</p>';
  const rows = entries.map(([k, n]) => `<tr><td>${h(k)}</td><td>${formatCount(n)}</td></tr>`).join('');
  return `<table class="data"><thead><tr><th>${h(title)}</th><th>count</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function failedChecksTable(result: RunResult): string {
  const checks = failedChecks(result);
  if (checks.length === 0) return '<p class="empty">None.</p>';
  const rows = checks
    .map((f) => {
      const samples = samplesOf(result, f.endpoint, f.check).map((s) => `<div>${h(sampleText(s))}${s.body ? `<br><code>${h(s.body)}</code>` : ''}</div>`).join('');
      return `<tr><td>${h(f.endpoint)}</td><td class="text">${h(f.check)}</td><td>${formatCount(f.count)}</td><td class="text">${samples}</td></tr>`;
    })
    .join('');
  return `<table class="data"><thead><tr><th>endpoint</th><th class="text">check</th><th>failures</th><th class="text">first failures</th></tr></thead><tbody>${rows}</tbody></table>`;
}
