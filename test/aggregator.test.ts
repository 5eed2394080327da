import { describe, expect, it } from 'vitest';
import { Aggregator, encodeInterval } from '../src/metrics/aggregator.js';
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
