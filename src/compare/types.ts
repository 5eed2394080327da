// The shape of a comparison: plain data, written as comparison.json and read by every renderer.

/** Metrics a comparison reports, and a regression bound can name. */
export type CompareMetric = 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'mean' | 'rps' | 'error_rate';

export const COMPARE_METRICS: readonly CompareMetric[] = ['p50', 'p90', 'p95', 'p99', 'max', 'mean', 'rps', 'error_rate'];
export const LATENCY_METRICS: readonly CompareMetric[] = ['p50', 'p90', 'p95', 'p99', 'max', 'mean'];

/** Gated when no --max-regression names metrics. `max` is not: with a few hundred requests it is one request,
 * and p99 is often the same request. `rps` is not: it is set by the schedule (open model) or by latency and
 * think time (closed model), both judged already. Name either to gate it. */
export const DEFAULT_GATED: readonly CompareMetric[] = ['p50', 'p90', 'p95', 'p99', 'mean', 'error_rate'];

/** `%`: relative to the base value; `pp`: percentage points (error_rate only). A latency change counts only
 * when it exceeds both the relative bound and `floorMs` (a practical-significance floor: 10% of 0.3 ms is
 * nothing anyone can act on). */
export interface Bound {
  value: number;
  unit: '%' | 'pp';
  /** latencies only: the absolute change (ms) that must be exceeded too */
  floorMs?: number;
}

/** null: the metric is shown but not gated (it can never be a regression). */
export type RegressionBounds = Record<CompareMetric, Bound | null>;

/** `inconclusive`: worse and past the bound, but within the noise: not enough data to tell. */
export type Verdict = 'better' | 'worse' | 'regression' | 'no significant change' | 'inconclusive';

/** Which test decided: Welch's t on A/B rounds, Welch's t on within-run blocks, a z-test on the values' own
 * sampling error, or the bound alone (no noise estimate at all). */
export type TestKind = 'rounds' | 'blocks' | 'sampling' | 'bound-only';

export type Direction = 'lower-is-better' | 'higher-is-better';

export interface MetricRow {
  metric: CompareMetric;
  /** ms for latencies, per second for rps, a fraction (0.003) for error_rate */
  unit: 'ms' | '/s' | 'ratio';
  direction: Direction;
  /** null when the run has no such endpoint */
  base: number | null;
  head: number | null;
  /** head − base */
  delta: number | null;
  /** (head − base) / base; null when base is 0 or a side is missing */
  relative: number | null;
  /** null: not gated (never a regression) */
  bound: Bound | null;
  gated: boolean;
  /** |Δ| must exceed this to count as significant (the corrected critical t times the SE of Δ); null when no
   * noise estimate exists */
  noise: number | null;
  /** two-sided p-value of the test; null without a noise estimate */
  pValue: number | null;
  test: TestKind;
  significant: boolean;
  /** the change, in either direction, is larger than the bound (and its floor); false when not gated */
  pastBound: boolean;
  verdict: Verdict;
  /** set when this row is the same quantity as an earlier one (p99 = max with few samples; an endpoint that is
   * the whole run): shown, but not judged a second time */
  sameAs?: string;
}

export interface ComparisonSection {
  /** endpoint name; 'total' for the totals section */
  name: string;
  /** set when the endpoint exists in one run only */
  onlyIn?: 'base' | 'head';
  requests: { base: number | null; head: number | null };
  rows: MetricRow[];
}

export interface RunInfo {
  label: string;
  scenario: string;
  durationMs: number;
  requests: number;
}

export interface Comparison {
  base: RunInfo;
  head: RunInfo;
  bounds: RegressionBounds;
  /** one sentence: which significance rule was applied, from how much data */
  method: string;
  /** the test that decided and the data it had */
  test: {
    kind: TestKind;
    /** rounds or blocks per side (requests for `sampling`); 0 when there is no noise estimate */
    samples: { base: number; head: number };
    /** rows judged together (Bonferroni): family-wise false-alarm rate `alpha` over all of them */
    family: number;
    alpha: number;
  };
  totals: ComparisonSection;
  endpoints: ComparisonSection[];
  /** total latency percentile curves [percentile, ms] for charts */
  curves: { base: Array<[number, number]>; head: Array<[number, number]> };
  overall: { regressed: boolean; summary: string };
}
