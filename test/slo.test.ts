import { describe, expect, it } from 'vitest';
import { defaultSlos, parseSlo } from '../src/slo/parse.js';
import { evaluateSlos, ABSOLUTE_METRICS } from '../src/slo/evaluate.js';
import { newHistogram } from '../src/metrics/histogram.js';
import { emptyCounters, toStats } from '../src/metrics/stats.js';
import type { SloSpec } from '../src/types.js';

describe('SLO expressions', () => {
  it.each([
    ['p95 < 200ms', 'p95', '<', 200],
    ['p99.9 <= 1.5s', 'p99.9', '<=', 1500],
    ['p(95)<200', 'p95', '<', 200],
    ['P99 < 250ms', 'p99', '<', 250],
    ['mean < 50ms', 'mean', '<', 50],
    ['avg < 50ms', 'mean', '<', 50],
    ['max <= 2s', 'max', '<=', 2000],
    ['rps >= 100', 'rps', '>=', 100],
    ['rps >= 100/s', 'rps', '>=', 100],
    ['error_rate < 1%', 'error_rate', '<', 0.01],
    ['error_rate < 0.005', 'error_rate', '<', 0.005],
    ['errors < 10', 'errors', '<', 10],
    ['requests > 1000', 'requests', '>', 1000],
    ['dropped <= 0', 'dropped', '<=', 0],
  ])('%s', (expr, metric, op, threshold) => {
    expect(parseSlo(expr)).toEqual({ metric, op, threshold });
  });

  it.each([
    ['p95 200ms', /expected "<metric> <op> <value>"/],
    ['latency < 200ms', /unknown SLO metric "latency"/],
    ['p101 < 5ms', /unknown SLO metric/],
    ['p95 < fast', /cannot read threshold "fast" for p95 \(a duration/],
    ['error_rate < lots', /a percentage like 1%/],
    ['rps >= many', /\(a number\)/],
  ])('rejects %s with a clear message', (expr, message) => {
    const parsed = parseSlo(expr);
    expect('error' in parsed && parsed.error).toMatch(message);
  });

  it('defaults to the classic API targets', () => {
    expect(defaultSlos().map((s) => s.expr)).toEqual(['p95 < 200ms', 'rps >= 100', 'error_rate < 1%']);
  });
});

describe('SLO evaluation', () => {
  function stats(latenciesMs: number[], errors: number, durationMs: number) {
    const h = newHistogram();
    for (const ms of latenciesMs) h.recordValue(ms * 1000);
    const c = emptyCounters();
    c.requests = latenciesMs.length;
    c.errors = errors;
    return toStats(c, h, h, durationMs);
  }
  const spec = (expr: string, endpoint: string | null = null): SloSpec => {
    const parsed = parseSlo(expr) as { metric: string; op: SloSpec['op']; threshold: number };
    return { expr, endpoint, ...parsed, abortOnFail: false, windowMs: 0 };
  };
  // 100 requests over 2 s: latencies 1..100 ms, 2 errors
  const totals = stats(Array.from({ length: 100 }, (_, i) => i + 1), 2, 2000);
  const slowEndpoint = { name: 'slow', ...stats([500, 600], 0, 2000) };

  it('judges totals and endpoints, reporting the actual value', () => {
    const results = evaluateSlos([spec('p95 < 200ms'), spec('rps >= 100'), spec('error_rate < 1%'), spec('p99 < 300ms', 'slow'), spec('p75 < 80ms')], { totals, endpoints: [slowEndpoint] });
    // HDR reports a bucket's highest equivalent value: 95 ms reads back as 95.039 (3 significant digits).
    expect(results.map((r) => [r.expr, Number(r.actual!.toPrecision(3)), r.pass])).toEqual([
      ['p95 < 200ms', 95, true],
      ['rps >= 100', 50, false],
      ['error_rate < 1%', 0.02, false],
      ['p99 < 300ms', 600, false],
      ['p75 < 80ms', 75, true],
    ]);
  });

  it('fails an SLO whose endpoint was never measured instead of passing it silently', () => {
    const [result] = evaluateSlos([spec('p99 < 300ms', 'missing')], { totals, endpoints: [] });
    expect(result).toMatchObject({ actual: null, pass: false });
  });

  it('defers absolute metrics for a segment, judging the relative ones', () => {
    const results = evaluateSlos([spec('rps >= 100'), spec('error_rate < 1%')], { totals, endpoints: [] }, { deferMetrics: ABSOLUTE_METRICS });
    expect(results.map((r) => [r.pass, r.deferred ?? false])).toEqual([
      [true, true],
      [false, false],
    ]);
  });
});
