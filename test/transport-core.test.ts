// The two wire codecs (lean HTTP/1.1, undici) on one exchange core: the same bytes on the wire, the
// target's query string kept and a fragment never sent, one response-head limit, and keep-alive that
// never invents errors (a stale reused connection retried once, counted; Keep-Alive hints honoured).
import { afterEach, describe, expect, it } from 'vitest';
import { LeanHttpClient } from '../src/engine/lean-http.js';
import { UndiciClient } from '../src/engine/undici-client.js';
import { MAX_CONNECTING } from '../src/engine/lean-pool.js';
import type { HttpClientOptions, HttpOutcome, HttpTransport } from '../src/engine/transport-types.js';
import type { RequestSpec } from '../src/types.js';
import { OK, rawHttpServer, type RawHttpServer } from './helpers/raw-http-server.js';

type Outcome = Pick<HttpOutcome, 'status' | 'body' | 'error' | 'errorDetail' | 'protocol'>;

function sendAll(client: HttpTransport, specs: RequestSpec[], readBody = true): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  return new Promise((resolve) => {
    const receiver = {
      onOutcome(o: HttpOutcome): void {
        outcomes.push({ status: o.status, body: o.body, error: o.error, errorDetail: o.errorDetail, protocol: o.protocol });
        if (outcomes.length === specs.length) resolve(outcomes);
      },
    };
    for (const spec of specs) client.send(spec, readBody, receiver, Date.now());
  });
}

/** One after the other (each sent when the previous settled). */
async function sendInTurn(client: HttpTransport, specs: RequestSpec[], gapMs = 0): Promise<Outcome[]> {
  const all: Outcome[] = [];
  for (const spec of specs) {
    all.push(...(await sendAll(client, [spec])));
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
  return all;
}

const clients: HttpTransport[] = [];
const servers: RawHttpServer[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) await s.close();
});

function make(kind: 'lean' | 'undici', target: string, options: Partial<HttpClientOptions> = {}): HttpTransport {
  const all = { connections: 1, timeoutMs: 3000, ...options };
  const client = kind === 'lean' ? new LeanHttpClient(target, all, Date.now) : new UndiciClient(target, all, Date.now);
  clients.push(client);
  return client;
}

async function server(answer: Parameters<typeof rawHttpServer>[0] = (socket) => socket.write(OK)): Promise<RawHttpServer> {
  const s = await rawHttpServer(answer);
  servers.push(s);
  return s;
}

describe('the bytes on the wire', () => {
  it('are identical from both clients for a path and headers with non-ASCII characters', async () => {
    const s = await server();
    const specs: RequestSpec[] = [
      { method: 'GET', path: '/café/ü ber?q=ä&x=1#frag', headers: { 'user-agent': 'bench/test', 'x-name': 'Zoë', accept: 'application/json' } },
      { method: 'POST', path: '/naïve', headers: { 'content-type': 'application/json', Host: 'example.test' }, body: '{"name":"café"}' },
      { method: 'PUT', path: '/empty', headers: { connection: 'close' } },
    ];
    const bytes: Record<string, string[]> = {};
    for (const kind of ['lean', 'undici'] as const) {
      const before = s.requests.length;
      const outcomes = await sendInTurn(make(kind, s.url), specs);
      expect(outcomes.map((o) => o.error)).toEqual([null, null, null]);
      bytes[kind] = s.requests.slice(before).map((r) => r.bytes.toString('latin1'));
    }
    expect(bytes.lean).toEqual(bytes.undici);
    // …and what they are: encoded as browsers do, no fragment, the Latin-1 value as one byte.
    expect(bytes.lean![0]).toBe(`GET /caf%C3%A9/%C3%BC%20ber?q=%C3%A4&x=1 HTTP/1.1\r\nhost: 127.0.0.1:${s.port}\r\nconnection: keep-alive\r\nuser-agent: bench/test\r\nx-name: Zo\xeb\r\naccept: application/json\r\n\r\n`);
    expect(bytes.lean![1]).toContain('POST /na%C3%AFve HTTP/1.1\r\nhost: example.test\r\n');
    expect(bytes.lean![2]).toBe(`PUT /empty HTTP/1.1\r\nhost: 127.0.0.1:${s.port}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  });

  it("keep the target URL's query string and never send a fragment (both clients)", async () => {
    const s = await server();
    for (const kind of ['lean', 'undici'] as const) {
      const before = s.requests.length;
      await sendInTurn(make(kind, `${s.url}/api?key=k1#top`), [
        { method: 'GET', path: '/users?page=2#section', headers: {} },
        { method: 'GET', path: '/plain', headers: {} },
      ]);
      expect(s.requests.slice(before).map((r) => r.head.split('\r\n')[0])).toEqual(['GET /api/users?page=2&key=k1 HTTP/1.1', 'GET /api/plain?key=k1 HTTP/1.1']);
    }
  });
});

