// When a step fails: which later steps still go, and setup steps that must all pass.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { buildResult } from '../src/result/build.js';
import type { RequestStep } from '../src/types.js';
import { getStep, open, simplePlan } from './helpers/plan.js';
import { startServer, type TestServer } from './helpers/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const failingStep = (endpoint: number, captures: boolean): RequestStep => ({
  ...getStep(endpoint, '/fail'),
  captures,
  verify: (res) => (res.status === 200 ? null : { kind: 'status', check: 'status 200' }),
});

async function runFlow(steps: RequestStep[]): Promise<number[]> {
  server = await startServer((req, res) => {
    res.statusCode = req.url === '/fail' ? 500 : 200;
    res.end('x');
  });
  const plan = simplePlan(server.url, [open(20, 250)], { flows: [{ name: 'f', weight: 1, steps }], endpoints: ['first', 'second'] });
  const engine = new Engine(plan);
  const run = await engine.run();
  return engine.aggregator.summarize(run.durationMs).endpoints.map((e) => e.requests);
}

describe('a failed step', () => {
  it('ends the iteration when it captures values (later steps would send an empty token)', async () => {
    expect(await runFlow([failingStep(0, true), getStep(1, '/next')])).toEqual([5, 0]);
  });

  it('lets the iteration go on when it captures nothing (as k6 does)', async () => {
    expect(await runFlow([failingStep(0, false), getStep(1, '/next')])).toEqual([5, 5]);
  });
});

describe('setup', () => {
  it('fails the run with the reason when a setup step fails its check', async () => {
    server = await startServer((_req, res) => {
      res.statusCode = 400;
      res.end();
    });
    const plan = simplePlan(server.url, [open(10, 100)], { setup: [failingStep(0, true)], endpoints: ['login', 'GET /'], flows: [{ name: 'f', weight: 1, steps: [getStep(1, '/')] }] });
    await expect(new Engine(plan).setup()).rejects.toThrow(/^setup step "login" failed: status 200 \(got status 400\)$/);
  });

  it('gives setup-only steps no row among the measured endpoints', async () => {
    server = await startServer();
    const setupStep = { ...getStep(0, '/login'), captures: true };
    const plan = simplePlan(server.url, [open(20, 100)], { setup: [setupStep], endpoints: ['login', 'GET /'], flows: [{ name: 'f', weight: 1, steps: [getStep(1, '/')] }] });
    const engine = new Engine(plan);
    await engine.setup();
    const run = await engine.run();
    const result = buildResult(plan, engine.aggregator.summarize(run.durationMs), { startedAt: run.startedAt, durationMs: run.durationMs });
    expect(result.endpoints.map((e) => [e.name, e.requests])).toEqual([['GET /', 2]]);
    expect(result.totals.requests).toBe(2);
  });
});
