// Long runs have one timeline point per second; tables need a bounded number of rows.
// Buckets merge their seconds' histograms, so a bucket's percentiles are exact, never averaged.
import type { TimelinePoint } from '../types.js';
import { mergeEncoded, percentileMs } from '../metrics/histogram.js';

export interface TimelineRow {
  fromSecond: number;
  /** exclusive */
  toSecond: number;
  requests: number;
  errors: number;
  dropped: number;
  rps: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarizeTimeline(points: readonly TimelinePoint[], maxRows: number): TimelineRow[] {
  if (points.length === 0) return [];
  const size = Math.ceil(points.length / Math.max(1, maxRows));
  const rows: TimelineRow[] = [];
  for (let i = 0; i < points.length; i += size) rows.push(bucketRow(points.slice(i, i + size)));
  return rows;
}

function bucketRow(bucket: readonly TimelinePoint[]): TimelineRow {
  const first = bucket[0]!;
  const last = bucket[bucket.length - 1]!;
  // a partial second (the run's last) counts for the part of it the run covered
  const seconds = last.second + 1 - first.second - sum(bucket, (p) => (p.partial ? 1 - (p.durationMs ?? 0) / 1000 : 0));
  const requests = sum(bucket, (p) => p.requests);
  return {
    fromSecond: first.second,
    toSecond: last.second + 1,
    requests,
    errors: sum(bucket, (p) => p.errors),
    dropped: sum(bucket, (p) => p.dropped),
    rps: seconds > 0 ? requests / seconds : requests,
    ...bucketPercentiles(bucket),
  };
}

function bucketPercentiles(bucket: readonly TimelinePoint[]): Pick<TimelineRow, 'p50Ms' | 'p95Ms' | 'p99Ms' | 'maxMs'> {
  const maxMs = Math.max(...bucket.map((p) => p.maxMs));
  if (bucket.length === 1) return { p50Ms: bucket[0]!.p50Ms, p95Ms: bucket[0]!.p95Ms, p99Ms: bucket[0]!.p99Ms, maxMs };
  const merged = mergeEncoded(bucket.map((p) => p.histogram));
  if (merged.totalCount === 0) {
    // No histograms kept (an old or hand-made result): the worst second is the honest upper bound.
    return { p50Ms: maxOf(bucket, 'p50Ms'), p95Ms: maxOf(bucket, 'p95Ms'), p99Ms: maxOf(bucket, 'p99Ms'), maxMs };
  }
  // capped at the bucket's exact max, as the totals are
  const at = (p: number): number => Math.min(percentileMs(merged, p), maxMs);
  return { p50Ms: at(50), p95Ms: at(95), p99Ms: at(99), maxMs };
}

function sum(points: readonly TimelinePoint[], pick: (p: TimelinePoint) => number): number {
  let total = 0;
  for (const p of points) total += pick(p);
  return total;
}

function maxOf(points: readonly TimelinePoint[], key: 'p50Ms' | 'p95Ms' | 'p99Ms'): number {
  return Math.max(...points.map((p) => p[key]));
}
