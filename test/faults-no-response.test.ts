// A request that got no response has no latency: it is counted (requests, errors, its kind) but stays
// out of the latency and service-time histograms, so a dead target cannot pass a latency SLO. A status
// error is a real response and keeps its latency; a timeout is recorded at the timeout (a lower bound).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import type { TransportName } from '../src/engine/transport.js';
import { decodeHistogram } from '../src/metrics/histogram.js';
import type { Stats, Vars } from '../src/types.js';
import { refusedPort, startFaultServer, type FaultServer } from './helpers/fault-server.js';
import { getStep, open, simplePlan } from './helpers/plan.js';

const count = (encoded: string): number => {
  const h = decodeHistogram(encoded);
  const n = h.totalCount;
  h.destroy();
  return n;
};

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(async () => {
  await server.close();
});

async function run(target: string, path: string, transport: TransportName, timeoutMs = 2000): Promise<Stats> {
  const plan = simplePlan(target, [open(20, 500)], {
    http: { timeoutMs, maxInFlight: 1000, graphqlPath: '/graphql' },
    flows: [{ name: 'f', weight: 1, steps: [getStep(0, path)] }],
    iterationVars: (_seq: number, shared: Vars) => Object.create(shared) as Vars,
  });
  const engine = new Engine(plan, { transport });
  const result = await engine.run();
  return engine.aggregator.summarize(result.durationMs).totals;
}

// open(20, 500): the schedule makes exactly 10 arrivals, each one connection attempt.
const ARRIVALS = 10;

describe.each<TransportName>(['lean', 'undici'])('requests without a response (%s client)', (transport) => {
  it('a refused port: every attempt counted as a connect error, none in the latency or service histograms', async () => {
    const port = await refusedPort();
    const totals = await run(`http://127.0.0.1:${port}`, '/', transport);
    expect(totals.requests).toBe(ARRIVALS);
    expect(totals.errors).toBe(ARRIVALS);
    expect(totals.errorKinds).toEqual({ connect: ARRIVALS });
    expect(count(totals.histogram)).toBe(0);
    expect(count(totals.serviceHistogram)).toBe(0);
    expect(totals.latencyMs.max).toBe(0);
  });

  it('a reset before any response byte: counted as reset (as many as the server saw), no latency', async () => {
    const before = server.hits('reset');
    const totals = await run(server.url, '/reset', transport);
    expect(server.hits('reset') - before).toBe(ARRIVALS);
    expect(totals.requests).toBe(ARRIVALS);
    expect(totals.errorKinds).toEqual({ reset: ARRIVALS });
    expect(count(totals.histogram)).toBe(0);
    expect(count(totals.serviceHistogram)).toBe(0);
  });

  it('a status error is a real response and keeps its latency', async () => {
    const before = server.hits('status-503');
    const totals = await run(server.url, '/status-503', transport);
    expect(server.hits('status-503') - before).toBe(ARRIVALS);
    expect(totals.errorKinds).toEqual({ status: ARRIVALS });
    expect(count(totals.histogram)).toBe(ARRIVALS);
    expect(count(totals.serviceHistogram)).toBe(ARRIVALS);
  });

  it('a timeout is recorded at the timeout, a lower bound', async () => {
    const totals = await run(server.url, '/hang', transport, 200);
    expect(totals.errorKinds).toEqual({ timeout: ARRIVALS });
    expect(count(totals.histogram)).toBe(ARRIVALS);
    expect(totals.latencyMs.min).toBeGreaterThanOrEqual(199);
  });
});
