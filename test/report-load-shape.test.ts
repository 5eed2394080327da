// Reports show what matters: the phases as they ran, the schedule lag (a warning when the generator fell
// behind), the planned rate next to the achieved one and dropped/s in the HTML.
import { describe, expect, it } from 'vitest';
import { reporters } from '../src/report/index.js';
import { buildResult } from '../src/result/build.js';
import { Engine } from '../src/engine/engine.js';
import type { RunResult } from '../src/types.js';
import { passingResult } from './fixtures/results/build.js';
import { open, simplePlan } from './helpers/plan.js';
import { startServer } from './helpers/servers.js';

function withPhasesAndLag(lagP99: number): RunResult {
  const result = passingResult();
  return {
    ...result,
    durationMs: 5000,
    scheduleLagMs: { mean: lagP99 / 4, p99: lagP99, max: lagP99 * 2 },
    totals: { ...result.totals, dropped: 50 },
    phases: [
      { name: 'warm-up', kind: 'open', startMs: 0, durationMs: 2000, iterations: 100, rate: 50, rampTo: 50 },
      { name: 'peak', kind: 'open', startMs: 2000, durationMs: 3000, iterations: 500, rate: 100, rampTo: 100 },
    ],
  };
}

const render = (result: RunResult) => ({
  terminal: reporters.terminal(result, { color: false }),
  md: reporters.md(result, { color: false }),
  html: reporters.html(result, { color: false }),
});

describe('reports of load shapes', () => {
  it('name each phase with its span, shape and iterations in the terminal, report.md and report.html', () => {
    for (const text of Object.values(render(withPhasesAndLag(0.4)))) {
      expect(text).toContain('warm-up 0–2 s (open, 50.0/s, 100 iterations)');
      expect(text).toContain('peak 2–5 s (open, 100.0/s, 500 iterations)');
    }
  });

  it('show the schedule lag, and warn when the generator fell behind', () => {
    for (const text of Object.values(render(withPhasesAndLag(0.4)))) {
      expect(text).toContain('Schedule lag (how late sends left against the schedule): mean 0.10 ms · p99 0.40 ms · max 0.80 ms');
      expect(text).not.toContain('fell behind');
    }
    for (const text of Object.values(render(withPhasesAndLag(40)))) expect(text).toContain('WARNING: the generator fell behind its schedule (schedule lag mean 10.0 ms · p99 40.0 ms · max 80.0 ms)');
  });

  it('the HTML puts the planned rate next to the achieved throughput, and dropped per second', () => {
    const html = render(withPhasesAndLag(0.4)).html;
    // planned: (50/s × 2 s + 100/s × 3 s) over the 5 s load window = 80/s
    expect(html.match(/throughput.{0,80}/)?.[0]).toMatch(/>119\.9\/s of 80\.0\/s planned</);
    expect(html).toContain('50 (10.0/s)');
    expect(html).toContain('schedule lag p99');
  });

  it('a run with named phases labels its timeline seconds and result.json lists the phases as they ran', async () => {
    const server = await startServer();
    try {
      const plan = simplePlan(server.url, [{ ...open(20, 1000), name: 'first' }, { ...open(10, 1000), name: 'second' }]);
      const engine = new Engine(plan);
      const run = await engine.run();
      const result = buildResult(plan, engine.aggregator.summarize(run.durationMs), { startedAt: run.startedAt, durationMs: run.durationMs, drainMs: run.drainMs, phases: run.phases });
      expect(result.phases?.map((p) => [p.name, p.iterations, p.startMs, p.durationMs])).toEqual([
        ['first', 20, 0, 1000],
        ['second', 10, 1000, 1000],
      ]);
      expect(server.requests()).toBe(30);
      expect(result.timeline[0]?.phase).toBe('first');
      expect(result.timeline[1]?.phase).toBe('second');
    } finally {
      await server.close();
    }
  });
});

describe('reports of flows', () => {
  it('list each flow with its iterations and durations in the terminal, report.md and report.html', () => {
    const result: RunResult = {
      ...passingResult(),
      flows: [{ name: 'checkout', iterations: 12, completed: 10, perSecond: 2.4, durationMs: { min: 70, mean: 80, p50: 75, p90: 90, p95: 95, p99: 99, p999: 99, max: 120 }, histogram: '' }],
    };
    for (const text of Object.values(render(result))) expect(text).toContain('Flows: checkout 12 iterations (2 ended early), duration p50 75.0 ms · p95 95.0 ms · max 120 ms.');
  });
});
