import { describe, expect, it } from 'vitest';
import { failingAbortSlo, windowStats } from '../src/slo/window.js';
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
