// Load shapes k6 and Artillery users reach for: ramping virtual users, a fixed number of iterations,
// gracefulStop, named phases. Every figure is checked against what the loopback server saw.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { rampOffsets } from '../src/engine/users.js';
import { parseScenario } from '../src/scenario/load.js';
import { segmentPlan } from '../src/segment/segment.js';
import type { ClosedPhase, Flow, Phase } from '../src/types.js';
import { getStep, open, simplePlan } from './helpers/plan.js';
import { startServer, type TestServer } from './helpers/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const ramp = (vus: number, rampTo: number, durationMs: number, extra: Partial<ClosedPhase> = {}): Phase => ({ kind: 'closed', vus, rampTo, durationMs, thinkMinMs: 0, thinkMaxMs: 0, ...extra });
const iterations = (count: number, vus: number, perVu = false, maxMs = 60_000): Phase => ({ kind: 'closed', vus, durationMs: maxMs, thinkMinMs: 0, thinkMaxMs: 0, iterations: { count, perVu } });

/** Samples the server's in-flight count every `everyMs` until `done` settles. */
async function sample(s: TestServer, done: Promise<unknown>, everyMs: number): Promise<number[]> {
  const samples: number[] = [];
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    samples.push(s.inFlight());
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return samples;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('ramping virtual users', () => {
  it('the ramp offsets cross each half user of the line, in order', () => {
    expect(rampOffsets(2, 20, 18_000)).toEqual(Array.from({ length: 18 }, (_, k) => (k + 0.5) * 1000));
    expect(rampOffsets(4, 0, 400)).toEqual([50, 150, 250, 350]);
    expect(rampOffsets(3, 3, 1000)).toEqual([]);
  });

  it('from 2 to 20 users: the concurrency the server sees follows the ramp', async () => {
    // Each request is held 100 ms, so the server's in-flight count is the number of active users.
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 100));
    const engine = new Engine(simplePlan(server.url, [ramp(2, 20, 3000)]));
    const running = engine.run();
    const samples = await sample(server, running, 50);
    const run = await running;
    const inPhase = samples.slice(0, Math.floor(3000 / 50));
    const sixth = Math.floor(inPhase.length / 6);
    const windows = Array.from({ length: 6 }, (_, k) => mean(inPhase.slice(k * sixth, (k + 1) * sixth)));
    // The line goes 2 → 20: the first sixth averages about 3.5 users, the last about 18.5.
    expect(windows[0]!).toBeLessThan(7);
    expect(windows[5]!).toBeGreaterThan(14);
    for (let k = 1; k < 6; k++) expect(windows[k]!).toBeGreaterThan(windows[k - 1]! - 1);
    expect(server.maxInFlight()).toBeLessThanOrEqual(20);
    expect(run.phases?.[0]).toMatchObject({ kind: 'closed', name: 'phase 1' });
  });

  it('from 20 down to 2 users: the concurrency follows the ramp down', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 100));
    const engine = new Engine(simplePlan(server.url, [ramp(20, 2, 3000)]));
    const running = engine.run();
    const samples = await sample(server, running, 50);
    await running;
    const inPhase = samples.slice(0, Math.floor(3000 / 50));
    const sixth = Math.floor(inPhase.length / 6);
    const first = mean(inPhase.slice(0, sixth));
    const last = mean(inPhase.slice(5 * sixth, 6 * sixth));
    expect(first).toBeGreaterThan(14);
    expect(last).toBeLessThan(7);
  });

  it('a user stopped by a ramp-down finishes its iteration; with gracefulRampDown 0 it sends no further step', async () => {
    const flow: Flow = { name: 'two', weight: 1, steps: [getStep(0, '/a'), getStep(1, '/b')] };
    for (const graceMs of [undefined, 0]) {
      const counts = { a: 0, b: 0 };
      server = await startServer((req, res) => {
        if (req.url === '/a') counts.a++;
        else counts.b++;
        setTimeout(() => res.end('ok'), req.url === '/a' ? 120 : 1);
      });
      // 4 users ramp down to 0 over 400 ms: each is retired while its first request is in flight.
      const plan = simplePlan(server.url, [ramp(4, 0, 400, graceMs === undefined ? {} : { gracefulRampDownMs: graceMs })], { flows: [flow], endpoints: ['a', 'b'] });
      await new Engine(plan).run();
      await server.close();
      server = undefined;
      expect(counts.a).toBeGreaterThan(0);
      if (graceMs === undefined) expect(counts.b).toBe(counts.a);
      else expect(counts.b).toBeLessThan(counts.a);
    }
  });
});

