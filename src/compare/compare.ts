// Two RunResults → a Comparison: totals and every endpoint (union of both runs), one row per metric,
// each judged against its regression bound and the run-to-run noise. Pure.
import { decodeHistogram, percentileCurve } from '../metrics/histogram.js';
import type { RunResult, Stats } from '../types.js';
import { formatBound } from './bounds.js';
import { formatDelta, formatRelative } from './format.js';
import { statsValues } from './metrics.js';
import { noiseModel, type NoiseModel, type Rounds } from './noise.js';
import { COMPARE_METRICS, type Comparison, type ComparisonSection, type MetricRow, type RegressionBounds, type RunInfo } from './types.js';
import { compareMetric, MIN_RELATIVE_CHANGE, oneSidedRow, SIGNIFICANCE_Z } from './verdict.js';

export interface CompareOptions {
  bounds: RegressionBounds;
  baseLabel?: string;
  headLabel?: string;
  /** A/B alternating rounds (≥ 2 each): their spread replaces the timeline-based noise estimate */
  rounds?: Rounds;
}

export function compareResults(base: RunResult, head: RunResult, options: CompareOptions): Comparison {
  const noise = noiseModel(base, head, options.rounds);
  const totals = section('total', null, base.totals, head.totals, options.bounds, noise);
  const endpoints = endpointNames(base, head).map((name) =>
    section(name, name, base.endpoints.find((e) => e.name === name), head.endpoints.find((e) => e.name === name), options.bounds, noise),
  );
  return {
    base: runInfo(base, options.baseLabel ?? 'base'),
    head: runInfo(head, options.headLabel ?? 'head'),
    bounds: options.bounds,
    method: methodSentence(noise),
    totals,
    endpoints,
    curves: { base: curveOf(base.totals), head: curveOf(head.totals) },
    overall: overall([totals, ...endpoints]),
  };
}

/** Base order first, then endpoints only the head has, in its order. */
function endpointNames(base: RunResult, head: RunResult): string[] {
  const names = base.endpoints.map((e) => e.name);
  for (const e of head.endpoints) if (!names.includes(e.name)) names.push(e.name);
  return names;
}

function section(
  name: string, endpoint: string | null, base: Stats | undefined, head: Stats | undefined,
  bounds: RegressionBounds, noise: NoiseModel,
): ComparisonSection {
  const requests = { base: base?.requests ?? null, head: head?.requests ?? null };
  if (!base || !head) {
    const rows = COMPARE_METRICS.map((m) =>
      oneSidedRow(m, base ? statsValues(base)[m] : null, head ? statsValues(head)[m] : null, bounds[m]));
    return { name, onlyIn: base ? 'base' : 'head', requests, rows };
  }
  const b = statsValues(base);
  const h = statsValues(head);
  const rows = COMPARE_METRICS.map((m) => compareMetric(m, b[m], h[m], bounds[m], noise.errors(endpoint, m)));
  return { name, requests, rows };
}

function runInfo(run: RunResult, label: string): RunInfo {
  return { label, scenario: run.scenario, durationMs: run.durationMs, requests: run.totals.requests };
}

function curveOf(stats: Stats): Array<[number, number]> {
  return stats.histogram ? percentileCurve(decodeHistogram(stats.histogram)) : [];
}

function methodSentence(noise: NoiseModel): string {
  return `significant: |\u0394| > ${SIGNIFICANCE_Z}\u00b7\u221a(SE_base\u00b2 + SE_head\u00b2) and |\u0394| \u2265 ${MIN_RELATIVE_CHANGE * 100}% of base; ` +
    `${noise.description}; regression: significant, worse, and past the bound.`;
}

/** The summary is one line: the first few regressions, then a count (the table has them all). */
const SUMMARY_ITEMS = 4;

function overall(sections: ComparisonSection[]): Comparison['overall'] {
  const regressions = sections.flatMap((s) => s.rows.filter((r) => r.verdict === 'regression').map((r) => describe(s.name, r)));
  if (regressions.length > 0) {
    const listed = regressions.slice(0, SUMMARY_ITEMS).join(', ');
    const more = regressions.length > SUMMARY_ITEMS ? ` and ${regressions.length - SUMMARY_ITEMS} more` : '';
    return { regressed: true, summary: `REGRESSION: ${regressions.length} metrics past the bound: ${listed}${more}` };
  }
  const rows = sections.flatMap((s) => s.rows.filter(() => !s.onlyIn));
  const count = (v: MetricRow['verdict']): number => rows.filter((r) => r.verdict === v).length;
  const parts = [`${count('better')} better`, `${count('worse')} worse within the bound`, `${count('no significant change')} no significant change`];
  return { regressed: false, summary: `No regression: ${parts.join(', ')}` };
}

function describe(section: string, row: MetricRow): string {
  const change = row.bound.unit === 'pp' || row.relative === null ? formatDelta(row) : formatRelative(row);
  return `${section} ${row.metric} ${change} (bound ${formatBound(row.bound)})`;
}
