import { afterEach, describe, expect, it } from 'vitest';
import { Engine, epochNow } from '../src/engine/engine.js';
import type { TransportName } from '../src/engine/transport.js';
import { closed, getStep, open, simplePlan } from './helpers/plan.js';
import { startServer, type TestServer } from './helpers/servers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

// Every engine behaviour holds for both HTTP clients: the lean one (default for http:) and undici (https:).
describe.each<TransportName>(['lean', 'undici'])('engine against a loopback server (%s client)', (transport) => {
  it('open 200/s for 2 s sends exactly the schedule (400 arrivals)', async () => {
    server = await startServer();
    const engine = new Engine(simplePlan(server.url, [open(200, 2000)]), { transport });
    const run = await engine.run();
    const summary = engine.aggregator.summarize(run.durationMs);
    expect(summary.totals.requests).toBe(400);
    expect(server.requests()).toBe(400);
    expect(summary.totals.errors).toBe(0);
    expect(summary.totals.statusCodes).toEqual({ '200': 400 });
    expect(summary.timeline.reduce((n, p) => n + p.requests, 0)).toBe(400);
  });

  it('counts each response in the second it completed in, even when the second ticker is late', async () => {
    // The clock jumps 20 ms ahead at 1.9 s: every timer armed before the jump (the ticker that closes
    // second 1) now fires 20 ms late by the engine's clock, after the load's own end at 2.0 s. Arrivals
    // are at 0, 10, …, 1990 ms and a loopback answer takes well under 10 ms, so by the schedule second
    // 0 holds exactly 100 responses and second 1 the other 100 (the server's count is the total).
    // Before: the run's end labelled the still-open interval by the time it closed (second 2) and
    // second 1 vanished from the timeline — a capacity probe then read an achieved rate of 0/s.
    server = await startServer();
    const origin = epochNow();
    const now = (): number => {
      const t = epochNow();
      return t - origin >= 1900 ? t + 20 : t;
    };
    const engine = new Engine(simplePlan(server.url, [open(100, 2000)]), { transport, now, startAt: origin });
    const run = await engine.run();
    const summary = engine.aggregator.summarize(run.durationMs);
    expect(server.requests()).toBe(200);
    expect(summary.totals.requests).toBe(200);
    const perSecond = Object.fromEntries(summary.timeline.map((p) => [p.second, p.requests]));
    expect(perSecond[0]).toBe(100);
    expect(perSecond[1]).toBe(100);
  });

  it('closed vus: 8 never has more than 8 requests in flight at the server', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 5));
    const engine = new Engine(simplePlan(server.url, [closed(8, 1500)]), { transport });
    const run = await engine.run();
    const summary = engine.aggregator.summarize(run.durationMs);
    expect(summary.totals.requests).toBeGreaterThan(50);
    expect(server.maxInFlight()).toBeLessThanOrEqual(8);
    expect(server.maxInFlight()).toBeGreaterThanOrEqual(2);
  });

  it('measures open-model latency from the intended send time: a stalled server cannot hide', async () => {
    // Every request in the first 500 ms is held until t = 500 ms; arrivals keep their schedule.
    const start = Date.now();
    server = await startServer((_req, res) => {
      const wait = Math.max(0, 500 - (Date.now() - start));
      setTimeout(() => res.end('ok'), wait);
    });
    const engine = new Engine(simplePlan(server.url, [open(100, 1000)], { http: { timeoutMs: 5000, maxInFlight: 10_000, graphqlPath: '/graphql', connections: 4 } }), { transport });
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals.requests).toBe(100);
    // The first arrival waited ~500 ms; with only 4 connections a closed tool would report ~0 ms for most.
    expect(s.totals.latencyMs.max).toBeGreaterThan(350);
    expect(s.totals.latencyMs.p50).toBeGreaterThan(s.totals.serviceTimeMs.p50 - 1);
  });

  it('classifies a refused connection as connect and counts errors', async () => {
    const engine = new Engine(simplePlan('http://127.0.0.1:9', [open(20, 500)]), { transport });
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals.requests).toBe(10);
    expect(s.totals.errorKinds).toEqual({ connect: 10 });
    expect(run.errorDetails.connect).toMatch(/connection refused at 127\.0\.0\.1:9/);
  });

  it('applies the total deadline to a response that never comes', async () => {
    server = await startServer(() => undefined);
    const plan = simplePlan(server.url, [open(10, 300)], { http: { timeoutMs: 200, maxInFlight: 100, graphqlPath: '/graphql' } });
    const engine = new Engine(plan, { transport });
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals.errorKinds.timeout).toBe(3);
    expect(s.totals.latencyMs.min).toBeGreaterThanOrEqual(190);
  });

  it('counts arrivals past maxInFlight as dropped, never silently skipped', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 400));
    const plan = simplePlan(server.url, [open(100, 300)], { http: { timeoutMs: 5000, maxInFlight: 5, graphqlPath: '/graphql' } });
    const engine = new Engine(plan, { transport });
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals.requests + s.totals.dropped).toBe(30);
    expect(s.totals.requests).toBe(5);
  });

  it('puts a target path prefix before every step path', async () => {
    const paths = new Set<string>();
    server = await startServer((req, res) => {
      paths.add(req.url ?? '');
      res.end('ok');
    });
    const engine = new Engine(simplePlan(`${server.url}/api/v1/`, [open(20, 200)]), { transport });
    await engine.run();
    expect([...paths]).toEqual(['/api/v1/']);
  });

  it('lets journeys under way at the end of the load finish their steps', async () => {
    server = await startServer();
    const flow = { name: 'journey', weight: 1, steps: [getStep(0, '/a'), { kind: 'think' as const, minMs: 150, maxMs: 150 }, getStep(1, '/b')] };
    const plan = simplePlan(server.url, [open(50, 400)], { flows: [flow], endpoints: ['GET /a', 'GET /b'] });
    const engine = new Engine(plan, { transport });
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    // 20 arrivals; the last ones are still thinking when the 400 ms of load are over.
    expect(s.endpoints.map((e) => [e.name, e.requests])).toEqual([
      ['GET /a', 20],
      ['GET /b', 20],
    ]);
  });

  it('after a stop, starts no new step and ends within the grace', async () => {
    server = await startServer();
    const flow = { name: 'journey', weight: 1, steps: [getStep(0, '/a'), { kind: 'think' as const, minMs: 2000, maxMs: 2000 }, getStep(1, '/b')] };
    const plan = simplePlan(server.url, [open(20, 5000)], { flows: [flow], endpoints: ['GET /a', 'GET /b'] });
    const engine = new Engine(plan, { transport });
    setTimeout(() => engine.stop('interrupted'), 500);
    const started = Date.now();
    const run = await engine.run();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(run.stopReason).toBe('interrupted');
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.endpoints[1]!.requests).toBe(0);
    expect(s.endpoints[0]!.requests).toBeGreaterThan(5);
  });
});
