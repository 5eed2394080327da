// Snapshot → Prometheus series: names, labels, values. The one place that names what bench writes
// (the README's table and dashboards/bench-prometheus.json follow it). Pure.
import { toClassic, toNative, type NativeHistogram } from './buckets.js';
import type { LiveSnapshot } from './live-state.js';

export type Labels = Record<string, string>;

export type Series =
  | { labels: Labels; value: number; timeMs: number }
  | { labels: Labels; histogram: NativeHistogram; timeMs: number };

/** Every metric name bench writes (classic histograms add _bucket, _sum, _count to the duration). */
export const SERIES = {
  requests: 'bench_requests_total',
  errors: 'bench_errors_total',
  dropped: 'bench_dropped_total',
  inFlight: 'bench_in_flight',
  scheduledRate: 'bench_scheduled_rate',
  achievedRate: 'bench_achieved_rate',
  duration: 'bench_request_duration_seconds',
  intervalQuantile: 'bench_interval_latency_seconds',
  sloThreshold: 'bench_slo_threshold_seconds',
} as const;

export function seriesNames(): string[] {
  const d = SERIES.duration;
  return [...Object.values(SERIES), `${d}_bucket`, `${d}_sum`, `${d}_count`];
}

export interface SeriesOptions {
  /** scenario, target, segment and the user's extra labels */
  base: Labels;
  histograms: 'native' | 'classic';
  /** latency SLOs, for the dashboard's SLO line: threshold in seconds */
  sloLines: Array<{ expr: string; endpoint: string | null; seconds: number }>;
}

export function toSeries(snap: LiveSnapshot, options: SeriesOptions): Series[] {
  const out: Series[] = [];
  const timeMs = snap.timeMs;
  const put = (name: string, labels: Labels, value: number): void => {
    out.push({ labels: { ...options.base, ...labels, __name__: name }, value, timeMs });
  };
  put(SERIES.inFlight, {}, snap.inFlight);
  if (snap.scheduledRate !== null) put(SERIES.scheduledRate, {}, snap.scheduledRate);
  put(SERIES.achievedRate, {}, snap.achievedRate);
  for (const slo of options.sloLines) put(SERIES.sloThreshold, { slo: slo.expr, ...(slo.endpoint ? { endpoint: slo.endpoint } : {}) }, slo.seconds);
  for (const e of snap.endpoints) {
    const ep = { endpoint: e.name };
    put(SERIES.requests, ep, e.requests);
    put(SERIES.dropped, ep, e.dropped);
    for (const [kind, n] of Object.entries(e.errors)) put(SERIES.errors, { ...ep, kind }, n);
    if (e.window) {
      put(SERIES.intervalQuantile, { ...ep, quantile: '0.5' }, e.window.p50);
      put(SERIES.intervalQuantile, { ...ep, quantile: '0.95' }, e.window.p95);
      put(SERIES.intervalQuantile, { ...ep, quantile: '0.99' }, e.window.p99);
    }
    if (options.histograms === 'native') {
      out.push({ labels: { ...options.base, ...ep, __name__: SERIES.duration }, histogram: toNative(e.latency), timeMs });
    } else {
      for (const [le, n] of toClassic(e.latency)) put(`${SERIES.duration}_bucket`, { ...ep, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) }, n);
      put(`${SERIES.duration}_sum`, ep, e.latency.sum);
      put(`${SERIES.duration}_count`, ep, e.latency.count);
    }
  }
  return out;
}
