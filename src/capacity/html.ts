// capacity.html: ONE self-contained file — uPlot inlined (the same assets as report.html), the data
// embedded as JSON. Per target: latency percentiles against the offered rate (the knee) and achieved
// against offered throughput, every probe marked pass / fail / generator-limited. Tables render
// server-side, so the page reads even with scripts off. Pure.
import { escapeHtml as h, jsonForScript } from '../report/escape.js';
import { formatMs, formatPercent, formatRate } from '../report/format.js';
import { uplotAssets } from '../report/html.js';
import { REPORT_CSS } from '../report/html-style.js';
import { isLatencyMetric } from '../slo/parse.js';
import type { SloSpec } from '../types.js';
import type { CapacityDocument, CapacityTarget } from './document.js';
import { brokenText, rateText } from './document.js';
import { notes } from './markdown.js';
import { CAPACITY_SCRIPT } from './html-script.js';
import { probeResultText } from './terminal.js';

export interface KneeSeries {
  name: string;
  /** offered rate of each point, ascending (the latest probe at each rate) */
  rate: number[];
  achieved: number[];
  good: number[];
  p50: number[];
  p90: number[];
  p95: number[];
  p99: number[];
  verdict: Array<'pass' | 'fail' | 'limited'>;
}

/** One point per offered rate: the latest probe there (the one the search's verdict rests on). */
export function kneeSeries(t: CapacityTarget): KneeSeries {
  const byRate = new Map<number, CapacityTarget['probes'][number]>();
  for (const p of t.probes) byRate.set(p.offeredRate, p);
  const points = [...byRate.values()].sort((a, b) => a.offeredRate - b.offeredRate);
  return {
    name: t.name,
    rate: points.map((p) => p.offeredRate),
    achieved: points.map((p) => p.achievedRate),
    good: points.map((p) => p.goodRate),
    p50: points.map((p) => p.latencyMs.p50),
    p90: points.map((p) => p.latencyMs.p90),
    p95: points.map((p) => p.latencyMs.p95),
    p99: points.map((p) => p.latencyMs.p99),
    verdict: points.map((p) => p.verdict),
  };
}

export function capacityHtml(doc: CapacityDocument, slo: readonly Pick<SloSpec, 'expr' | 'endpoint' | 'metric' | 'threshold'>[] = []): string {
  const uplot = uplotAssets();
  const bad = doc.pass === false || doc.targets.some((t) => t.capacity === null);
  const latencySlos = slo.filter((s) => s.endpoint === null && isLatencyMetric(s.metric)).map((s) => ({ label: s.expr, ms: s.threshold }));
  const data = { targets: doc.targets.map(kneeSeries), latencySlos };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`Capacity · bench: ${doc.scenario}`)}</title>
<style>${uplot.css}</style>
<style>${REPORT_CSS}</style>
<style>h2.target { margin: 8px 0 12px; } h2.target small { color: var(--muted); font-weight: 400; font-size: 14px; } table.probes td.text { min-width: 300px; }</style>
</head>
<body>
<main>
<header class="verdict ${bad ? 'fail' : 'pass'}">
<h1><span class="badge">CAPACITY</span>${h(doc.scenario)}</h1>
<p id="verdict">${h(doc.verdict)}</p>
</header>
<ul class="notes">${notes(doc).map((n) => `<li>${h(n)}</li>`).join('')}</ul>
${panel('Targets', targetTable(doc))}
${doc.targets.map((t, i) => targetSection(t, i)).join('\n')}
<footer>${h(`${doc.tool.name} ${doc.tool.version}`)} · capacity schema v${doc.schemaVersion}</footer>
</main>
<script type="application/json" id="capacity-data">${jsonForScript(data)}</script>
<script>${uplot.js}</script>
<script>${CAPACITY_SCRIPT}</script>
</body>
</html>
`;
}

function targetSection(t: CapacityTarget, i: number): string {
  return `<h2 class="target">${h(t.name)} <small>${h(t.target)}</small></h2>
<div class="grid2">
${panel('Latency against offered rate (the knee)', `<div id="chart-knee-${i}" class="chart"></div>`, 'p50 / p90 / p95 / p99 of each probe, from the intended send time; the markers show each probe\'s verdict.')}
${panel('Throughput: achieved against offered', `<div id="chart-throughput-${i}" class="chart"></div>`, 'Responses per second in the measured window (all, and without error); the dashed line is achieved = offered.')}
</div>
<div style="height:18px"></div>
${panel('Probes', probeTable(t, i))}`;
}

function targetTable(doc: CapacityDocument): string {
  const rows = doc.targets.map(
    (t) =>
      `<tr><td>${h(t.name)}</td><td>${t.capacity === null ? '–' : h((t.status === 'at-max' ? '≥ ' : '') + rateText(t.capacity))}</td><td>${t.firstFailure === null ? '–' : h(rateText(t.firstFailure))}</td><td class="text">${h(brokenText(t.brokenSlos) || '–')}</td><td class="text">${h(t.message)}</td></tr>`,
  );
  return `<table id="target-table" class="data"><thead><tr><th>target</th><th>capacity at SLO</th><th>first failure</th><th class="text">SLO broken there</th><th class="text">verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function probeTable(t: CapacityTarget, i: number): string {
  const head = ['#', 'kind', 'offered', 'achieved', 'good', 'responses/s', 'errors', 'dropped', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'lag p99 ms', 'gen CPU'].map((c) => `<th>${c}</th>`).join('') + '<th class="text">result</th>';
  const rows = t.probes.map((p) => {
    const l = p.latencyMs;
    const cells = [String(p.index), p.kind, `${formatRate(p.offeredRate)}/s`, `${formatRate(p.achievedRate)}/s`, `${formatRate(p.goodRate)}/s`, formatRate(p.responsesPerSecond), formatPercent(p.errorRate), String(p.dropped), ...[l.p50, l.p90, l.p95, l.p99, p.scheduleLagMs.p99].map(formatMs), `${Math.round(p.generatorCpu * 100)}%`];
    const cls = p.generatorLimited ? 'deferred' : p.pass ? 'pass' : 'fail';
    return `<tr data-verdict="${p.verdict}">${cells.map((c) => `<td>${h(c)}</td>`).join('')}<td class="text verdict-${cls}">${h(probeResultText(p))}</td></tr>`;
  });
  return `<table id="probe-table-${i}" class="data probes"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function panel(title: string, body: string, hint = ''): string {
  return `<section class="panel"><h2>${h(title)}</h2>${hint ? `<p class="hint">${h(hint)}</p>` : ''}${body}</section>`;
}
