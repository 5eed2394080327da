// Service time is measured from when the request was written to the socket, so the time spent waiting
// in the pool for a free connection is in the latency (from the intended send time) but not in the
// service time. With one connection and a 100 ms server, 5 arrivals at once: latency grows by ~100 ms
// each (100, 200, … 500) while every service time stays ≈ 100 ms.
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import type { TransportName } from '../src/engine/transport.js';
import { open, simplePlan } from './helpers/plan.js';
import { startServer, type TestServer } from './helpers/servers.js';

const SERVER_MS = 100;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each<TransportName>(['lean', 'undici'])('service time (%s client)', (transport) => {
  it('excludes the wait for a free connection: 1 connection, 5 concurrent arrivals', async () => {
    server = await startServer((_req, res) => setTimeout(() => res.end('ok'), SERVER_MS));
    // 5 arrivals 1 ms apart, all waiting for the one connection.
    const plan = simplePlan(server.url, [open(1000, 5)], { http: { timeoutMs: 5000, maxInFlight: 100, graphqlPath: '/graphql', connections: 1 } });
    const engine = new Engine(plan, { transport });
    const run = await engine.run();
    const t = engine.aggregator.summarize(run.durationMs).totals;
    expect(t.requests).toBe(5);
    expect(server.maxInFlight()).toBe(1);
    // Served one after another, each ≥ 100 ms at the server: the last waited for four before it.
    expect(t.latencyMs.max).toBeGreaterThanOrEqual(5 * SERVER_MS - 5);
    expect(t.serviceTimeMs.min).toBeGreaterThanOrEqual(SERVER_MS - 1);
    // Each service time is one server time, not the queue behind it: the largest is far below the
    // largest latency (≈ 100 vs ≈ 500; with the wait counted in, they were equal).
    expect(t.serviceTimeMs.max).toBeLessThan(t.latencyMs.max / 2);
    expect(t.serviceTimeMs.mean).toBeLessThan(t.latencyMs.mean / 2);
  });
});
