// The one place that knows how bench builds, encodes and reads HDR histograms.
// Values are integer microseconds, 3 significant digits, auto-resizing (no upper bound to guess).
// Only hdr-histogram-js's JS histogram class is loaded (not the package index with its WebAssembly
// build); the standard compressed encoding is in hdr-codec.ts.
import type * as hdr from 'hdr-histogram-js';
import type { LatencyStats } from '../types.js';
import { decodeCompressedBase64, encodeCompressedBase64, newInt32Histogram, type CodecHistogram } from './hdr-codec.js';

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  // = hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 })
  const h = newInt32Histogram(1, 2, 3);
  h.autoResize = true;
  return h;
}

/**
 * Spare histograms, reset, for the next second's intervals. A histogram's counts are an ArrayBuffer
 * outside V8's heap that only a full GC frees: at thousands of requests a second, four freshly grown
 * histograms a second left ~80 KB/s of such garbage between major GCs, and RSS crept up by megabytes a
 * minute. Only what the caller would otherwise drop may be given back (nothing may keep a reference).
 */
export class HistogramPool {
  private readonly spare: Histogram[] = [];
  constructor(private readonly limit = 16) {}

  take(): Histogram {
    return this.spare.pop() ?? newHistogram();
  }

  give(h: Histogram): void {
    if (this.spare.length >= this.limit) return;
    h.reset();
    this.spare.push(h);
  }
}

/** Record a latency given in milliseconds (float); stored as whole microseconds, at least 1. */
export function recordMs(h: Histogram, ms: number): void {
  const us = Math.round(ms * 1000);
  h.recordValue(us > 0 ? us : 1);
}

/** HdrHistogram's standard compressed base64 ("HISTFAAA…"), readable by every HdrHistogram port. */
export function encodeHistogram(h: Histogram): string {
  return encodeCompressedBase64(h as CodecHistogram);
}

export function decodeHistogram(base64: string): Histogram {
  const h = decodeCompressedBase64(base64);
  h.autoResize = true;
  return h;
}

/** Sum of several encoded histograms: exact, since HDR buckets add. */
export function mergeEncoded(encoded: readonly string[]): Histogram {
  const total = newHistogram();
  for (const e of encoded) {
    if (!e) continue;
    total.add(decodeHistogram(e));
  }
  return total;
}

const usToMs = (us: number): number => Math.round(us) / 1000;

/** Value at a percentile (0–100) in ms; 0 for an empty histogram. */
export function percentileMs(h: Histogram, percentile: number): number {
  return h.totalCount === 0 ? 0 : usToMs(h.getValueAtPercentile(percentile));
}

export function latencyStats(h: Histogram): LatencyStats {
  if (h.totalCount === 0) return { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 };
  const max = usToMs(h.maxValue);
  // A percentile reads as its bucket's highest equivalent value, which can pass the exact max by up
  // to 0.1%: never report a p99.9 above the max.
  const at = (p: number): number => Math.min(percentileMs(h, p), max);
  return {
    min: usToMs(h.minNonZeroValue),
    mean: Math.round(h.mean) / 1000,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    p999: at(99.9),
    max,
  };
}

/** Percentile curve points (percentile, ms) for charts: log-spaced towards the tail. */
export function percentileCurve(h: Histogram): Array<[number, number]> {
  if (h.totalCount === 0) return [];
  const points: Array<[number, number]> = [];
  for (const nines of [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]) {
    const p = 100 - 100 / Math.pow(10, nines);
    points.push([p, percentileMs(h, p)]);
  }
  for (let p = 5; p < 90; p += 5) points.push([p, percentileMs(h, p)]);
  points.push([100, usToMs(h.maxValue)]);
  return points.sort((a, b) => a[0] - b[0]);
}
