import { describe, expect, it } from 'vitest';
import { Aggregator, encodeInterval } from '../src/metrics/aggregator.js';
import * as hdr from 'hdr-histogram-js';
import { decodeHistogram } from '../src/metrics/histogram.js';

describe('Aggregator', () => {
  it('measures latency from the intended time and service time from the actual send', () => {
    const agg = new Aggregator(['GET /']);
    // Intended at t=0, the generator (or a stalled connection queue) only sent at t=500, done at t=510.
    agg.record(0, 0, 500, 510, 200, null, null);
    agg.absorb(agg.closeInterval(0));
    const s = agg.summarize(1000);
    expect(s.totals.latencyMs.max).toBeCloseTo(510, 0);
    expect(s.totals.serviceTimeMs.max).toBeCloseTo(10, 1);
  });

  it('counts status codes, error kinds, failed checks and drops per endpoint and in total', () => {
    const agg = new Aggregator(['a', 'b']);
    agg.record(0, 0, 0, 1, 200, null, null);
    agg.record(0, 0, 0, 1, 500, 'status', { kind: 'status', check: 'status 2xx/3xx' });
    agg.record(1, 0, 0, 1, 0, 'timeout', null);
    agg.drop(1);
    agg.absorb(agg.closeInterval(0));
    const s = agg.summarize(1000);
    expect(s.totals).toMatchObject({ requests: 3, errors: 2, dropped: 1, statusCodes: { '200': 1, '500': 1 }, errorKinds: { status: 1, timeout: 1 }, checks: { 'status 2xx/3xx': 1 } });
    expect(s.endpoints.map((e) => [e.name, e.requests, e.errors, e.dropped])).toEqual([
      ['a', 2, 1, 0],
      ['b', 1, 1, 1],
    ]);
    expect(s.timeline).toHaveLength(1);
    expect(s.timeline[0]).toMatchObject({ second: 0, requests: 3, errors: 2, dropped: 1 });
  });

  it('gives the same result from worker intervals (encoded, merged) as from one thread', () => {
    const values = Array.from({ length: 3000 }, (_, i) => 0.2 + ((i * 7919) % 2000) / 10);
    const single = new Aggregator(['x']);
    const merged = new Aggregator(['x'], 2);
    const workers = [new Aggregator(['x']), new Aggregator(['x'])];
    for (let second = 0; second < 3; second++) {
      values.slice(second * 1000, (second + 1) * 1000).forEach((ms, i) => {
        single.record(0, 0, 0, ms, 200, null, null);
        workers[i % 2]!.record(0, 0, 0, ms, 200, null, null);
      });
      single.absorb(single.closeInterval(second));
      for (const w of workers) merged.absorbEncoded(JSON.parse(JSON.stringify(encodeInterval(w.closeInterval(second)))));
    }
    const a = single.summarize(3000);
    const b = merged.summarize(3000);
    expect(b.totals.requests).toBe(3000);
    // Percentiles and mean are identical; min and max survive the encoding to HDR's 3 significant digits.
    const { min: minA, max: maxA, ...restA } = a.totals.latencyMs;
    const { min: minB, max: maxB, ...restB } = b.totals.latencyMs;
    expect(restB).toEqual(restA);
    expect([minB, maxB].map((v) => v.toPrecision(3))).toEqual([minA, maxA].map((v) => v.toPrecision(3)));
    expect(decodeHistogram(b.totals.histogram).totalCount).toBe(3000);
    expect(b.timeline.map((p) => [p.second, p.requests, p.p99Ms])).toEqual(a.timeline.map((p) => [p.second, p.requests, p.p99Ms]));
  });
});

