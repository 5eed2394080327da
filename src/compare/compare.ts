// Two RunResults → a Comparison: totals and every endpoint (union of both runs), one row per metric, each
// judged against its regression bound and the noise the data can show (see evidence.ts). Pure.
// False alarms are controlled family-wise: every gated row is one test, and Bonferroni splits alpha (5%)
// over all of them, so an unchanged server is flagged in at most 5% of comparisons however many endpoints
// it has. A row that is the same quantity as another (p99 = max with ~100 requests; the only endpoint =
// the totals) is shown but judged once.
import { decodeHistogram, percentileCurve } from '../metrics/histogram.js';
import type { RunResult, Stats } from '../types.js';
import { formatBound } from './bounds.js';
import { gatherEvidence, type Evidence, type Rounds } from './evidence.js';
import { formatDelta, formatRelative } from './format.js';
import { statsValues } from './metrics.js';
import { COMPARE_METRICS, LATENCY_METRICS, type Comparison, type ComparisonSection, type MetricRow, type RegressionBounds, type RunInfo } from './types.js';
import { compareMetric, MIN_RELATIVE_CHANGE, oneSidedRow, type RowInput } from './verdict.js';

/** Family-wise false-alarm rate of a comparison. */
export const ALPHA = 0.05;

export interface CompareOptions {
  bounds: RegressionBounds;
  baseLabel?: string;
  headLabel?: string;
  /** A/B alternating rounds (≥ 2 each): their spread is the run-to-run noise */
  rounds?: Rounds;
}

interface PlannedRow {
  input: RowInput;
  /** the row this one repeats, as "p99" or "total p99" */
  sameAs?: { section: number; metric: string; label: string };
}

interface PlannedSection {
  name: string;
  endpoint: string | null;
  onlyIn?: 'base' | 'head';
  requests: { base: number | null; head: number | null };
  rows: PlannedRow[] | MetricRow[];
}

export function compareResults(base: RunResult, head: RunResult, options: CompareOptions): Comparison {
  const evidence = gatherEvidence(base, head, options.rounds);
  const planned = [
    plan('total', null, base.totals, head.totals, options.bounds, evidence),
    ...endpointNames(base, head).map((name) =>
      plan(name, name, base.endpoints.find((e) => e.name === name), head.endpoints.find((e) => e.name === name), options.bounds, evidence)),
  ];
  markRepeats(planned);
  const family = planned.flatMap((s) => (s.onlyIn ? [] : (s.rows as PlannedRow[]))).filter((r) => !r.sameAs && r.input.bound && r.input.errors).length;
  const sections = judge(planned, { alpha: ALPHA, family });
  const [totals, ...endpoints] = sections as [ComparisonSection, ...ComparisonSection[]];
  return {
    base: runInfo(base, options.baseLabel ?? 'base'),
    head: runInfo(head, options.headLabel ?? 'head'),
    bounds: options.bounds,
    method: methodSentence(evidence, family, sections),
    test: { kind: evidence.kind, samples: evidence.samples, family, alpha: ALPHA },
    totals,
    endpoints,
    curves: { base: curveOf(base.totals), head: curveOf(head.totals) },
    overall: overall(sections),
  };
}

/** Base order first, then endpoints only the head has, in its order. */
function endpointNames(base: RunResult, head: RunResult): string[] {
  const names = base.endpoints.map((e) => e.name);
  for (const e of head.endpoints) if (!names.includes(e.name)) names.push(e.name);
  return names;
}

function plan(name: string, endpoint: string | null, base: Stats | undefined, head: Stats | undefined, bounds: RegressionBounds, evidence: Evidence): PlannedSection {
  const requests = { base: base?.requests ?? null, head: head?.requests ?? null };
  if (!base || !head) {
    const rows = COMPARE_METRICS.map((m) => oneSidedRow(m, base ? statsValues(base)[m] : null, head ? statsValues(head)[m] : null, bounds[m]));
    return { name, endpoint, onlyIn: base ? 'base' : 'head', requests, rows };
  }
  const b = statsValues(base);
  const h = statsValues(head);
  const rows = COMPARE_METRICS.map((metric): PlannedRow => {
    const eb = evidence.error('base', endpoint, metric);
    const eh = evidence.error('head', endpoint, metric);
    return { input: { metric, base: b[metric], head: h[metric], bound: bounds[metric], errors: eb && eh ? { base: eb, head: eh } : null, kind: evidence.kind } };
  });
  return { name, endpoint, requests, rows };
}

/** The same numbers on both sides are the same quantity: judge them once. Within a section the first gated
 * latency metric of a group of equal ones is judged (else the first); an endpoint's metric equal to the totals'
 * (a run with one endpoint) repeats the totals. */
