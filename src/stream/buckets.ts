// Latency distributions for live streams: an HDR histogram (µs) read as (value in seconds, count)
// pairs, then shaped as a Prometheus native (exponential) histogram or as classic `le` buckets. Pure.
import type { JsHistogram } from 'hdr-histogram-js';
import type { Histogram } from '../metrics/histogram.js';

/** Non-empty HDR buckets, ascending: each bucket's highest equivalent value (the value bench's percentiles report) in seconds. */
export interface Distribution {
  buckets: Array<[seconds: number, count: number]>;
  count: number;
  /** seconds; from HDR's mean (bucket midpoints), so approximate to its resolution */
  sum: number;
}

export function distributionOf(h: Histogram): Distribution {
  const js = h as unknown as JsHistogram;
  const buckets: Array<[number, number]> = [];
  if (h.totalCount > 0) {
    const it = js.recordedValuesIterator;
    it.reset();
    while (it.hasNext()) {
      const v = it.next();
      buckets.push([js.highestEquivalentValue(v.valueIteratedTo) / 1e6, v.countAtValueIteratedTo]);
    }
  }
  return { buckets, count: h.totalCount, sum: h.totalCount === 0 ? 0 : (h.mean * h.totalCount) / 1e6 };
}

/**
 * Schema 8 is the finest Prometheus allows: bucket boundaries 2^(1/256) ≈ 1.0027 apart (0.27%), against
 * HDR's 3 significant digits (≤ 0.1%). Any native quantile is therefore within one such bucket of HDR's.
 */
export const NATIVE_SCHEMA = 8;

export interface NativeHistogram {
  schema: number;
  count: number;
  sum: number;
  zeroCount: number;
  spans: Array<{ offset: number; length: number }>;
  /** bucket counts, delta-encoded (each against the previous bucket; the first against 0) */
  deltas: number[];
}

/** Native bucket index of a positive value: bucket i holds (2^((i-1)/2^schema), 2^(i/2^schema)]. */
export function nativeIndex(value: number, schema = NATIVE_SCHEMA): number {
  return Math.ceil(Math.log2(value) * 2 ** schema);
}

export function nativeUpperBound(index: number, schema = NATIVE_SCHEMA): number {
  return 2 ** (index / 2 ** schema);
}

export function toNative(d: Distribution, schema = NATIVE_SCHEMA): NativeHistogram {
  const counts = new Map<number, number>();
  for (const [value, count] of d.buckets) {
    const i = nativeIndex(value, schema);
    counts.set(i, (counts.get(i) ?? 0) + count);
  }
  const indexes = [...counts.keys()].sort((a, b) => a - b);
  const spans: NativeHistogram['spans'] = [];
  const deltas: number[] = [];
  let previousIndex = 0;
  let previousCount = 0;
  indexes.forEach((index, k) => {
    const count = counts.get(index)!;
    if (k > 0 && index === previousIndex + 1) spans[spans.length - 1]!.length++;
    else spans.push({ offset: k === 0 ? index : index - previousIndex - 1, length: 1 });
    deltas.push(count - previousCount);
    previousIndex = index;
    previousCount = count;
  });
  return { schema, count: d.count, sum: d.sum, zeroCount: 0, spans, deltas };
}

/** Prometheus client libraries' default buckets (seconds). */
export const DEFAULT_CLASSIC_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Cumulative counts per upper bound `le`, +Inf last. */
export function toClassic(d: Distribution, bounds: readonly number[] = DEFAULT_CLASSIC_BUCKETS): Array<[le: number, cumulative: number]> {
  const out: Array<[number, number]> = bounds.map((le) => [le, 0]);
  for (const [value, count] of d.buckets) {
    for (const row of out) if (value <= row[0]) row[1] += count;
  }
  out.push([Number.POSITIVE_INFINITY, d.count]);
  return out;
}
