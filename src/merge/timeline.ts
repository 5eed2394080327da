// Per-second timelines of several results on one time base, folded one result at a time. Pure.
import type { TimelinePoint } from '../types.js';
import { decodeHistogram, encodeHistogram, latencyStats, newHistogram, type Histogram } from '../metrics/histogram.js';

interface Bucket {
  requests: number;
  errors: number;
  dropped: number;
  /** the parts' histograms added so far */
  latency: Histogram;
  /** exact maxima of the parts: the encoded histogram only keeps the max's bucket */
  maxMs: number;
}

/**
 * The merged timeline, built by adding one result's timeline at a time: each part's per-second histogram
 * is decoded, added into its merged second and dropped, so what is held is one histogram per merged
 * second (≈ 36 KB for a 20k/s second over 1–200 ms), whatever the number of parts.
 *
 * To bound that too, the merged seconds can be built window by window: `add` folds only the points whose
 * merged second lies in [from, to) and says whether the part has points past the window; `seal` encodes
 * the window's seconds and frees their histograms. Fed every part once per window, in increasing
 * windows, the result is exactly the one-window fold's (the same parts, added in the same order).
 *
 * Second s of a result that started `offsetMs` after the earliest one is merged second s + offset, rounded
 * to the nearest whole second: segments started together (--start-at) land in the same bucket even with a
 * few ms of clock skew, and the per-second histograms add exactly.
 */
export class TimelineFold {
  private readonly buckets = new Map<number, Bucket>();
  private readonly sealed: TimelinePoint[] = [];

  /** `startMs`: the earliest start of all the parts (epoch ms), second 0 of the merged timeline. */
  constructor(private readonly startMs: number) {}

  /**
   * Fold in one part's points of merged seconds from ≤ s < to; `startedAt` is its result's. The caller may
   * drop the timeline after. Returns true when the part has points at or past `to`.
   */
  add(startedAt: string, timeline: readonly TimelinePoint[], from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): boolean {
    const offsetSeconds = Math.round((Date.parse(startedAt) - this.startMs) / 1000);
    let beyond = false;
    for (const point of timeline) {
      const second = point.second + offsetSeconds;
      if (second >= to) beyond = true;
      else if (second >= from) this.addPoint(second, point);
    }
    return beyond;
  }

  /** Encode the seconds folded so far (a window that is complete) and free their histograms. */
  seal(): void {
    const seconds = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const second of seconds) {
      this.sealed.push(toPoint(second, this.buckets.get(second)!));
      this.buckets.delete(second);
    }
  }

  /** The merged points, by second. Call once, after the last part of the last window. */
  points(): TimelinePoint[] {
    this.seal();
    return this.sealed.sort((a, b) => a.second - b.second);
  }

  private addPoint(second: number, point: TimelinePoint): void {
    let bucket = this.buckets.get(second);
    if (!bucket) {
      bucket = { requests: 0, errors: 0, dropped: 0, latency: newHistogram(), maxMs: 0 };
      this.buckets.set(second, bucket);
    }
    bucket.requests += point.requests;
    bucket.errors += point.errors;
    bucket.dropped += point.dropped;
    if (point.histogram) {
      const part = decodeHistogram(point.histogram);
      bucket.latency.add(part);
      part.destroy();
    }
    bucket.maxMs = Math.max(bucket.maxMs, point.maxMs);
  }
}

function toPoint(second: number, bucket: Bucket): TimelinePoint {
  const h = bucket.latency;
  const latency = latencyStats(h);
  // Capped at the parts' exact max: the decoded histogram's max is its bucket's top, a little above it.
  const cap = (ms: number): number => Math.min(ms, bucket.maxMs);
  const point: TimelinePoint = {
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
  h.destroy();
  return point;
}
