// The open model's precise waits (send-timer.ts, pacer.ts nextWait) against real loopback servers:
// whatever path a wait takes (timer, thread sleep, parked until a completion, spin), every arrival of
// the schedule is sent exactly once. Asserted on counts, never on times.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { open, simplePlan } from './helpers/plan.js';
import { startServer, type TestServer } from './helpers/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('waiting for open-model arrivals', () => {
  it('5,000/s for 1 s against a fast server: exactly 5,000 arrivals, sent through precise sleeps', async () => {
    server = await startServer();
    const engine = new Engine(simplePlan(server.url, [open(5000, 1000)]));
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(server.requests()).toBe(5000);
    expect(s.totals.requests).toBe(5000);
    expect(s.totals.dropped).toBe(0);
    expect(engine.sendTimer.stats.sleeps).toBeGreaterThan(0);
  });

  it('500/s against a server holding each request 20 ms: waits park on outstanding responses, none is lost', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 20));
    const engine = new Engine(simplePlan(server.url, [open(500, 1000)]));
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(server.requests()).toBe(500);
    expect(s.totals.requests).toBe(500);
    expect(s.totals.errors).toBe(0);
    expect(engine.sendTimer.stats.parks).toBeGreaterThan(0);
  });

  it('a stop while an arrival is awaited ends the run: 1/s for 60 s stopped after the first request', async () => {
    server = await startServer();
    const engine = new Engine(simplePlan(server.url, [open(1, 60_000)]));
    const running = engine.run();
    await new Promise((r) => setTimeout(r, 300));
    engine.stop('interrupted');
    const run = await running;
    expect(run.stopReason).toBe('interrupted');
    expect(server.requests()).toBe(1);
    expect(run.durationMs).toBeLessThan(60_000);
  });
});
