// The figures a comparison compares, read from the decoded HDR histogram (never from stored or averaged percentiles).
import { decodeHistogram, mergeEncoded, percentileMs, type Histogram } from '../metrics/histogram.js';
import type { Stats } from '../types.js';
import type { CompareMetric, Direction, MetricRow } from './types.js';

export type MetricValues = Record<CompareMetric, number>;

const PERCENTILES: Array<[CompareMetric, number]> = [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99]];

// Decoding is the costly part and the noise model asks for the same Stats repeatedly.
const memo = new WeakMap<Stats, MetricValues>();

/** Values of one Stats block (totals or an endpoint). */
export function statsValues(stats: Stats): MetricValues {
  let values = memo.get(stats);
  if (!values) {
    const histogram = stats.histogram ? decodeHistogram(stats.histogram) : mergeEncoded([]);
    values = { ...latencyValues(histogram), rps: stats.rps, error_rate: stats.errorRate };
    memo.set(stats, values);
  }
  return values;
}

/** Latency metrics of one histogram, in ms. */
export function latencyValues(h: Histogram): Omit<MetricValues, 'rps' | 'error_rate'> {
  const values = { p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  if (h.totalCount === 0) return values;
  for (const [metric, p] of PERCENTILES) values[metric as keyof typeof values] = percentileMs(h, p);
  values.max = Math.round(h.maxValue) / 1000;
  values.mean = Math.round(h.mean) / 1000;
  return values;
}

export function directionOf(metric: CompareMetric): Direction {
  return metric === 'rps' ? 'higher-is-better' : 'lower-is-better';
}

export function unitOf(metric: CompareMetric): MetricRow['unit'] {
  if (metric === 'rps') return '/s';
  if (metric === 'error_rate') return 'ratio';
  return 'ms';
}
