// Loopback servers of KNOWN capacity for the capacity search's tests (127.0.0.1, port 0, closed by the test).
// Each counts what it did itself, so a test checks bench's figures against the server's own counts.
import type http from 'node:http';
import { startServer, type TestServer } from './servers.js';

export interface RateLimitedServer extends TestServer {
  /** answered 200 / refused with 503 */
  admitted(): number;
  refused(): number;
}

/**
 * Admits at most `perSecond` requests per second (a token bucket holding `burstMs` worth of tokens,
 * so timer jitter is not mistaken for overload) and answers 503 beyond: error_rate breaks just above it.
 */
export async function startRateLimitedServer(perSecond: number, burstMs = 50): Promise<RateLimitedServer> {
  const burst = Math.max(1, (perSecond * burstMs) / 1000);
  let tokens = burst;
  let last = performance.now();
  let admitted = 0;
  let refused = 0;
  const server = await startServer((_req, res) => {
    const now = performance.now();
    tokens = Math.min(burst, tokens + ((now - last) * perSecond) / 1000);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      admitted++;
      res.end('ok');
    } else {
      refused++;
      res.statusCode = 503;
      res.end('busy');
    }
  });
  return { ...server, admitted: () => admitted, refused: () => refused };
}

export interface SlotServer extends TestServer {
  /** requests served (each held a slot for serviceMs) */
  served(): number;
  /** most requests waiting for a slot at once */
  maxQueued(): number;
}

/**
 * `slots` requests at a time, each holding its slot for `serviceMs`; the rest wait in a FIFO queue
 * (a request whose client gave up leaves it). Capacity: slots × 1000 / serviceMs per second.
 */
export async function startSlotServer(slots: number, serviceMs: number): Promise<SlotServer> {
  let busy = 0;
  let served = 0;
  let maxQueued = 0;
  const queue: http.ServerResponse[] = [];
  const serve = (res: http.ServerResponse): void => {
    busy++;
    setTimeout(() => {
      busy--;
      served++;
      if (!res.destroyed) res.end('ok');
      const next = queue.shift();
      if (next) serve(next);
    }, serviceMs);
  };
  const server = await startServer((_req, res) => {
    if (busy < slots) return serve(res);
    queue.push(res);
    maxQueued = Math.max(maxQueued, queue.length);
    res.on('close', () => {
      const i = queue.indexOf(res);
      if (i >= 0) queue.splice(i, 1);
    });
  });
  return { ...server, served: () => served, maxQueued: () => maxQueued };
}
