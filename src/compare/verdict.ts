// One metric, base vs head → a row with its verdict. Pure.
// significant: the two-sided p-value of Δ against the noise is below alpha / family (Bonferroni over every
// row judged), and |Δ| ≥ 1% of the base. regression: gated, significant, worse, and past the bound AND its
// floor. Past the bound and worse but not significant: inconclusive (not enough data to tell).
import { directionOf, unitOf } from './metrics.js';
import type { SideError } from './evidence.js';
import { twoSidedP, twoSidedQuantile } from './student-t.js';
import type { Bound, CompareMetric, MetricRow, TestKind, Verdict } from './types.js';

/** Changes under 1% of the base are never significant: below what a load test can honestly resolve
 * (HDR buckets alone are 0.1% wide), and a zero-spread synthetic run would otherwise flag every wiggle. */
export const MIN_RELATIVE_CHANGE = 0.01;

export interface TestLevel {
  /** family-wise false-alarm rate */
  alpha: number;
  /** rows judged together */
  family: number;
}

export interface RowInput {
  metric: CompareMetric;
  base: number;
  head: number;
  bound: Bound | null;
  errors: { base: SideError; head: SideError } | null;
  kind: TestKind;
}

export function compareMetric(input: RowInput, level: TestLevel): MetricRow {
  const { metric, base, head, bound } = input;
  const delta = head - base;
  const relative = base !== 0 ? delta / base : null;
  const pastBound = bound !== null && exceeds(delta, base, bound);
  const direction = directionOf(metric);
  const worse = direction === 'lower-is-better' ? delta > 0 : delta < 0;
  const perRow = level.alpha / Math.max(1, level.family);
  let noise: number | null = null;
  let pValue: number | null = null;
  let significant: boolean;
  if (input.errors) {
    const { base: b, head: h } = input.errors;
    const se = Math.sqrt(b.se ** 2 + h.se ** 2);
    const df = welchDf(b, h);
    pValue = se === 0 ? (delta === 0 ? 1 : 0) : twoSidedP(delta / se, df);
    noise = se * twoSidedQuantile(perRow, df);
    significant = delta !== 0 && pValue < perRow && Math.abs(delta) >= MIN_RELATIVE_CHANGE * Math.abs(base);
  } else {
    significant = pastBound; // no noise estimate: only the bound (and its floor) can decide
  }
  return {
    metric, unit: unitOf(metric), direction, base, head, delta, relative, bound, gated: bound !== null,
    noise, pValue, test: input.errors ? input.kind : 'bound-only', significant, pastBound,
    verdict: verdictOf(significant, worse, pastBound),
  };
}

/** A row for an endpoint present in one run only: nothing to compare. */
export function oneSidedRow(metric: CompareMetric, base: number | null, head: number | null, bound: Bound | null): MetricRow {
  return {
    metric, unit: unitOf(metric), direction: directionOf(metric), base, head, delta: null, relative: null, bound,
    gated: bound !== null, noise: null, pValue: null, test: 'bound-only', significant: false, pastBound: false,
    verdict: 'no significant change',
  };
}

/** Welch–Satterthwaite degrees of freedom of the difference (Infinity when both errors are sampling errors). */
export function welchDf(b: SideError, h: SideError): number {
  const vb = b.se ** 2;
  const vh = h.se ** 2;
  const denominator = (vb > 0 ? vb ** 2 / b.df : 0) + (vh > 0 ? vh ** 2 / h.df : 0);
  if (denominator === 0) return Math.min(b.df, h.df);
  return (vb + vh) ** 2 / denominator;
}

function verdictOf(significant: boolean, worse: boolean, pastBound: boolean): Verdict {
  if (!significant) return worse && pastBound ? 'inconclusive' : 'no significant change';
  if (!worse) return 'better';
  return pastBound ? 'regression' : 'worse';
}

/** Strictly larger than the bound, either way, and (latencies) than its floor. From a base of 0 any change
 * past the floor is. */
function exceeds(delta: number, base: number, bound: Bound): boolean {
  if (delta === 0) return false;
  const EPSILON = 1e-9; // so 100 → 110 ms is exactly 10%, not 10.000000000000002%
  if (bound.floorMs !== undefined && Math.abs(delta) <= bound.floorMs + EPSILON) return false;
  if (bound.unit === 'pp') return Math.abs(delta) * 100 > bound.value + EPSILON;
  if (base === 0) return true;
  return Math.abs(delta / base) * 100 > bound.value + EPSILON;
}
