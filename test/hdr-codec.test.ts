// bench encodes its histograms itself (src/metrics/hdr-codec.ts) so that it loads only
// hdr-histogram-js's JS histogram class: the encoding must stay byte-for-byte the package's, readable
// by the reference implementation, and read the reference's back exactly.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as hdr from 'hdr-histogram-js';
import { decodeHistogram, encodeHistogram, latencyStats, newHistogram } from '../src/metrics/histogram.js';
import { newInt32Histogram } from '../src/metrics/hdr-codec.js';

const reference = (): hdr.Histogram => hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });

/** Value → count pairs: microseconds from 1 µs to ~3 h, counts up to a few thousand. */
const recordings = fc.array(fc.tuple(fc.integer({ min: 1, max: 10_000_000_000 }), fc.integer({ min: 1, max: 5000 })), { maxLength: 60 });

function fill(h: hdr.Histogram, values: Array<[number, number]>): hdr.Histogram {
  for (const [v, n] of values) h.recordValueWithCount(v, n);
  return h;
}

const PERCENTILES = [0, 1, 25, 50, 90, 99, 99.9, 99.99, 100];
const shape = (h: hdr.Histogram) => ({
  total: h.totalCount,
  max: h.maxValue,
  min: h.minNonZeroValue,
  mean: h.mean,
  at: PERCENTILES.map((p) => h.getValueAtPercentile(p)),
});

describe('HdrHistogram compressed encoding', () => {
  it('writes exactly the bytes hdr-histogram-js writes', () => {
    fc.assert(
      fc.property(recordings, (values) => {
        expect(encodeHistogram(fill(newHistogram(), values))).toBe(hdr.encodeIntoCompressedBase64(fill(reference(), values)));
      }),
      { numRuns: 200 },
    );
  });

  it('the reference reads what bench writes, and bench reads what the reference writes', () => {
    fc.assert(
      fc.property(recordings, (values) => {
        // what the reference reads back from its own encoding (a decoded max is its bucket's top, as in every port)
        const truth = shape(hdr.decodeFromCompressedBase64(hdr.encodeIntoCompressedBase64(fill(reference(), values)), 32, false));
        expect(shape(hdr.decodeFromCompressedBase64(encodeHistogram(fill(newHistogram(), values)), 32, false))).toEqual(truth);
        expect(shape(decodeHistogram(hdr.encodeIntoCompressedBase64(fill(reference(), values))))).toEqual(truth);
      }),
      { numRuns: 80 },
    );
  });

  it('an empty histogram round-trips as empty', () => {
    const empty = encodeHistogram(newHistogram());
    expect(empty).toBe(hdr.encodeIntoCompressedBase64(reference()));
    expect(decodeHistogram(empty).totalCount).toBe(0);
    expect(latencyStats(decodeHistogram(empty)).max).toBe(0);
  });

  it('a decoded histogram keeps growing (auto-resize) and adds exactly', () => {
    const a = decodeHistogram(encodeHistogram(fill(newHistogram(), [[500, 3]])));
    a.recordValue(60_000_000_000); // far above what it was sized for
    a.add(decodeHistogram(hdr.encodeIntoCompressedBase64(fill(reference(), [[7, 2]]))));
    expect(a.totalCount).toBe(6);
    expect(a.maxValue).toBe(60_000_000_000);
    expect(a.minNonZeroValue).toBe(7);
  });

  it('refuses what is not a V2 compressed histogram, with a message', () => {
    expect(() => decodeHistogram('bm90IGEgaGlzdG9ncmFt')).toThrow(/HdrHistogram/);
  });
});

describe("bench's bucket index (integer arithmetic) against the package's", () => {
  const edges = (): number[] => {
    const values = [0, 1, 2, 3, 1023, 1024, 1025, 2047, 2048, 2049, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12345];
    for (let k = 1; k < 33; k++) values.push(2 ** k - 1, 2 ** k, 2 ** k + 1, Math.floor(2 ** k * 1.5));
    return values;
  };
  for (const lowest of [1, 1000]) {
    it(`lands every value in the package's bucket (lowestDiscernibleValue ${lowest})`, () => {
      const ours = newInt32Histogram(lowest, 2 * lowest, 3);
      const theirs = hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: lowest, highestTrackableValue: 2 * lowest, numberOfSignificantValueDigits: 3 }) as unknown as { countsArrayIndex(v: number): number };
      for (const v of edges()) expect(ours.countsArrayIndex(v), `value ${v}`).toBe(theirs.countsArrayIndex(v));
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 33 }), (v) => ours.countsArrayIndex(v) === theirs.countsArrayIndex(v)),
        { numRuns: 2000 },
      );
      // a fraction (never recorded by bench, which records whole µs) takes the package's path
      expect(ours.countsArrayIndex(1234.5)).toBe(theirs.countsArrayIndex(1234.5));
    });
  }
});
