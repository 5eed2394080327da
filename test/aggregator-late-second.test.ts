// Issue 11, hole 8: a worker's interval that arrives after its second was finalised (the worker is more
// than `lateSeconds` behind the others) is folded into that second's point: a timeline second appears
// once, the timeline adds up to the totals, and the point's histogram holds every request of the second.
import { describe, expect, it } from 'vitest';
import { Aggregator, encodeInterval } from '../src/metrics/aggregator.js';
import { decodeHistogram } from '../src/metrics/histogram.js';

/** A worker's interval for `second` holding `n` requests of `ms` each (one of them an error). */
function workerInterval(second: number, n: number, ms: number) {
  const worker = new Aggregator(['x']);
  for (let i = 0; i < n; i++) worker.record(0, 0, 0, ms, i === 0 ? 500 : 200, i === 0 ? 'status' : null, i === 0 ? { kind: 'status', check: 'status 2xx/3xx' } : null);
  worker.drop(0);
  return JSON.parse(JSON.stringify(encodeInterval(worker.closeInterval(second))));
}

describe('Aggregator: a late worker interval', () => {
  it('is folded into its already-finalised second, which appears once, and the totals stay exact', () => {
    const agg = new Aggregator(['x'], 2);
    // Worker A is on time: seconds 0..5. Worker B is 4 s behind: its second 1 arrives after A's second 5.
    for (let s = 0; s <= 5; s++) agg.absorbEncoded(workerInterval(s, 10, 2));
    expect(agg.timelineSoFar().map((p) => p.second)).toContain(1); // second 1 is already final
    agg.absorbEncoded(workerInterval(1, 7, 300));
    const summary = agg.summarize(6000);

    const seconds = summary.timeline.map((p) => p.second);
    expect(seconds).toEqual([0, 1, 2, 3, 4, 5]);
    const one = summary.timeline.find((p) => p.second === 1)!;
    expect(one).toMatchObject({ requests: 17, errors: 2, dropped: 2 });
    expect(decodeHistogram(one.histogram).totalCount).toBe(17);
    // B's 300 ms requests are in that second's figures, not lost to a duplicate point.
    expect(one.maxMs).toBeGreaterThan(299);
    expect(one.p99Ms).toBeGreaterThan(299);

    expect(summary.totals.requests).toBe(6 * 10 + 7);
    expect(summary.timeline.reduce((sum, p) => sum + p.requests, 0)).toBe(summary.totals.requests);
    expect(summary.timeline.reduce((sum, p) => sum + p.dropped, 0)).toBe(summary.totals.dropped);
    expect(decodeHistogram(summary.totals.histogram).totalCount).toBe(67);
  });

  it('keeps the points judged during the run in place (one point per second in timelineSoFar too)', () => {
    const agg = new Aggregator(['x'], 2);
    for (let s = 0; s <= 4; s++) agg.absorbEncoded(workerInterval(s, 5, 1));
    const before = agg.timelineSoFar().map((p) => p.second);
    agg.absorbEncoded(workerInterval(0, 5, 1));
    const after = agg.timelineSoFar().map((p) => p.second);
    expect(after).toEqual(before);
    expect(agg.timelineSoFar().find((p) => p.second === 0)!.requests).toBe(10);
    // the live line shows the newest second, not the one that was just amended
    expect(agg.lastSecond.second).toBe(Math.max(...before));
  });
});
