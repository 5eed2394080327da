// capacity.md (and the GitHub job summary): the verdict, one row per target, every probe. Pure.
import { escapeMarkdownCell as c } from '../report/escape.js';
import { formatMs, formatPercent, formatRate } from '../report/format.js';
import type { CapacityDocument, CapacityTarget } from './document.js';
import { brokenText, rateText } from './document.js';
import { probeResultText } from './terminal.js';

export function capacityMarkdown(doc: CapacityDocument): string {
  const icon = doc.pass === false || doc.targets.some((t) => t.status === 'never-passed') ? '❌' : doc.targets.some((t) => t.capacity === null) ? '⚠️' : '✅';
  const lines = [`## ${icon} Capacity: ${c(doc.scenario)}`, '', `**${c(doc.verdict)}**`, ''];
  lines.push('| target | capacity at SLO | first failure | SLO broken there | status |', '|---|--:|--:|---|---|');
  for (const t of doc.targets) {
    lines.push(`| ${c(t.name)} | ${t.capacity === null ? '–' : (t.status === 'at-max' ? '≥ ' : '') + rateText(t.capacity)} | ${t.firstFailure === null ? '–' : rateText(t.firstFailure)} | ${c(brokenText(t.brokenSlos) || '–')} | ${c(statusText(t))} |`);
  }
  lines.push('', ...notes(doc).map((n) => `> ${c(n)}`), '');
  for (const t of doc.targets) lines.push(...probeTable(t, doc.targets.length > 1));
  return lines.join('\n') + '\n';
}

function statusText(t: CapacityTarget): string {
  if (t.status === 'generator-limited') return `limited by the generator at ${rateText(t.limitedAt!)}`;
  if (t.status === 'stopped') return 'stopped early (bracket only)';
  return t.status;
}

export function notes(doc: CapacityDocument): string[] {
  const s = doc.settings;
  const out = [
    `Each probe: ${s.warmupMs / 1000} s warm-up (not measured), then ${s.stepMs / 1000} s measured at one open-model rate; the best pass is confirmed by a ${s.confirmMs / 1000} s run; ${s.coolDownMs / 1000} s cool-down between probes. Precision ${Math.round(s.precision * 1000) / 10}%.`,
  ];
  const perArrival = doc.targets.flatMap((t) => t.probes)[0]?.requestsPerArrival ?? 1;
  if (perArrival !== 1) out.push(`Rates are arrivals per second, each starting one flow iteration; the flows send ${perArrival} requests per arrival on average, so achieved = responses per second ÷ ${perArrival}.`);
  const unjudged = doc.slo.filter((x) => !x.judged).map((x) => x.expr);
  if (unjudged.length) out.push(`Not judged in a capacity search (the search sets the volume): ${unjudged.join(', ')}.`);
  if (doc.sloDefaults) out.push('The scenario has no slo: section, so the default SLOs apply.');
  for (const t of doc.targets) {
    if (t.hint) out.push(`${t.name}: ${t.hint}.`);
    if (t.passesAboveCeiling.length) out.push(`${t.name} passed at ${t.passesAboveCeiling.map(rateText).join(', ')} above its lowest failure (${rateText(t.firstFailure ?? t.limitedAt ?? 0)}): noisy or non-monotonic; the capacity stays below the lowest failure.`);
  }
  if (doc.stopReason === 'max-time') out.push('The search reached --max-time; the figures are the bracket found so far.');
  if (doc.stopReason === 'interrupted') out.push('The search was interrupted; the figures are what was probed.');
  return out;
}

function probeTable(t: CapacityTarget, named: boolean): string[] {
  const head = `${named ? `### ${c(t.name)} · probes` : '### Probes'}`;
  const rows = t.probes.map((p) => {
    const l = p.latencyMs;
    const cells = [String(p.index), p.kind, rateText(p.offeredRate), `${formatRate(p.achievedRate)}/s`, formatPercent(p.errorRate), ...[l.p50, l.p90, l.p95, l.p99].map((v) => `${formatMs(v)} ms`), `${formatMs(p.scheduleLagMs.p99)} ms`, probeResultText(p)];
    return `| ${cells.map(c).join(' | ')} |`;
  });
  return [head, '', '| # | kind | offered | achieved | errors | p50 | p90 | p95 | p99 | lag p99 | result |', '|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|---|', ...rows, ''];
}