describe('a fixed number of iterations', () => {
  const twoSteps: Flow = { name: 'two', weight: 1, steps: [getStep(0, '/a'), getStep(1, '/b')] };

  it('iterations: 50 shared among 5 users sends exactly 50 iterations', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 2));
    const engine = new Engine(simplePlan(server.url, [iterations(50, 5)], { flows: [twoSteps], endpoints: ['a', 'b'] }));
    const run = await engine.run();
    const summary = engine.aggregator.summarize(run.durationMs);
    expect(server.requests()).toBe(100);
    expect(summary.totals.requests).toBe(100);
    expect(run.phases?.[0]?.iterations).toBe(50);
    // The phase ends when the iterations are done, not after its maxDuration (60 s).
    expect(run.durationMs).toBeLessThan(60_000);
    expect(server.maxInFlight()).toBeLessThanOrEqual(5);
  });

  it('perVu: 3 iterations for each of 4 users is 12', async () => {
    server = await startServer();
    const run = await new Engine(simplePlan(server.url, [iterations(3, 4, true)])).run();
    expect(server.requests()).toBe(12);
    expect(run.phases?.[0]?.iterations).toBe(12);
  });

  it('maxDuration ends the phase before its iterations are done', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 50));
    const run = await new Engine(simplePlan(server.url, [iterations(1000, 1, false, 300)])).run();
    expect(server.requests()).toBeLessThan(1000);
    expect(server.requests()).toBeGreaterThan(0);
    expect(run.durationMs).toBeLessThanOrEqual(300);
  });

  it('mixed phases keep working: 10 iterations, then an open phase of 20/s for 500 ms', async () => {
    server = await startServer();
    const engine = new Engine(simplePlan(server.url, [iterations(10, 2), open(20, 500)]));
    const run = await engine.run();
    expect(server.requests()).toBe(20);
    expect(run.phases?.map((p) => [p.kind, p.iterations])).toEqual([
      ['closed', 10],
      ['open', 10],
    ]);
    expect(run.phases?.[1]?.startMs).toBeCloseTo(run.phases![0]!.durationMs, 6);
  });

  it('segments split shared iterations exactly and keep per-user ones', () => {
    const plan = simplePlan('http://127.0.0.1:1', [iterations(50, 2), iterations(3, 4, true), ramp(2, 21, 1000)]);
    const parts = [0, 1, 2].map((i) => segmentPlan(plan, i, 3).phases as ClosedPhase[]);
    // 50 iterations, 2 users, 3 segments: the two segments with a user run 25 each; users stay 2 in all.
    expect(parts.map((p) => [p[0]!.vus, p[0]!.iterations!.count])).toEqual([
      [1, 25],
      [1, 25],
      [0, 0],
    ]);
    expect(parts.reduce((n, p) => n + p[1]!.vus * p[1]!.iterations!.count, 0)).toBe(12);
    expect(parts.reduce((n, p) => n + p[2]!.rampTo!, 0)).toBe(21);
  });
});

describe('gracefulStop', () => {
  it('bounds the wait for iterations under way at the end of the run (default: a request timeout + 1 s)', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 3000));
    const plan = simplePlan(server.url, [{ kind: 'closed', vus: 1, durationMs: 200, thinkMinMs: 0, thinkMaxMs: 0 }], { gracefulStopMs: 100 });
    const engine = new Engine(plan);
    const run = await engine.run();
    const summary = engine.aggregator.summarize(run.durationMs);
    expect(run.drainMs).toBeLessThan(1500);
    expect(run.cutIterations).toBe(1);
    expect(summary.totals.errorKinds.interrupted).toBe(1);
  });
});

