// Per-second timelines of several results on one time base. Pure.
import type { RunResult, TimelinePoint } from '../types.js';
import { encodeHistogram, latencyStats, mergeEncoded } from '../metrics/histogram.js';

interface Bucket {
  requests: number;
  errors: number;
  dropped: number;
  histograms: string[];
  /** exact maxima of the parts: the encoded histogram only keeps the max's bucket */
  maxMs: number;
}

/**
 * Second s of a result that started `offsetMs` after the earliest one is merged second s + offset, rounded
 * to the nearest whole second: segments started together (--start-at) land in the same bucket even with a
 * few ms of clock skew, and the per-second histograms add exactly.
 */
export function mergeTimelines(results: readonly RunResult[], startMs: number): TimelinePoint[] {
  const buckets = new Map<number, Bucket>();
  for (const result of results) {
    const offsetSeconds = Math.round((Date.parse(result.startedAt) - startMs) / 1000);
    for (const point of result.timeline) addPoint(buckets, point.second + offsetSeconds, point);
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([second, bucket]) => toPoint(second, bucket));
}

function addPoint(buckets: Map<number, Bucket>, second: number, point: TimelinePoint): void {
  let bucket = buckets.get(second);
  if (!bucket) {
    bucket = { requests: 0, errors: 0, dropped: 0, histograms: [], maxMs: 0 };
    buckets.set(second, bucket);
  }
  bucket.requests += point.requests;
  bucket.errors += point.errors;
  bucket.dropped += point.dropped;
  bucket.histograms.push(point.histogram);
  bucket.maxMs = Math.max(bucket.maxMs, point.maxMs);
}

function toPoint(second: number, bucket: Bucket): TimelinePoint {
  const h = mergeEncoded(bucket.histograms);
  const latency = latencyStats(h);
  // Capped at the parts' exact max: the decoded histogram's max is its bucket's top, a little above it.
  const cap = (ms: number): number => Math.min(ms, bucket.maxMs);
  return {
    second,
    requests: bucket.requests,
    errors: bucket.errors,
    dropped: bucket.dropped,
    p50Ms: cap(latency.p50),
    p95Ms: cap(latency.p95),
    p99Ms: cap(latency.p99),
    maxMs: bucket.maxMs,
    histogram: encodeHistogram(h),
  };
}
