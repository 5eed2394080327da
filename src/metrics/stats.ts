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

/**
 * error_rate: users not served over users who arrived. A dropped arrival (never sent: the in-flight cap
 * was reached) is a user nobody served, so it counts in the numerator and the denominator.
 */
export function errorRateOf(c: Pick<Counters, 'requests' | 'errors' | 'dropped'>): number {
  const arrived = c.requests + c.dropped;
  return arrived === 0 ? 0 : (c.errors + c.dropped) / arrived;
}

/** Requests that got an accepted response. */
export function successesOf(c: Pick<Counters, 'requests' | 'errors'>): number {
  return Math.max(0, c.requests - c.errors);
}

/** rps is sent requests over the load window (`loadMs`: first scheduled arrival to the end of the last phase). */
export function toStats(counters: Counters, latency: Histogram, service: Histogram, loadMs: number): Stats {
  const seconds = loadMs / 1000;
  return {
    requests: counters.requests,
    errors: counters.errors,
    errorRate: errorRateOf(counters),
    rps: seconds > 0 ? round(counters.requests / seconds, 2) : 0,
    dropped: counters.dropped,
    statusCodes: { ...counters.statusCodes },
    errorKinds: withDropped(counters),
    checks: { ...counters.checks },
    latencyMs: latencyStats(latency),
    serviceTimeMs: latencyStats(service),
    histogram: encodeHistogram(latency),
    serviceHistogram: encodeHistogram(service),
  };
}

/** Error kinds with `dropped` set from the dropped count (set, not added: merged stats carry it already). */
function withDropped(counters: Counters): Stats['errorKinds'] {
  const kinds: Stats['errorKinds'] = { ...counters.errorKinds };
  delete kinds.dropped;
  if (counters.dropped > 0) kinds.dropped = counters.dropped;
  return kinds;
}

export function countersOf(stats: Stats): Counters {
  const errorKinds = { ...stats.errorKinds };
  delete errorKinds.dropped;
  return {
    requests: stats.requests,
    errors: stats.errors,
    dropped: stats.dropped,
    statusCodes: { ...stats.statusCodes },
    errorKinds,
    checks: { ...stats.checks },
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
