// Judge SLOs against measured stats. Pure: the same stats always give the same verdicts.
import type { SloOp, SloResult, SloSpec, Stats } from '../types.js';
import { isLatencyMetric, unitOf } from './parse.js';
import { decodeHistogram, percentileMs } from '../metrics/histogram.js';

/** What the evaluator reads: totals and per-endpoint stats. */
export interface Measured {
  totals: Stats;
  endpoints: ReadonlyArray<Stats & { name: string }>;
}

export interface EvaluateOptions {
  /** true when the SLOs are the defaults (so the report can say so) */
  isDefault?: boolean;
  /** metrics not judged here (a segment's absolute SLOs: rps, requests…); they pass as deferred */
  deferMetrics?: ReadonlySet<string>;
}

/** Absolute metrics: a segment only carries part of them, so only the merged run can judge them. */
export const ABSOLUTE_METRICS: ReadonlySet<string> = new Set(['rps', 'requests', 'errors', 'dropped']);

export function evaluateSlos(specs: readonly SloSpec[], measured: Measured, options: EvaluateOptions = {}): SloResult[] {
  return specs.map((spec) => {
    const base = {
      expr: spec.expr,
      endpoint: spec.endpoint,
      metric: spec.metric,
      op: spec.op,
      threshold: spec.threshold,
      unit: unitOf(spec.metric),
      isDefault: options.isDefault ?? false,
    };
    if (options.deferMetrics?.has(spec.metric)) return { ...base, actual: metricValue(spec, measured), pass: true, deferred: true };
    const actual = metricValue(spec, measured);
    return { ...base, actual, pass: actual !== null && compare(actual, spec.op, spec.threshold) };
  });
}

export function allPass(results: readonly SloResult[]): boolean {
  return results.every((r) => r.pass);
}

function metricValue(spec: SloSpec, measured: Measured): number | null {
  const stats = spec.endpoint === null ? measured.totals : measured.endpoints.find((e) => e.name === spec.endpoint);
  if (!stats) return null;
  return readMetric(stats, spec.metric);
}

/** A metric's value from stats, in the SLO's unit (ms, fraction, per second, count). null without data. */
export function readMetric(stats: Stats, metric: string): number | null {
  if (isLatencyMetric(metric)) {
    if (stats.requests === 0) return null;
    return latencyFor(stats, metric);
  }
  switch (metric) {
    case 'rps':
      return stats.rps;
    case 'requests':
      return stats.requests;
    case 'errors':
      return stats.errors;
    case 'dropped':
      return stats.dropped;
    case 'error_rate':
      return stats.requests + stats.dropped === 0 ? null : stats.errorRate;
    default:
      return null;
  }
}

const NAMED_PERCENTILES: Record<string, keyof Stats['latencyMs']> = {
  min: 'min',
  mean: 'mean',
  max: 'max',
  p50: 'p50',
  p90: 'p90',
  p95: 'p95',
  p99: 'p99',
  'p99.9': 'p999',
};

function latencyFor(stats: Stats, metric: string): number | null {
  const named = NAMED_PERCENTILES[metric];
  if (named) return stats.latencyMs[named];
  return percentileFromEncoded(stats.histogram, Number(metric.slice(1)));
}

// Arbitrary percentiles (p75, p99.99) come from the full histogram, never from interpolating the named ones.

function percentileFromEncoded(encoded: string, percentile: number): number | null {
  if (!encoded) return null;
  const h = decodeHistogram(encoded);
  return percentileMs(h, percentile);
}

function compare(actual: number, op: SloOp, threshold: number): boolean {
  switch (op) {
    case '<':
      return actual < threshold;
    case '<=':
      return actual <= threshold;
    case '>':
      return actual > threshold;
    case '>=':
      return actual >= threshold;
  }
}
