// Judge SLOs against measured stats. Pure: the same stats always give the same verdicts.
import type { FlowStats, SloOp, SloResult, SloSpec, Stats } from '../types.js';
import { isLatencyMetric, unitOf } from './parse.js';
import { decodeHistogram, percentileMs, type Histogram } from '../metrics/histogram.js';
import { taggedStats } from './tagged.js';

/** What the evaluator reads: totals and per-endpoint stats. */
export interface Measured {
  totals: Stats;
  endpoints: ReadonlyArray<Stats & { name: string; tags?: Record<string, string> }>;
  /** the load window, ms: the rate of a tagged SLO's endpoints (0 or absent: their rates added) */
  durationMs?: number;
  /** per flow: iterations and durations, for `flow:NAME: …` SLOs */
  flows?: readonly FlowStats[];
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
      abortOnFail: spec.abortOnFail,
      windowMs: spec.windowMs,
      ...(spec.tags ? { tags: spec.tags } : {}),
    };
    if (options.deferMetrics?.has(spec.metric)) return { ...base, actual: metricValue(spec, measured), pass: true, deferred: true };
    const actual = metricValue(spec, measured);
    return { ...base, actual, pass: actual !== null && compareValue(actual, spec.op, spec.threshold) };
  });
}

/** One spec against one set of stats; `latency`, when given, is the live histogram behind them (no decoding). */
export function passes(spec: SloSpec, stats: Stats, latency?: Histogram): boolean {
  const actual = readMetric(stats, spec.metric, latency);
  return actual !== null && compareValue(actual, spec.op, spec.threshold);
}

export function allPass(results: readonly SloResult[]): boolean {
  return results.every((r) => r.pass);
}

function metricValue(spec: SloSpec, measured: Measured): number | null {
  if (spec.endpoint?.startsWith(FLOW_PREFIX)) {
    const flow = measured.flows?.find((f) => f.name === spec.endpoint!.slice(FLOW_PREFIX.length));
    return flow ? readMetric(flowAsStats(flow), spec.metric) : null;
  }
  const endpoints = spec.endpoint === null ? measured.endpoints : measured.endpoints.filter((e) => e.name === spec.endpoint);
  const stats = spec.tags
    ? taggedStats(endpoints, spec.tags, measured.durationMs ?? 0)
    : spec.endpoint === null
      ? measured.totals
      : endpoints[0];
  if (!stats) return null;
  return readMetric(stats, spec.metric);
}

/** `flow:checkout: p95 < 2s`: an SLO over one flow's iterations (k6 iteration_duration). */
export const FLOW_PREFIX = 'flow:';

/** A flow's iterations read like requests: latency is the iteration's duration, an error one cut short. */
function flowAsStats(flow: FlowStats): Stats {
  const errors = flow.iterations - flow.completed;
  return {
    requests: flow.iterations,
    errors,
    errorRate: flow.iterations === 0 ? 0 : errors / flow.iterations,
    rps: flow.perSecond,
    dropped: 0,
    statusCodes: {},
    errorKinds: {},
    checks: {},
    latencyMs: flow.durationMs,
    serviceTimeMs: flow.durationMs,
    histogram: flow.histogram,
    serviceHistogram: flow.histogram,
  };
}

/**
 * A metric's value from stats, in the SLO's unit (ms, fraction, per second, count). null without data:
 * a latency needs latency samples (a request that got no response has none), whatever `requests` says.
 */
export function readMetric(stats: Stats, metric: string, latency?: Histogram): number | null {
  if (isLatencyMetric(metric)) {
    const h = latency ?? histogramOf(stats);
    if (h ? h.totalCount === 0 : stats.latencyMs.max <= 0) return null;
    return latencyFor(stats, metric, h);
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

// Arbitrary percentiles (p75, p99.99) come from the full histogram, never from interpolating the named ones.
function latencyFor(stats: Stats, metric: string, h: Histogram | null): number | null {
  const named = NAMED_PERCENTILES[metric];
  if (named) return stats.latencyMs[named];
  if (!h) return null;
  return Math.min(percentileMs(h, Number(metric.slice(1))), stats.latencyMs.max);
}

/** The latency histogram behind stats; null for a hand-made result without one. */
function histogramOf(stats: Stats): Histogram | null {
  return stats.histogram ? decodeHistogram(stats.histogram) : null;
}

export function compareValue(actual: number, op: SloOp, threshold: number): boolean {
  switch (op) {
    case '<':
      return actual < threshold;
    case '<=':
      return actual <= threshold;
    case '>':
      return actual > threshold;
    case '>=':
      return actual >= threshold;
    case '==':
      return actual === threshold;
    case '!=':
      return actual !== threshold;
  }
}
