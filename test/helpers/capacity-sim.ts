// A capacity search on a simulated target (its knee at 1,200/s), through the real policy: deterministic
// input for the report tests (HTML in Chromium, Markdown and JUnit goldens).
import { judgeProbe, type ProbeFigures, type ProbeReport } from '../../src/capacity/probe.js';
import { conclude, nextProbe, type ProbeRecord } from '../../src/capacity/policy.js';
import type { SearchRun, SearchSettings } from '../../src/capacity/run.js';
import { defaultSlos } from '../../src/slo/parse.js';
import type { Plan, SloResult } from '../../src/types.js';

export const SETTINGS: SearchSettings = { from: 100, max: 5000, precision: 0.05, stepSeconds: 10, confirmSeconds: 20, warmupSeconds: 2, coolDownMs: 1000, maxTimeMs: 600_000, workers: 1 };

/** A simulated target with its knee at 1,200/s: latency flat below, climbing steeply above; errors past 1,300/s. */
export function simulatedProbe(rate: number, kind: ProbeRecord['kind'], index: number): ProbeReport {
  const over = Math.max(0, rate - 1200);
  const p50 = 8 + over * 0.4;
  const errorRate = rate > 1300 ? 0.05 : 0;
  const figures: ProbeFigures = {
    offeredRate: rate,
    achievedRate: Math.min(rate, 1250),
    goodRate: Math.min(rate, 1250) * (1 - errorRate),
    responsesPerSecond: Math.min(rate, 1250),
    requestsPerArrival: 1,
    windowMs: 10_000,
    warmupMs: 2000,
    requests: rate * 10,
    errors: Math.round(rate * 10 * errorRate),
    errorRate,
    dropped: 0,
    latencyMs: { p50, p90: p50 * 1.6, p95: p50 * 2, p99: p50 * 3, max: p50 * 4 },
    scheduleLagMs: { p99: 0.5, max: 1 },
    generatorCpu: 0.2,
    generatorCores: 1,
  };
  const slo: SloResult[] = [
    { expr: 'p95 < 200ms', endpoint: null, metric: 'p95', op: '<', actual: figures.latencyMs.p95, threshold: 200, unit: 'ms', pass: figures.latencyMs.p95 < 200, isDefault: true },
    { expr: 'error_rate < 1%', endpoint: null, metric: 'error_rate', op: '<', actual: errorRate, threshold: 0.01, unit: '%', pass: errorRate < 0.01, isDefault: true },
  ];
  const j = judgeProbe(figures, slo);
  return { index, kind, atMs: index * 13_000, ...figures, ...j, pass: j.verdict === 'pass', generatorLimited: j.verdict === 'limited' };
}

export function simulatedRun(): SearchRun {
  const history: ProbeRecord[] = [];
  const probes: ProbeReport[] = [];
  for (;;) {
    const next = nextProbe(SETTINGS, history);
    if (next.type === 'done') break;
    const probe = simulatedProbe(next.rate, next.kind, probes.length + 1);
    probes.push(probe);
    history.push({ rate: next.rate, kind: next.kind, verdict: probe.verdict });
  }
  const plan = { name: 'knee <&> "demo"', slo: defaultSlos(), sloDefaults: true } as unknown as Plan;
  return { targets: [{ target: { name: 'api', url: 'http://127.0.0.1:3000' }, probes, outcome: conclude(history) }], startedAt: Date.UTC(2026, 0, 1), durationMs: 120_000, plan };
}