describe('http.maxHeaderSize', () => {
  it('fails a response head over the limit as a protocol error in both clients, and passes it under a larger one', async () => {
    const big = 'x'.repeat(3000);
    const s = await server((socket) => socket.write(`HTTP/1.1 200 OK\r\nx-big: ${big}\r\ncontent-length: 2\r\n\r\nok`));
    for (const kind of ['lean', 'undici'] as const) {
      const [small] = await sendAll(make(kind, s.url, { maxHeaderSize: 1024 }), [{ method: 'GET', path: '/', headers: {} }]);
      expect(small!.error, kind).toBe('protocol');
      const [large] = await sendAll(make(kind, s.url, { maxHeaderSize: 8192 }), [{ method: 'GET', path: '/', headers: {} }]);
      expect(large!.error, kind).toBeNull();
      expect(large!.status).toBe(200);
    }
  });
});

describe('keep-alive that never invents errors (lean client)', () => {
  /** Every 2nd request on a connection is read, then the connection is closed without a response byte. */
  const staleEvery2nd = (socket: import('node:net').Socket, request: { onConnection: number }): void => {
    if (request.onConnection % 2 === 1) socket.destroy();
    else socket.write(OK);
  };

  it('retries an idempotent request once on a fresh connection when its reused one was closed, and counts it', async () => {
    const s = await server(staleEvery2nd);
    const client = make('lean', s.url);
    const outcomes = await sendInTurn(client, Array.from({ length: 10 }, () => ({ method: 'GET', path: '/', headers: {} })));
    expect(outcomes.every((o) => o.error === null && o.status === 200)).toBe(true);
    const unanswered = s.requests.length - 10; // the server's own count of requests it closed on
    expect(unanswered).toBeGreaterThan(0);
    expect(client.stats().retries).toBe(unanswered);
    expect(s.connections()).toBe(1 + unanswered);
  });

  it('does not retry a POST (not idempotent): the loss is reported', async () => {
    const s = await server(staleEvery2nd);
    const client = make('lean', s.url);
    const outcomes = await sendInTurn(client, Array.from({ length: 2 }, () => ({ method: 'POST', path: '/', headers: {}, body: 'x' })));
    expect(outcomes.map((o) => o.error)).toEqual([null, 'reset']);
    expect(client.stats().retries).toBe(0);
  });

  it('does not retry on a fresh connection (only a reused one can be stale): the loss is reported', async () => {
    const s = await server((socket) => socket.destroy());
    const client = make('lean', s.url);
    const [outcome] = await sendAll(client, [{ method: 'GET', path: '/', headers: {} }]);
    expect(outcome!.error).toBe('reset');
    expect(client.stats().retries).toBe(0);
    expect(s.requests.length).toBe(1);
  });

  it('retires a connection idle for longer than its Keep-Alive hint instead of reusing it', async () => {
    const s = await server((socket) => socket.write('HTTP/1.1 200 OK\r\nkeep-alive: timeout=1\r\ncontent-length: 2\r\n\r\nok'));
    const client = make('lean', s.url);
    // timeout=1 s: a connection idle for 0.5 s or more is not reused.
    await sendInTurn(client, [{ method: 'GET', path: '/', headers: {} }], 650);
    await sendInTurn(client, [{ method: 'GET', path: '/', headers: {} }]);
    await sendInTurn(client, [{ method: 'GET', path: '/', headers: {} }]);
    expect(s.requests.map((r) => r.onConnection)).toEqual([0, 0, 1]);
    expect(s.connections()).toBe(2);
    expect(client.stats().retries).toBe(0);
  });

  it(`opens connections progressively: at most ${MAX_CONNECTING} connects at once, every request served`, async () => {
    const s = await server();
    const client = make('lean', s.url, { connections: 150 }) as LeanHttpClient;
    const done = sendAll(client, Array.from({ length: 150 }, () => ({ method: 'GET', path: '/', headers: {} })));
    const pool = (client as unknown as { targetOrigin: { pool: { connecting: Set<unknown> } } }).targetOrigin.pool;
    expect(pool.connecting.size).toBe(MAX_CONNECTING);
    const outcomes = await done;
    expect(outcomes.filter((o) => o.status === 200).length).toBe(150);
    expect(s.requests.length).toBe(150);
    expect(s.connections()).toBeLessThanOrEqual(150);
  });
});

