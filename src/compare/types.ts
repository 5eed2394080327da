// The shape of a comparison: plain data, written as comparison.json and read by every renderer.

/** Metrics a comparison reports, and a regression bound can name. */
export type CompareMetric = 'p50' | 'p90' | 'p95' | 'p99' | 'max' | 'mean' | 'rps' | 'error_rate';

export const COMPARE_METRICS: readonly CompareMetric[] = ['p50', 'p90', 'p95', 'p99', 'max', 'mean', 'rps', 'error_rate'];
export const LATENCY_METRICS: readonly CompareMetric[] = ['p50', 'p90', 'p95', 'p99', 'max', 'mean'];

/** `%`: relative to the base value; `pp`: percentage points (error_rate only). */
export interface Bound {
  value: number;
  unit: '%' | 'pp';
}

export type RegressionBounds = Record<CompareMetric, Bound>;

export type Verdict = 'better' | 'worse' | 'regression' | 'no significant change';

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
  bound: Bound;
  /** |Δ| must exceed this to count as significant (2·combined SE); null when no noise estimate exists */
  noise: number | null;
  significant: boolean;
  /** the change, in either direction, is larger than the bound */
  pastBound: boolean;
  verdict: Verdict;
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
  totals: ComparisonSection;
  endpoints: ComparisonSection[];
  /** total latency percentile curves [percentile, ms] for charts */
  curves: { base: Array<[number, number]>; head: Array<[number, number]> };
  overall: { regressed: boolean; summary: string };
}
