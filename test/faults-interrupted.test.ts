// Requests in flight when a stop cuts the run (Ctrl-C, SIGTERM, abortOnFail) are recorded as
// 'interrupted', not discarded: counted against the server's own count of requests it received and
// never answered.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, type StopReason } from '../src/engine/engine.js';
import type { TransportName } from '../src/engine/transport.js';
import { decodeHistogram } from '../src/metrics/histogram.js';
import { closed, open, simplePlan } from './helpers/plan.js';

/** Answers at once for the first `answerForMs`, then holds every request (never answers). */
async function startHoldingServer(answerForMs: number): Promise<{ url: string; received: () => number; held: () => number; close: () => Promise<void> }> {
  const started = Date.now();
  let received = 0;
  let held = 0;
  const server = http.createServer((_req, res) => {
    received++;
    if (Date.now() - started < answerForMs) res.end('ok');
    else held++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    held: () => held,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let server: Awaited<ReturnType<typeof startHoldingServer>> | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each<[TransportName, StopReason]>([
  ['lean', 'interrupted'],
  ['undici', 'interrupted'],
  ['lean', 'slo-abort'],
  ['undici', 'slo-abort'],
])('requests cut by a stop (%s client, %s)', (transport, reason) => {
  it('are recorded as interrupted, as many as the server received and never answered', async () => {
    server = await startHoldingServer(300);
    const plan = simplePlan(server.url, [open(50, 5000)], { http: { timeoutMs: 10_000, maxInFlight: 10_000, graphqlPath: '/graphql' } });
    const engine = new Engine(plan, { transport, stopGraceMs: 100 });
    setTimeout(() => engine.stop(reason), 700);
    const run = await engine.run();
    const totals = engine.aggregator.summarize(run.durationMs).totals;
    expect(run.stopReason).toBe(reason);
    expect(server.held()).toBeGreaterThan(5);
    expect(totals.requests).toBe(server.received());
    expect(totals.errorKinds).toEqual({ interrupted: server.held() });
    expect(totals.statusCodes['200']).toBe(server.received() - server.held());
    // Their latency is kept as a lower bound (the time until the cut): at least the grace of 100 ms.
    const h = decodeHistogram(totals.histogram);
    expect(h.totalCount).toBe(server.received());
    h.destroy();
    expect(totals.latencyMs.max).toBeGreaterThanOrEqual(100);
  });
});

describe.each<TransportName>(['lean', 'undici'])('requests still waiting in the pool at a stop (%s client)', (transport) => {
  it('are recorded too: 5 users on 1 connection against a server that never answers → 5 interrupted', async () => {
    server = await startHoldingServer(0);
    const plan = simplePlan(server.url, [closed(5, 5000)], { http: { timeoutMs: 10_000, maxInFlight: 10_000, graphqlPath: '/graphql', connections: 1 } });
    const engine = new Engine(plan, { transport, stopGraceMs: 100 });
    setTimeout(() => engine.stop('interrupted'), 300);
    const run = await engine.run();
    const totals = engine.aggregator.summarize(run.durationMs).totals;
    // One request on the wire (the server saw it), four waiting for the connection: each user has exactly one.
    expect(server.received()).toBe(1);
    expect(totals.requests).toBe(5);
    expect(totals.errorKinds).toEqual({ interrupted: 5 });
  });
});
