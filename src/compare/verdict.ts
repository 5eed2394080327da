// One metric, base vs head → a row with its verdict. Pure.
import { directionOf, unitOf } from './metrics.js';
import type { SideErrors } from './noise.js';
import type { Bound, CompareMetric, MetricRow, Verdict } from './types.js';

/** z for the significance rule: |Δ| > 2·combined SE. */
export const SIGNIFICANCE_Z = 2;
/** Changes under 1% of the base are never significant: below what a load test can honestly resolve
 * (HDR buckets alone are 0.1% wide), and a zero-spread synthetic run would otherwise flag every wiggle. */
export const MIN_RELATIVE_CHANGE = 0.01;

export function compareMetric(metric: CompareMetric, base: number, head: number, bound: Bound, errors: SideErrors | null): MetricRow {
  const delta = head - base;
  const relative = base !== 0 ? delta / base : null;
  const pastBound = exceeds(delta, base, bound);
  const noise = errors ? SIGNIFICANCE_Z * Math.sqrt(errors.base ** 2 + errors.head ** 2) : null;
  const significant = noise === null ? pastBound : Math.abs(delta) > noise && Math.abs(delta) >= MIN_RELATIVE_CHANGE * Math.abs(base);
  const direction = directionOf(metric);
  const worse = direction === 'lower-is-better' ? delta > 0 : delta < 0;
  return {
    metric, unit: unitOf(metric), direction, base, head, delta, relative, bound, noise, significant, pastBound,
    verdict: verdictOf(delta !== 0 && significant, worse, pastBound),
  };
}

/** A row for an endpoint present in one run only: nothing to compare. */
export function oneSidedRow(metric: CompareMetric, base: number | null, head: number | null, bound: Bound): MetricRow {
  return {
    metric, unit: unitOf(metric), direction: directionOf(metric), base, head, delta: null, relative: null, bound,
    noise: null, significant: false, pastBound: false, verdict: 'no significant change',
  };
}

function verdictOf(significant: boolean, worse: boolean, pastBound: boolean): Verdict {
  if (!significant) return 'no significant change';
  if (!worse) return 'better';
  return pastBound ? 'regression' : 'worse';
}

/** Strictly larger than the bound, either way: "regressed past the bound". From a base of 0 any change is. */
function exceeds(delta: number, base: number, bound: Bound): boolean {
  if (delta === 0) return false;
  const EPSILON = 1e-9; // so 100 → 110 ms is exactly 10%, not 10.000000000000002%
  if (bound.unit === 'pp') return Math.abs(delta) * 100 > bound.value + EPSILON;
  if (base === 0) return true;
  return Math.abs(delta / base) * 100 > bound.value + EPSILON;
}