describe('Aggregator timeline (issue 11)', () => {
  it("caps a second's p95/p99 at that second's max, as the totals are", () => {
    const agg = new Aggregator(['x']);
    // One value: HDR reads its percentiles as the bucket's highest equivalent value (12.351 ms > 12.345 ms).
    agg.record(0, 0, 0, 12.345, 200, null, null);
    agg.absorb(agg.closeInterval(0));
    const [point] = agg.summarize(1000).timeline;
    expect(point!.maxMs).toBeCloseTo(12.345, 6);
    expect(point!.p50Ms).toBeLessThanOrEqual(point!.maxMs);
    expect(point!.p95Ms).toBeLessThanOrEqual(point!.maxMs);
    expect(point!.p99Ms).toBeLessThanOrEqual(point!.maxMs);
  });

  it('hands each finalised second, with its live histogram, to a listener (the abort check)', () => {
    const agg = new Aggregator(['x']);
    const seen: Array<[number, number, number]> = [];
    agg.onSecond = (point, latency) => seen.push([point.second, point.requests, latency.totalCount]);
    for (let s = 0; s < 3; s++) {
      for (let i = 0; i <= s; i++) agg.record(0, 0, 0, 5, 200, null, null);
      agg.absorb(agg.closeInterval(s));
    }
    expect(seen).toEqual([
      [0, 1, 1],
      [1, 2, 2],
      [2, 3, 3],
    ]);
  });
});

describe('Aggregator histogram reuse', () => {
  // Each second's histograms go back to a pool once folded in and serve a later second (their counts
  // stay allocated: no garbage for the major GC). A reused one must carry nothing over — checked per
  // second against the reference HdrHistogram built from that second's values alone.
  it("gives every second exactly its own values' figures, however large the second before grew its histograms", () => {
    const reference = (values: number[]): hdr.Histogram => {
      const h = hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, useWebAssembly: false });
      for (const ms of values) h.recordValue(Math.max(1, Math.round(ms * 1000)));
      return h;
    };
    const seconds: number[][] = [
      Array.from({ length: 500 }, (_, i) => 1 + i * 120), // up to ~60 s: grows every histogram it touches
      Array.from({ length: 700 }, (_, i) => 0.05 + (i % 37) / 20), // 50 µs – 1.85 ms
      [], // an empty second (one drop)
      Array.from({ length: 300 }, (_, i) => 3 + ((i * 13) % 97) / 10),
    ];
    const agg = new Aggregator(['x']);
    const seen = new Set<object>();
    seconds.forEach((values, second) => {
      for (const ms of values) {
        agg.recordLag(ms / 10);
        agg.record(0, 0, ms / 2, ms, 200, null, null);
      }
      if (values.length === 0) agg.drop(0);
      const interval = agg.closeInterval(second);
      for (const h of [interval.lag, interval.endpoints[0]?.latency, interval.endpoints[0]?.service]) if (h) seen.add(h);
      agg.absorb(interval);
    });
    expect(seen.size).toBeLessThan(3 * 3); // three histograms a second for three seconds with values: some were reused
    const summary = agg.summarize(4000);
    const at = (h: hdr.Histogram, p: number): number => Math.min(h.getValueAtPercentile(p), h.maxValue) / 1000;
    seconds.forEach((values, second) => {
      const point = summary.timeline.find((p) => p.second === second)!;
      const ref = reference(values);
      expect([point.requests, point.dropped]).toEqual([values.length, values.length ? 0 : 1]);
      expect([point.p50Ms, point.p95Ms, point.p99Ms, point.maxMs]).toEqual(values.length ? [at(ref, 50), at(ref, 95), at(ref, 99), ref.maxValue / 1000] : [0, 0, 0, 0]);
      const decoded = decodeHistogram(point.histogram);
      // the second's encoded histogram (what merges and the hlog read) holds its values and no others
      expect([50, 90, 99, 99.9, 100].map((p) => decoded.getValueAtPercentile(p))).toEqual([50, 90, 99, 99.9, 100].map((p) => ref.getValueAtPercentile(p)));
      expect(decoded.totalCount).toBe(values.length);
    });
    const all = seconds.flat();
    const total = reference(all);
    expect(summary.totals.requests).toBe(all.length);
    expect(summary.totals.latencyMs.p99).toBe(at(total, 99));
    expect(summary.totals.serviceTimeMs.p50).toBe(at(reference(all.map((ms) => ms / 2)), 50));
    expect(summary.scheduleLagMs.p99).toBe(at(reference(all.map((ms) => ms / 10)), 99));
  });
});