describe('the scenario language for load shapes', () => {
  it('compiles ramping users, iterations, names and gracefulStop', async () => {
    const text = `target: http://127.0.0.1:1
gracefulStop: 5s
load:
  - { name: warm-up, duration: 1m, vus: 10, rampTo: 100, gracefulRampDown: 2s }
  - { name: smoke, iterations: 50, vus: 5, maxDuration: 30s }
  - { iterations: 3, vus: 2, perVu: true }
  - { name: spike, duration: 10s, rate: 100/s }
flows:
  - steps:
      - get: /x
`;
    const plan = await parseScenario(text, '/s.yml', { env: {} });
    expect(plan.gracefulStopMs).toBe(5000);
    expect(plan.phases).toEqual([
      { kind: 'closed', name: 'warm-up', durationMs: 60_000, vus: 10, rampTo: 100, thinkMinMs: 0, thinkMaxMs: 0, gracefulRampDownMs: 2000 },
      { kind: 'closed', name: 'smoke', durationMs: 30_000, vus: 5, thinkMinMs: 0, thinkMaxMs: 0, iterations: { count: 50, perVu: false } },
      { kind: 'closed', durationMs: 600_000, vus: 2, thinkMinMs: 0, thinkMaxMs: 0, iterations: { count: 3, perVu: true } },
      { kind: 'open', name: 'spike', durationMs: 10_000, rate: 100, rampTo: 100 },
    ]);
  });

  it('refuses an iterations phase with a duration (maxDuration is its bound) and a phase with no users', async () => {
    const text = `target: http://127.0.0.1:1
load:
  - { iterations: 5, duration: 10s }
  - { duration: 10s, vus: 0 }
flows:
  - steps:
      - get: /x
`;
    const error = await parseScenario(text, '/s.yml', { env: {} }).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/load\[0\].*duration/s);
    expect(error?.message).toMatch(/load\[1\].*vus.*at least 1/s);
  });
});

describe('CSV delimiter', () => {
  it('reads a semicolon-separated file with delimiter: ";"', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadScenario } = await import('../src/scenario/load.js');
    const dir = mkdtempSync(join(tmpdir(), 'bench-csv-'));
    try {
      writeFileSync(join(dir, 'users.csv'), 'name;id\nann;1\nbob;2\n');
      writeFileSync(join(dir, 's.yml'), 'target: http://127.0.0.1:1\nload:\n  - { duration: 1s, rate: 1/s }\ndata:\n  users: { csv: users.csv, delimiter: ";" }\nflows:\n  - steps:\n      - get: /u/{{ users.id }}\n');
      const plan = await loadScenario(join(dir, 's.yml'), { env: {} });
      const vars = plan.iterationVars(1, {}) as { users: { name: string; id: string } };
      expect(vars.users).toEqual({ name: 'bob', id: '2' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a missing, empty or broken CSV', () => {
  it('is one clear error, not a cascade of "unknown variable"', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadScenario } = await import('../src/scenario/load.js');
    const dir = mkdtempSync(join(tmpdir(), 'bench-csv-'));
    try {
      writeFileSync(join(dir, 'empty.csv'), 'id,name\n');
      writeFileSync(join(dir, 'broken.csv'), 'id,name\n1,"ann\n');
      for (const csv of ['missing.csv', 'empty.csv', 'broken.csv']) {
        writeFileSync(join(dir, 's.yml'), `target: http://127.0.0.1:1\nload:\n  - { duration: 1s, rate: 1/s }\ndata:\n  users: { csv: ${csv} }\nflows:\n  - steps:\n      - get: /u/{{ users.id }}\n      - post: /p\n        json: { n: "{{ users.name }}" }\n`);
        const error = await loadScenario(join(dir, 's.yml'), { env: {} }).then(() => null, (e: unknown) => e as { problems: Array<{ message: string }> });
        expect(error?.problems.length, csv).toBe(1);
        expect(error?.problems[0]?.message).not.toContain('unknown variable');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
