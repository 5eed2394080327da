// The execute hook the capacity search uses for its warm-up: seconds before `measureFromSecond` are run
// (the server sees them) but not measured — checked against the schedule's exact arrival count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeInProcess, type executeInWorkers as ExecuteInWorkers } from '../src/engine/execute.js';
import { preparePlan } from '../src/scenario/prepare.js';
import { ensureBuilt, fixture } from './helpers/cli.js';
import { open, simplePlan } from './helpers/plan.js';
import { startServer, type TestServer } from './helpers/servers.js';

describe('executeInProcess / executeInWorkers with measureFromSecond', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('in one thread: 3 s at 100/s, the first second discarded — the server saw 300, the figures hold the last 200', async () => {
    const before = server.requests();
    const plan = simplePlan(server.url, [open(100, 3000)]);
    const ran = await executeInProcess(plan, undefined, { measureFromSecond: 1 }).done;
    expect(server.requests() - before).toBe(300);
    // Arrivals 100…299 are due in seconds 1–2; a response or two of second 0's last arrivals may land in second 1.
    expect(ran.summary.totals.requests).toBeGreaterThanOrEqual(199);
    expect(ran.summary.totals.requests).toBeLessThanOrEqual(203);
    expect(Math.min(...ran.summary.timeline.map((p) => p.second))).toBe(1);
    // Without the option every second counts.
    const all = await executeInProcess(simplePlan(server.url, [open(100, 2000)])).done;
    expect(all.summary.totals.requests).toBe(200);
  });

  it('across 2 worker threads: the same cut, from each worker’s intervals', async () => {
    // Worker threads load the compiled worker-main.js, so this runs the built code.
    await ensureBuilt();
    const { executeInWorkers } = (await import(new URL('../dist/engine/execute.js', import.meta.url).href)) as { executeInWorkers: typeof ExecuteInWorkers };
    const before = server.requests();
    const overrides = { target: server.url, rate: '100', duration: '3s' };
    const file = fixture('open-200.yml');
    const plan = await preparePlan(file, {}, overrides);
    const ran = await executeInWorkers(plan, { file, env: {}, overrides }, 2, { measureFromSecond: 1 }).done;
    expect(server.requests() - before).toBe(300);
    expect(ran.summary.totals.requests).toBeGreaterThanOrEqual(199);
    expect(ran.summary.totals.requests).toBeLessThanOrEqual(203);
  });
});
