// Totals and per-endpoint stats of several results, added exactly: counters sum and HDR histograms add
// bucket by bucket, so merged percentiles are those of one histogram fed every request (never averaged).
import type { EndpointStats, LatencyStats, RunResult, Stats } from '../types.js';
import { mergeEncoded } from '../metrics/histogram.js';
import { addCounters, countersOf, emptyCounters, toStats } from '../metrics/stats.js';

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

/** Endpoints matched by name, in first-seen order across the results. */
export function mergeEndpoints(results: readonly RunResult[], durationMs: number): EndpointStats[] {
  const byName = new Map<string, Stats[]>();
  const tags = new Map<string, Record<string, string>>();
  for (const result of results) {
    for (const endpoint of result.endpoints) {
      if (endpoint.tags) tags.set(endpoint.name, endpoint.tags);
      const parts = byName.get(endpoint.name) ?? [];
      parts.push(endpoint);
      byName.set(endpoint.name, parts);
    }
  }
  return [...byName.entries()].map(([name, parts]) => ({ name, ...addStats(parts, durationMs), ...(tags.has(name) ? { tags: tags.get(name)! } : {}) }));
}

/** Generator lateness across results. */
export function mergeScheduleLag(results: readonly RunResult[]): RunResult['scheduleLagMs'] {
  const requests = results.reduce((n, r) => n + r.totals.requests, 0);
  const weightedMean = results.reduce((sum, r) => sum + r.scheduleLagMs.mean * r.totals.requests, 0);
  return {
    mean: requests === 0 ? 0 : weightedMean / requests,
    // Only each result's p99 is known, not its lag distribution: the largest p99 is an upper bound of the
    // merged p99 (at least 99% of every part, hence of the whole, lies at or below it).
    p99: Math.max(0, ...results.map((r) => r.scheduleLagMs.p99)),
    max: Math.max(0, ...results.map((r) => r.scheduleLagMs.max)),
  };
}
