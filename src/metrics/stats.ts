// Stats (the result.json shape for totals and endpoints) from counters and histograms.
// Shared by the live aggregator and by `bench merge`, so both compute every figure the same way.
import type { Stats } from '../types.js';
import { encodeHistogram, latencyStats, type Histogram } from './histogram.js';

/** The counting part of Stats: what adds up across endpoints, seconds, threads and segments. */
export type Counters = Pick<Stats, 'requests' | 'errors' | 'dropped' | 'statusCodes' | 'errorKinds' | 'checks'>;

export function emptyCounters(): Counters {
  return { requests: 0, errors: 0, dropped: 0, statusCodes: {}, errorKinds: {}, checks: {} };
}

/** Add `from` into `into` (counts only). */
export function addCounters(into: Counters, from: Counters): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.dropped += from.dropped;
  addCounts(into.statusCodes, from.statusCodes);
  addCounts(into.errorKinds as Record<string, number>, from.errorKinds as Record<string, number>);
  addCounts(into.checks, from.checks);
}

export function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n;
}

/** rps is completed requests over the measured wall time. */
export function toStats(counters: Counters, latency: Histogram, service: Histogram, durationMs: number): Stats {
  const seconds = durationMs / 1000;
  return {
    requests: counters.requests,
    errors: counters.errors,
    errorRate: counters.requests === 0 ? 0 : counters.errors / counters.requests,
    rps: seconds > 0 ? round(counters.requests / seconds, 2) : 0,
    dropped: counters.dropped,
    statusCodes: { ...counters.statusCodes },
    errorKinds: { ...counters.errorKinds },
    checks: { ...counters.checks },
    latencyMs: latencyStats(latency),
    serviceTimeMs: latencyStats(service),
    histogram: encodeHistogram(latency),
    serviceHistogram: encodeHistogram(service),
  };
}

export function countersOf(stats: Stats): Counters {
  return {
    requests: stats.requests,
    errors: stats.errors,
    dropped: stats.dropped,
    statusCodes: { ...stats.statusCodes },
    errorKinds: { ...stats.errorKinds },
    checks: { ...stats.checks },
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
