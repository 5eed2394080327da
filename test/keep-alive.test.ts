// Acceptance (issue 15): against a server that closes idle keep-alive connections exactly at the
// request interval, a run shows zero errors — the requests that met a connection the server had just
// closed were retried once on a fresh one, and counted. Checked against the server's own counts.
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { open, simplePlan } from './helpers/plan.js';
import { OK, rawHttpServer, type RawHttpServer } from './helpers/raw-http-server.js';

const INTERVAL_MS = 50;

let server: RawHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers, then closes the connection once it has been idle for exactly `idleMs` (no Keep-Alive hint). */
async function idleClosingServer(idleMs: number): Promise<{ server: RawHttpServer; answered: () => number }> {
  let answered = 0;
  const timers = new WeakMap<Socket, NodeJS.Timeout>();
  const s = await rawHttpServer((socket) => {
    clearTimeout(timers.get(socket));
    socket.write(OK);
    answered++;
    timers.set(
      socket,
      setTimeout(() => socket.destroy(), idleMs),
    );
  });
  return { server: s, answered: () => answered };
}

describe('keep-alive against a server that closes idle connections at the request interval', () => {
  it('60 requests, zero errors; retries counted and matched by the fresh connections the server accepted', async () => {
    const idle = await idleClosingServer(INTERVAL_MS);
    server = idle.server;
    // 20/s for 3 s: one arrival every 50 ms, on one connection, which the server closes after 50 ms idle.
    const plan = simplePlan(server.url, [open(20, 3000)], {
      http: { timeoutMs: 2000, maxInFlight: 100, graphqlPath: '/graphql', connections: 1 },
    });
    const engine = new Engine(plan);
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals.requests).toBe(60);
    expect(s.totals.errors).toBe(0);
    expect(idle.answered()).toBe(60);
    const retries = run.http!.retries;
    // Each retry went out on a connection of its own; every other connection replaced one the server
    // closed while idle. So the server accepted at least one connection per retry, plus the first.
    expect(server.connections()).toBeGreaterThanOrEqual(retries + 1);
    expect(server.connections()).toBeLessThanOrEqual(60 + retries);
    expect(run.http!.protocols[0]).toBe('h1');
  });
});
