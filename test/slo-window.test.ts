import { describe, expect, it } from 'vitest';
import { failingAbortSlo, windowStats } from '../src/slo/window.js';
import { abortJudge } from '../src/slo/abort.js';
import { decodeHistogram } from '../src/metrics/histogram.js';
import { newHistogram, encodeHistogram } from '../src/metrics/histogram.js';
import type { SloSpec, TimelinePoint } from '../src/types.js';

function second(n: number, requests: number, errors: number, latencyMs: number): TimelinePoint {
  const h = newHistogram();
  for (let i = 0; i < requests; i++) h.recordValue(latencyMs * 1000);
  return { second: n, requests, errors, dropped: 0, p50Ms: latencyMs, p95Ms: latencyMs, p99Ms: latencyMs, maxMs: latencyMs, histogram: encodeHistogram(h) };
}

const abortSpec = (expr: string, metric: string, threshold: number, windowMs: number): SloSpec => ({ expr, endpoint: null, metric, op: '<', threshold, abortOnFail: true, windowMs });

describe('abortOnFail windows', () => {
  it('sums only the trailing window', () => {
    const timeline = [second(0, 100, 100, 5), second(1, 100, 0, 5), second(2, 100, 0, 5)];
    const stats = windowStats(timeline, 2000);
    expect(stats.requests).toBe(200);
    expect(stats.errorRate).toBe(0);
    expect(windowStats(timeline, 0).errorRate).toBeCloseTo(1 / 3, 6);
  });

  it('waits for a full window before judging, then stops on a failing one', () => {
    const spec = abortSpec('error_rate < 5%', 'error_rate', 0.05, 3000);
    const bad = [second(0, 10, 10, 5), second(1, 10, 10, 5)];
    expect(failingAbortSlo([spec], bad)).toBeNull();
    expect(failingAbortSlo([spec], [...bad, second(2, 10, 10, 5)])).toBe(spec);
  });

  it('judges latency from the merged window histogram and ignores non-abort SLOs', () => {
    const slow = [second(0, 50, 0, 400), second(1, 50, 0, 400)];
    const abort = abortSpec('p95 < 200ms', 'p95', 200, 2000);
    expect(failingAbortSlo([{ ...abort, abortOnFail: false }], slow)).toBeNull();
    expect(failingAbortSlo([abort], slow)).toBe(abort);
    expect(failingAbortSlo([abort], [second(0, 50, 0, 20), second(1, 50, 0, 20)])).toBeNull();
  });
});

// Issue 11 (structure): the abort check keeps a running window instead of decoding the timeline each second.
describe('abortJudge: incremental abortOnFail windows', () => {
  const feed = (judge: NonNullable<ReturnType<typeof abortJudge>>, points: TimelinePoint[]): void => {
    for (const p of points) judge.addSecond(p, decodeHistogram(p.histogram));
  };

  it('has nothing to do without an abortOnFail SLO', () => {
    expect(abortJudge([{ ...abortSpec('p95 < 200ms', 'p95', 200, 0), abortOnFail: false }])).toBeUndefined();
  });

  it('judges the trailing window only: old seconds leave it', () => {
    const spec = abortSpec('error_rate < 5%', 'error_rate', 0.05, 2000);
    const judge = abortJudge([spec])!;
    feed(judge, [second(0, 100, 100, 5)]);
    expect(judge.failing()).toBeNull(); // window not full yet
    feed(judge, [second(1, 100, 0, 5)]);
    expect(judge.failing()).toBe(spec); // 100 of 200 failed
    feed(judge, [second(2, 100, 0, 5)]);
    expect(judge.failing()).toBeNull(); // second 0 left the window
  });

  it('judges latency (and the max) over the window only, from a running histogram', () => {
    const spec = abortSpec('max < 200ms', 'max', 200, 2000);
    const judge = abortJudge([spec])!;
    feed(judge, [second(0, 10, 0, 400), second(1, 10, 0, 20)]);
    expect(judge.failing()).toBe(spec);
    feed(judge, [second(2, 10, 0, 20)]);
    expect(judge.failing()).toBeNull();
  });

  it('a window-less abortOnFail judges the whole run so far, with the same figures as windowStats', () => {
    const spec = abortSpec('p95 < 200ms', 'p95', 200, 0);
    const judge = abortJudge([spec])!;
    const points = [second(0, 50, 0, 20), second(1, 50, 0, 20), second(2, 20, 0, 900)];
    feed(judge, points.slice(0, 2));
    expect(judge.failing()).toBeNull();
    feed(judge, points.slice(2));
    // 20 of 120 at 900 ms: p95 is 900 ms, as the whole-timeline figures say.
    expect(windowStats(points, 0).latencyMs.p95).toBeGreaterThan(200);
    expect(judge.failing()).toBe(spec);
  });

  it('does not judge a window without requests, and counts dropped arrivals as errors', () => {
    const spec = abortSpec('error_rate < 5%', 'error_rate', 0.05, 1000);
    const judge = abortJudge([spec])!;
    feed(judge, [second(0, 0, 0, 5)]);
    expect(judge.failing()).toBeNull();
    feed(judge, [{ ...second(1, 10, 0, 5), dropped: 90 }]);
    expect(judge.failing()).toBe(spec);
  });
});
