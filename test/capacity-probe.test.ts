// One probe's verdict from its figures: pass, fail, or limited by the generator (pure).
import { describe, expect, it } from 'vitest';
import { generatorHint, judgeProbe, judgeSlos, probeFigures, requestsPerArrival, type ProbeFigures } from '../src/capacity/probe.js';
import type { Flow } from '../src/types.js';
import { parseSlo } from '../src/slo/parse.js';
import type { SloResult, SloSpec } from '../src/types.js';
import { Aggregator } from '../src/metrics/aggregator.js';

function figures(over: Partial<ProbeFigures> = {}): ProbeFigures {
  return {
    offeredRate: 1000,
    achievedRate: 1000,
    goodRate: 1000,
    responsesPerSecond: 1000,
    requestsPerArrival: 1,
    windowMs: 10_000,
    warmupMs: 2000,
    requests: 10_000,
    errors: 0,
    errorRate: 0,
    dropped: 0,
    latencyMs: { p50: 2, p90: 3, p95: 4, p99: 6, max: 9 },
    scheduleLagMs: { p99: 0.8, max: 2 },
    generatorCpu: 0.3,
    generatorCores: 1,
    ...over,
  };
}

const slo = (expr: string, pass: boolean, metric = expr.split(' ')[0]!): SloResult => ({ expr, endpoint: null, metric, op: '<', actual: 1, threshold: 1, unit: '', pass, isDefault: false });

describe('judgeProbe', () => {
  it('passes when every judged SLO passes and bench kept up', () => {
    expect(judgeProbe(figures(), [slo('p95 < 200ms', true)])).toMatchObject({ verdict: 'pass', failed: [], limitedBy: [] });
  });

  it('fails on a broken SLO, naming it; a deferred SLO never fails a probe', () => {
    const deferred = { ...slo('rps >= 100', false), deferred: true };
    const j = judgeProbe(figures(), [slo('error_rate < 1%', false), deferred]);
    expect(j.verdict).toBe('fail');
    expect(j.failed.map((s) => s.expr)).toEqual(['error_rate < 1%']);
    expect(judgeProbe(figures(), [deferred]).verdict).toBe('pass');
  });

  it('a schedule lag p99 far beyond the inter-arrival time is the generator falling behind, whatever the SLOs say', () => {
    const j = judgeProbe(figures({ scheduleLagMs: { p99: 450, max: 900 } }), [slo('p95 < 200ms', false)]);
    expect(j.verdict).toBe('limited');
    expect(j.limitedBy[0]).toContain('schedule lag p99 450 ms');
    // A short stall (a neighbour on a shared machine) is not a limit.
    expect(judgeProbe(figures({ scheduleLagMs: { p99: 30, max: 60 } }), []).verdict).toBe('pass');
    // At a low rate arrivals are far apart: the same lag is relative to them.
    expect(judgeProbe(figures({ offeredRate: 5, scheduleLagMs: { p99: 450, max: 900 } }), []).verdict).toBe('pass');
  });

  it('arrivals dropped at the in-flight cap while latency held are the generator’s limit; with latency broken, the target’s backlog', () => {
    const capped = judgeProbe(figures({ dropped: 120 }), [slo('p95 < 200ms', true), slo('error_rate < 1%', true)]);
    expect(capped.verdict).toBe('limited');
    expect(capped.limitedBy[0]).toContain('120 arrivals dropped at the in-flight cap');
    const backlog = judgeProbe(figures({ dropped: 120 }), [slo('p95 < 200ms', false)]);
    expect(backlog.verdict).toBe('fail');
    expect(backlog.limitedBy).toEqual([]);
  });

  it('generator CPU near 100% of its cores is a limit; the same share of several workers’ cores is not', () => {
    expect(judgeProbe(figures({ generatorCpu: 0.97 }), []).limitedBy[0]).toContain('generator CPU at 97% of 1 core');
    expect(judgeProbe(figures({ generatorCpu: 0.97, generatorCores: 4 }), []).verdict).toBe('pass');
    expect(judgeProbe(figures({ generatorCpu: 3.7, generatorCores: 4 }), []).verdict).toBe('limited');
  });

  it('the hint points at --workers and segments', () => {
    expect(generatorHint(1)).toContain('--workers');
    expect(generatorHint(1)).toContain('--segment');
    expect(generatorHint(4)).toContain('4 workers');
  });
});

describe('probeFigures and judgeSlos', () => {
  it('counts the achieved rate over the measured window only, not the drain after it', () => {
    const agg = new Aggregator(['root']);
    // Seconds 0–1 are the warm-up (discarded by the engine, so absent); 2–4 the window; 5 the drain.
    for (const [second, n] of [[2, 100], [3, 100], [4, 100], [5, 40]] as const) {
      for (let i = 0; i < n; i++) agg.record(0, 0, 0, 5, i % 10 === 0 ? 503 : 200, i % 10 === 0 ? 'status' : null, i % 10 === 0 ? { kind: 'status', check: 'status' } : null);
      agg.absorb(agg.closeInterval(second));
    }
    const summary = agg.summarize(6000);
    const f = probeFigures(summary, { offeredRate: 100, warmupSeconds: 2, windowSeconds: 3, cpuMs: 300, wallMs: 6000, cores: 1 });
    expect(f.achievedRate).toBe(100);
    expect(f.goodRate).toBe(90);
    expect(f.requests).toBe(340);
    expect(f.generatorCpu).toBe(0.05);
    // rps (today: over the whole run including the drain) would have said 56.67/s.
    expect(summary.totals.rps).not.toBe(f.achievedRate);
  });

  it('states the achieved rate in arrivals per second: responses ÷ the requests a flow sends, weighted over the flows', () => {
    const request = { kind: 'request' } as Flow['steps'][number];
    const think = { kind: 'think', minMs: 1, maxMs: 1 } as Flow['steps'][number];
    const flows = [
      { name: 'browse', weight: 3, steps: [request] },
      { name: 'checkout', weight: 1, steps: [request, think, request, request] },
    ] as Flow[];
    expect(requestsPerArrival({ flows })).toBe(1.5);
    expect(requestsPerArrival({ flows: [flows[0]!] })).toBe(1);
    const agg = new Aggregator(['root']);
    for (let i = 0; i < 300; i++) agg.record(0, 0, 0, 5, 200, null, null);
    agg.absorb(agg.closeInterval(1));
    const f = probeFigures(agg.summarize(2000), { offeredRate: 200, warmupSeconds: 1, windowSeconds: 1, cpuMs: 0, wallMs: 2000, cores: 1, requestsPerArrival: 1.5 });
    expect(f.responsesPerSecond).toBe(300);
    expect(f.achievedRate).toBe(200);
  });

  it('judges the scenario’s SLOs but not the absolute ones the search sets (rps, requests…)', () => {
    const agg = new Aggregator(['root']);
    for (let i = 0; i < 50; i++) agg.record(0, 0, 0, 5, 200, null, null);
    agg.absorb(agg.closeInterval(0));
    const specs: SloSpec[] = ['p95 < 200ms', 'rps >= 100', 'requests > 1000'].map((expr) => ({ expr, endpoint: null, ...(parseSlo(expr) as { metric: string; op: '<'; threshold: number }), abortOnFail: false, windowMs: 0 }));
    const results = judgeSlos({ slo: specs, sloDefaults: false }, agg.summarize(1000));
    expect(results.map((r) => [r.expr, r.pass, r.deferred ?? false])).toEqual([
      ['p95 < 200ms', true, false],
      ['rps >= 100', true, true],
      ['requests > 1000', true, true],
    ]);
  });
});
