import { describe, expect, it } from 'vitest';
import { defaultSlos, parseSlo } from '../src/slo/parse.js';
import { evaluateSlos, ABSOLUTE_METRICS } from '../src/slo/evaluate.js';
import { judgeRun } from '../src/slo/judge.js';
import { parseScenario } from '../src/scenario/load.js';
import { ScenarioError } from '../src/errors.js';
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

// Issue 11: verdicts that never lie.
describe('SLO expressions: operators, units and k6 words (issue 11)', () => {
  it.each([
    ['dropped == 0', 'dropped', '==', 0],
    ['errors != 3', 'errors', '!=', 3],
    ['rps > 1000/m', 'rps', '>', 1000 / 60],
    ['rps >= 6000/m', 'rps', '>=', 100],
    ['error_rate < 0.5', 'error_rate', '<', 0.5],
    ['error_rate <= 100%', 'error_rate', '<=', 1],
  ])('%s', (expr, metric, op, threshold) => {
    const parsed = parseSlo(expr) as { metric: string; op: string; threshold: number };
    expect(parsed).toMatchObject({ metric, op });
    expect(parsed.threshold).toBeCloseTo(threshold, 9);
  });

  it.each([
    // A bare 1 would mean 100%: the user almost surely meant 1%.
    ['error_rate < 1', /bare number is a fraction.*"1%"/],
    ['error_rate < 5', /bare number is a fraction.*"5%"/],
    ['error_rate < 150%', /at most 100%/],
    ['rate<0.01', /did you mean error_rate/],
    ['count>100', /did you mean requests/],
    ['http_req_failed < 0.01', /did you mean error_rate/],
    ['http_req_duration < 200', /did you mean p95/],
    ['http_reqs > 100', /did you mean requests/],
  ])('rejects %s with a hint', (expr, message) => {
    const parsed = parseSlo(expr);
    expect('error' in parsed && parsed.error).toMatch(message);
  });
});