describe('http.pipelining (HTTP/1.1 benchmark mode, lean client)', () => {
  it('writes up to N idempotent requests back to back on one connection, answered in order', async () => {
    let maxOutstanding = 0;
    const s = await server((socket, request) => {
      // Answer only once 4 requests are in, unanswered: they must have been pipelined. Each body is the
      // index of the request it answers on this connection, so a response handed to the wrong request shows.
      const n = request.onConnection;
      maxOutstanding = Math.max(maxOutstanding, (n % 4) + 1);
      if (n % 4 === 3) socket.write([0, 1, 2, 3].map((i) => `HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n${n - 3 + i}`).join(''));
    });
    const client = make('lean', s.url, { connections: 1, pipelining: 4 });
    const outcomes = await sendAll(
      client,
      Array.from({ length: 8 }, (_, i) => ({ method: 'GET', path: `/${i}`, headers: {} })),
    );
    expect(outcomes.map((o) => o.error)).toEqual(Array(8).fill(null));
    // Each response went to the request it answered (in order), on one connection.
    expect(outcomes.map((o) => o.body)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(s.connections()).toBe(1);
    expect(maxOutstanding).toBe(4);
  });

  it('never pipelines a POST: it waits for an empty connection, and nothing goes behind it', async () => {
    const s = await server((socket) => setTimeout(() => socket.write(OK), 5));
    const client = make('lean', s.url, { connections: 1, pipelining: 4 });
    const specs: RequestSpec[] = [
      { method: 'GET', path: '/a', headers: {} },
      { method: 'POST', path: '/b', headers: {}, body: 'x' },
      { method: 'GET', path: '/c', headers: {} },
    ];
    const outcomes = await sendAll(client, specs);
    expect(outcomes.map((o) => o.error)).toEqual([null, null, null]);
    expect(s.requests.map((r) => r.head.split(' ')[1])).toEqual(['/a', '/b', '/c']);
  });

  it('pipelined requests lost with their connection are sent once more on a fresh one, counted', async () => {
    // The server answers the first request of each connection, then closes it: the pipelined ones behind it are lost.
    const s = await server((socket, request) => {
      if (request.onConnection === 0) socket.write(OK, () => socket.destroy());
    });
    const client = make('lean', s.url, { connections: 1, pipelining: 3 });
    const outcomes = await sendAll(client, Array.from({ length: 3 }, () => ({ method: 'GET', path: '/', headers: {} })));
    expect(outcomes.filter((o) => o.status === 200).length).toBeGreaterThanOrEqual(2);
    const answered = outcomes.filter((o) => o.error === null).length;
    expect(answered + outcomes.filter((o) => o.error !== null).length).toBe(3);
    expect(client.stats().retries).toBeGreaterThan(0);
    // Every connection the server accepted answered exactly one request.
    expect(s.connections()).toBe(answered);
  });
});
