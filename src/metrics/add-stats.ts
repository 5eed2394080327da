// Several Stats added exactly into one: counters sum and HDR histograms add bucket by bucket, so the
// percentiles are those of one histogram fed every request (never averaged). Pure. Used by merges and
// rounds (src/merge) and by SLOs over a subset of endpoints (src/slo/tagged.ts).
import type { LatencyStats, Stats } from '../types.js';
import { mergeEncoded } from './histogram.js';
import { addCounters, countersOf, emptyCounters, toStats } from './stats.js';

/** Sum of several stats; rates are recomputed over `durationMs`, the merged run's wall time. */
export function addStats(parts: readonly Stats[], durationMs: number): Stats {
  const counters = emptyCounters();
  for (const part of parts) addCounters(counters, countersOf(part));
  const latency = mergeEncoded(parts.map((p) => p.histogram));
  const service = mergeEncoded(parts.map((p) => p.serviceHistogram));
  const stats = toStats(counters, latency, service, durationMs);
  return {
    ...stats,
    latencyMs: withExactExtremes(stats.latencyMs, parts.map((p) => p.latencyMs)),
    serviceTimeMs: withExactExtremes(stats.serviceTimeMs, parts.map((p) => p.serviceTimeMs)),
  };
}

/**
 * The compressed histogram keeps buckets, not the exact min and max (decoded, they read as their bucket's
 * bounds). Each part measured its own exactly, so the merged extremes are exact too.
 */
export function withExactExtremes(merged: LatencyStats, parts: readonly LatencyStats[]): LatencyStats {
  const measured = parts.filter((p) => p.max > 0); // an empty histogram reports all zeros
  if (measured.length === 0) return merged;
  const max = Math.max(...measured.map((p) => p.max));
  const cap = (v: number): number => Math.min(v, max); // as latencyStats does: no percentile above the max
  return { ...merged, min: Math.min(...measured.map((p) => p.min)), max, p50: cap(merged.p50), p90: cap(merged.p90), p95: cap(merged.p95), p99: cap(merged.p99), p999: cap(merged.p999) };
}