describe('SLO verdicts (issue 11)', () => {
  const spec = (expr: string): SloSpec => ({ expr, endpoint: null, ...(parseSlo(expr) as { metric: string; op: SloSpec['op']; threshold: number }), abortOnFail: false, windowMs: 0 });
  function measured(o: { ok?: number[]; failedWithLatency?: number[]; noLatencyErrors?: number; dropped?: number; durationMs?: number }) {
    const h = newHistogram();
    const c = emptyCounters();
    for (const ms of [...(o.ok ?? []), ...(o.failedWithLatency ?? [])]) h.recordValue(ms * 1000);
    c.requests = (o.ok?.length ?? 0) + (o.failedWithLatency?.length ?? 0) + (o.noLatencyErrors ?? 0);
    c.errors = (o.failedWithLatency?.length ?? 0) + (o.noLatencyErrors ?? 0);
    if (o.noLatencyErrors) c.errorKinds.connect = o.noLatencyErrors;
    if (o.failedWithLatency?.length) c.errorKinds.status = o.failedWithLatency.length;
    c.dropped = o.dropped ?? 0;
    return { totals: toStats(c, h, h, o.durationMs ?? 1000), endpoints: [] };
  }

  it('== and != compare exactly', () => {
    const m = measured({ ok: [1, 2, 3], dropped: 0 });
    expect(evaluateSlos([spec('dropped == 0'), spec('requests != 3'), spec('requests == 3')], m).map((r) => r.pass)).toEqual([true, false, true]);
  });

  it('counts dropped arrivals in error_rate, numerator and denominator, as error kind "dropped"', () => {
    // 12 requests sent and answered, 88 arrivals dropped: 88 of 100 users were not served.
    const m = measured({ ok: Array.from({ length: 12 }, () => 5), dropped: 88 });
    expect(m.totals.errorRate).toBeCloseTo(0.88, 9);
    expect(m.totals.errorKinds).toMatchObject({ dropped: 88 });
    expect(m.totals.requests).toBe(12);
    const [verdict] = evaluateSlos([spec('error_rate < 1%')], m);
    expect(verdict).toMatchObject({ pass: false });
    expect(verdict!.actual).toBeCloseTo(0.88, 9);
  });

  it('a latency SLO with no latency samples has no data and fails, even when requests were made', () => {
    // 20 refused connections: requests and errors, but not one latency.
    const m = measured({ noLatencyErrors: 20 });
    expect(m.totals.requests).toBe(20);
    const [verdict] = evaluateSlos([spec('p95 < 200ms')], m);
    expect(verdict).toMatchObject({ actual: null, pass: false });
  });

  it('a run in which no request succeeded never passes, whatever its SLOs say, and says why', () => {
    // Every request answered 503 quickly: p95 < 200ms holds, but nobody was served.
    const m = measured({ failedWithLatency: Array.from({ length: 50 }, () => 2) });
    const judged = judgeRun([spec('p95 < 200ms')], m, {});
    expect(judged.slo[0]).toMatchObject({ pass: true });
    expect(judged.pass).toBe(false);
    expect(judged.reasons.join(' ')).toMatch(/no request succeeded/);
    // Nothing sent at all (every arrival dropped) is no better.
    const none = judgeRun([spec('p95 < 200ms')], measured({ dropped: 10 }), {});
    expect(none.pass).toBe(false);
    // With no SLOs at all, the same rule holds.
    expect(judgeRun([], m, {}).pass).toBe(false);
    // One success is enough for the rule; then the SLOs decide.
    expect(judgeRun([spec('p95 < 200ms')], measured({ ok: [3], failedWithLatency: [2] }), {}).pass).toBe(true);
  });

  it('a stopped run (interrupted, aborted) never passes and says why', () => {
    const m = measured({ ok: [1, 2, 3] });
    const interrupted = judgeRun([spec('p95 < 200ms')], m, { stopReason: 'interrupted' });
    expect(interrupted.pass).toBe(false);
    expect(interrupted.reasons.join(' ')).toMatch(/interrupted/);
    const aborted = judgeRun([spec('p95 < 200ms')], m, { stopReason: 'slo-abort', abortedBy: 'error_rate < 5%' });
    expect(aborted.pass).toBe(false);
    expect(aborted.reasons.join(' ')).toMatch(/error_rate < 5%/);
  });

  it('keeps abortOnFail and window in every verdict, so a merge can judge the full spec again', () => {
    const s = { ...spec('error_rate < 5%'), abortOnFail: true, windowMs: 10_000 };
    const [verdict] = evaluateSlos([s], measured({ ok: [1] }));
    expect(verdict).toMatchObject({ abortOnFail: true, windowMs: 10_000 });
  });
});

describe('slo: in a scenario file (issue 11)', () => {
  const scenarioWith = (slos: string[]): string =>
    `name: s\ntarget: http://127.0.0.1:9\nload: [{ duration: 1s, rate: 1/s }]\nflows:\n  - steps:\n      - name: root\n        get: /\nslo:\n${slos.map((s) => `  - "${s}"`).join('\n')}\n`;

  it('accepts == and /m rates', async () => {
    const plan = await parseScenario(scenarioWith(['dropped == 0', 'rps > 1000/m', 'root: errors != 1']), '/s.yml', { env: {} });
    expect(plan.slo.map((s) => [s.metric, s.op, s.endpoint])).toEqual([
      ['dropped', '==', null],
      ['rps', '>', null],
      ['errors', '!=', 'root'],
    ]);
  });

  it("names the file's line and field, with a hint for k6's metric words and an ambiguous error_rate", async () => {
    const error = await parseScenario(scenarioWith(['error_rate < 1', 'http_req_duration: p(95)<200', 'rate<0.01']), '/s.yml', { env: {} }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScenarioError);
    const lines = (error as ScenarioError).problems.map((p) => `${p.line} ${p.path} ${p.message}`);
    expect(lines[0]).toMatch(/^9 slo\[0\] .*bare number is a fraction/);
    expect(lines[1]).toMatch(/^10 slo\[1\]\.http_req_duration|^10 slo\[1\] .*k6.*p95 < 200ms/);
    expect(lines[1]).toMatch(/k6.*p95 < 200ms/);
    expect(lines[2]).toMatch(/^11 slo\[2\] .*did you mean error_rate/);
  });
});