function markRepeats(sections: PlannedSection[]): void {
  const same = (a: RowInput, b: RowInput): boolean => a.base === b.base && a.head === b.head;
  const totals = sections[0]!;
  for (const [index, section] of sections.entries()) {
    if (section.onlyIn) continue;
    const rows = section.rows as PlannedRow[];
    if (index > 0 && !totals.onlyIn) {
      for (const row of rows) {
        const total = (totals.rows as PlannedRow[]).find((t) => t.input.metric === row.input.metric)!;
        if (same(row.input, total.input) && boundKey(row.input) === boundKey(total.input)) {
          row.sameAs = total.sameAs ?? { section: 0, metric: row.input.metric, label: `total ${row.input.metric}` };
        }
      }
    }
    const latency = rows.filter((r) => LATENCY_METRICS.includes(r.input.metric) && !r.sameAs);
    for (const row of latency) {
      if (row.sameAs) continue;
      const group = latency.filter((r) => !r.sameAs && same(r.input, row.input));
      if (group.length < 2) continue;
      const primary = group.find((r) => r.input.bound) ?? group[0]!;
      for (const r of group) if (r !== primary) r.sameAs = { section: index, metric: primary.input.metric, label: primary.input.metric };
    }
  }
}

function boundKey(input: RowInput): string {
  return input.bound ? formatBound(input.bound) : 'none';
}

function judge(planned: PlannedSection[], level: { alpha: number; family: number }): ComparisonSection[] {
  const judged: ComparisonSection[] = planned.map((s) => ({
    name: s.name,
    ...(s.onlyIn ? { onlyIn: s.onlyIn } : {}),
    requests: s.requests,
    rows: s.onlyIn ? (s.rows as MetricRow[]) : (s.rows as PlannedRow[]).map((r) => compareMetric(r.input, level)),
  }));
  // Repeats take the verdict of the row they repeat: one delta, one verdict.
  for (const [i, s] of planned.entries()) {
    if (s.onlyIn) continue;
    for (const [j, r] of (s.rows as PlannedRow[]).entries()) {
      if (!r.sameAs) continue;
      const original = judged[r.sameAs.section]!.rows.find((row) => row.metric === r.sameAs!.metric)!;
      const row = judged[i]!.rows[j]!;
      judged[i]!.rows[j] = { ...row, significant: original.significant, pastBound: original.pastBound && row.gated, verdict: row.gated || original.verdict !== 'regression' ? original.verdict : 'worse', sameAs: r.sameAs.label };
    }
  }
  return judged;
}

function runInfo(run: RunResult, label: string): RunInfo {
  return { label, scenario: run.scenario, durationMs: run.durationMs, requests: run.totals.requests };
}

function curveOf(stats: Stats): Array<[number, number]> {
  return stats.histogram ? percentileCurve(decodeHistogram(stats.histogram)) : [];
}

function methodSentence(evidence: Evidence, family: number, sections: ComparisonSection[]): string {
  const boundOnly = sections.some((s) => !s.onlyIn && s.rows.some((r) => r.gated && r.test === 'bound-only' && !r.sameAs));
  const test = family > 0
    ? `${evidence.description}; significant: p < ${ALPHA}/${family} (Bonferroni over ${family} gated metric${family === 1 ? '' : 's'}: ` +
      `family-wise false-alarm rate ${ALPHA * 100}% against the noise measured) and |\u0394| \u2265 ${MIN_RELATIVE_CHANGE * 100}% of base`
    : 'no noise estimate for any gated metric';
  const fallback = boundOnly ? '; metrics without a noise estimate (e.g. max) count only past the bound' : '';
  return `${test}${fallback}; regression: gated, significant, worse, and past the bound and its floor; ` +
    'inconclusive: past the bound but within the noise (not enough data to tell).';
}

/** The summary is one line: the first few regressions, then a count (the table has them all). */
const SUMMARY_ITEMS = 4;

function overall(sections: ComparisonSection[]): Comparison['overall'] {
  const judged = sections.flatMap((s) => (s.onlyIn ? [] : s.rows.filter((r) => !r.sameAs).map((r) => ({ section: s.name, row: r }))));
  const regressions = judged.filter((j) => j.row.verdict === 'regression').map((j) => describe(j.section, j.row));
  if (regressions.length > 0) {
    const listed = regressions.slice(0, SUMMARY_ITEMS).join(', ');
    const more = regressions.length > SUMMARY_ITEMS ? ` and ${regressions.length - SUMMARY_ITEMS} more` : '';
    return { regressed: true, summary: `REGRESSION: ${regressions.length} metric${regressions.length === 1 ? '' : 's'} past the bound: ${listed}${more}` };
  }
  const count = (v: MetricRow['verdict']): number => judged.filter((j) => j.row.verdict === v).length;
  const parts = [`${count('better')} better`, `${count('worse')} worse within the bound`, `${count('no significant change')} no significant change`];
  const inconclusive = count('inconclusive');
  if (inconclusive) parts.push(`${inconclusive} inconclusive (past the bound, within the noise: not enough data to tell)`);
  return { regressed: false, summary: `No regression: ${parts.join(', ')}` };
}

function describe(section: string, row: MetricRow): string {
  const change = row.bound?.unit === 'pp' || row.relative === null ? formatDelta(row) : formatRelative(row);
  return `${section} ${row.metric} ${change} (bound ${row.bound ? formatBound(row.bound) : 'none'})`;
}
