// The lean HTTP/1.1 client on its own, against raw loopback servers that answer exactly what each case
// needs: framing (HEAD, 204, chunked, read-until-close, 1xx, many headers), the pool (reuse, FIFO
// queue, replacement), deadlines, stops, and requests it must refuse to write.
import net, { type AddressInfo, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { LeanHttpClient } from '../src/engine/lean-http.js';
import { MAX_KEPT_BODY_BYTES } from '../src/engine/transport-types.js';
import { serializeRequest } from '../src/engine/lean-request.js';
import { createTransport, transportFor } from '../src/engine/transport.js';
import { UndiciClient } from '../src/engine/undici-client.js';
import { parseRawHeaders, type HttpOutcome } from '../src/engine/transport-types.js';
import type { RequestSpec } from '../src/types.js';

interface RawServer {
  url: string;
  /** every request head received, in order */
  heads: string[];
  bodies: string[];
  connections(): number;
  maxOpen(): number;
  close(): Promise<void>;
}

/** A keep-alive server that hands each complete request (head + content-length body) to `answer`. */
async function rawServer(answer: (socket: Socket, head: string, index: number) => void): Promise<RawServer> {
  const heads: string[] = [];
  const bodies: string[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  let maxOpen = 0;
  const server = net.createServer((socket) => {
    accepted++;
    sockets.add(socket);
    maxOpen = Math.max(maxOpen, sockets.size);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        bodies.push(pending.subarray(end + 4, end + 4 + length).toString('utf8'));
        pending = pending.subarray(end + 4 + length);
        heads.push(head);
        answer(socket, head, heads.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    heads,
    bodies,
    connections: () => accepted,
    maxOpen: () => maxOpen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

/** Outcomes copied as they arrive (the client reuses nothing, but clears buffers after onOutcome). */
class Collector {
  readonly outcomes: Array<Omit<HttpOutcome, 'rawHeaders' | 'protocol' | 'encoding'> & { headers: Record<string, string | string[]> }> = [];
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  onOutcome(o: HttpOutcome): void {
    this.outcomes.push({ status: o.status, body: o.body, error: o.error, errorDetail: o.errorDetail, writtenMs: o.writtenMs, headers: parseRawHeaders(o.rawHeaders) });
    this.waiters = this.waiters.filter((w) => (this.outcomes.length >= w.count ? (w.resolve(), false) : true));
  }
  until(count: number): Promise<void> {
    if (this.outcomes.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

const get = (path: string, headers: Record<string, string> = {}): RequestSpec => ({ method: 'GET', path, headers });

let server: RawServer | undefined;
let client: LeanHttpClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

function lean(target: string, connections = 4, timeoutMs = 2000): LeanHttpClient {
  client = new LeanHttpClient(target, { connections, timeoutMs }, Date.now);
  return client;
}

async function sendAll(c: LeanHttpClient, specs: RequestSpec[], readBody = true): Promise<Collector['outcomes']> {
  const collector = new Collector();
  for (const spec of specs) c.send(spec, readBody, collector, Date.now());
  await collector.until(specs.length);
  return collector.outcomes;
}

describe('serializeRequest', () => {
  it("writes one request as undici does: line, host, connection, headers, byte length of a UTF-8 body", () => {
    const text = serializeRequest({ method: 'POST', path: '/x', headers: { accept: 'application/json' }, body: '{"name":"café"}' }, '/api/x', '127.0.0.1:8080');
    expect(text).toBe('POST /api/x HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nconnection: keep-alive\r\naccept: application/json\r\ncontent-length: 16\r\n\r\n{"name":"café"}');
  });

  it('keeps a step host header, states the length itself, and sends none for a GET without body', () => {
    const text = serializeRequest(get('/', { Host: 'example.test', 'Content-Length': '999', 'transfer-encoding': 'chunked' }), '/', '127.0.0.1');
    expect(text).toBe('GET / HTTP/1.1\r\nhost: example.test\r\nconnection: keep-alive\r\n\r\n');
    expect(serializeRequest({ method: 'PUT', path: '/', headers: {} }, '/', 'h')).toBe('PUT / HTTP/1.1\r\nhost: h\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n');
  });

  it('refuses a line break in a header value, and percent-encodes one in a path (neither can smuggle a second request)', () => {
    expect(() => serializeRequest(get('/', { 'x-a': 'b\r\nGET /evil HTTP/1.1' }), '/', 'h')).toThrow(/invalid header "x-a"/);
    expect(serializeRequest(get('/a b'), '/a b\r\nGET /evil', 'h')).toBe('GET /a%20b%0D%0AGET%20/evil HTTP/1.1\r\nhost: h\r\nconnection: keep-alive\r\n\r\n');
    expect(() => serializeRequest({ method: 'GE T', path: '/', headers: {} }, '/', 'h')).toThrow(/invalid request method/);
  });
});

describe('LeanHttpClient framing', () => {
  it('reuses one keep-alive connection for sequential requests and keeps the body only when asked', async () => {
    server = await rawServer((s) => s.write(OK));
    const c = lean(server.url);
    for (let i = 0; i < 5; i++) {
      const [o] = await sendAll(c, [get(`/n${i}`)], i % 2 === 0);
      expect(o).toMatchObject({ status: 200, error: null, body: i % 2 === 0 ? 'ok' : null });
    }
    expect(server.connections()).toBe(1);
    expect(server.heads[3]).toBe(`GET /n3 HTTP/1.1\r\nhost: ${server.url.slice(7)}\r\nconnection: keep-alive`);
  });

  it('HEAD: a content-length without a body does not swallow the next response', async () => {
    server = await rawServer((s, head) => s.write(head.startsWith('HEAD') ? 'HTTP/1.1 200 OK\r\ncontent-length: 50\r\n\r\n' : OK));
    const c = lean(server.url, 1);
    const outcomes = await sendAll(c, [{ method: 'HEAD', path: '/', headers: {} }, get('/'), { method: 'HEAD', path: '/', headers: {} }, get('/')]);
    expect(outcomes.map((o) => [o.status, o.body, o.error])).toEqual([[200, '', null], [200, 'ok', null], [200, '', null], [200, 'ok', null]]);
    expect(outcomes[0]!.headers['content-length']).toBe('50');
    expect(server.connections()).toBe(1);
  });

  it('204 and 304 have no body; chunked bodies are joined', async () => {
    const answers = ['HTTP/1.1 204 No Content\r\n\r\n', 'HTTP/1.1 304 Not Modified\r\ncontent-length: 10\r\n\r\n', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n'];
    server = await rawServer((s, _h, i) => s.write(answers[i]!));
    const c = lean(server.url, 1);
    const outcomes = await sendAll(c, [get('/'), get('/'), get('/')]);
    expect(outcomes.map((o) => [o.status, o.body, o.error])).toEqual([[204, '', null], [304, '', null], [200, 'abcdefg', null]]);
  });

  it('a body read until the connection closes is complete, and the next request gets a new connection', async () => {
    server = await rawServer((s) => s.end('HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nuntil the end'));
    const c = lean(server.url, 1);
    expect((await sendAll(c, [get('/')]))[0]).toMatchObject({ status: 200, body: 'until the end', error: null });
    expect((await sendAll(c, [get('/')]))[0]).toMatchObject({ status: 200, body: 'until the end', error: null });
    expect(server.connections()).toBe(2);
  });

  it('skips 1xx interim responses and keeps more than 32 header pairs', async () => {
    const many = Array.from({ length: 40 }, (_, i) => `x-h${i}: v${i}\r\n`).join('');
    server = await rawServer((s) => s.write(`HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\n${many}content-length: 4\r\n\r\ndone`));
    const c = lean(server.url);
    const [o] = await sendAll(c, [get('/')]);
    expect(o).toMatchObject({ status: 201, body: 'done', error: null });
    expect(Object.keys(o!.headers)).toHaveLength(41);
    expect(o!.headers['x-h39']).toBe('v39');
  });

  it('a kept body beyond the cap is consumed but not kept (null: the step checks fail), not an error', async () => {
    const size = MAX_KEPT_BODY_BYTES + 1024;
    server = await rawServer((s) => {
      s.write(`HTTP/1.1 200 OK\r\ncontent-length: ${size}\r\n\r\n`);
      s.write(Buffer.alloc(size, 'x'));
    });
    const c = lean(server.url, 1, 10_000);
    const outcomes = await sendAll(c, [get('/big'), get('/small')]);
    expect(outcomes[0]).toMatchObject({ status: 200, body: null, error: null });
    expect(outcomes[1]).toMatchObject({ status: 200, body: null, error: null });
    expect(server.connections()).toBe(1); // the whole body was read: the connection stayed in step
  });

  it('bytes after a complete response: the response counts, the out-of-step connection is replaced', async () => {
    server = await rawServer((s, _h, i) => s.write(i === 0 ? `${OK}HTTP/1.1 500 Stray\r\ncontent-length: 0\r\n\r\n` : OK));
    const c = lean(server.url, 1);
    expect((await sendAll(c, [get('/')]))[0]).toMatchObject({ status: 200, body: 'ok', error: null });
    expect((await sendAll(c, [get('/')]))[0]).toMatchObject({ status: 200, body: 'ok', error: null });
    expect(server.connections()).toBe(2);
  });
});

describe('LeanHttpClient pool, deadlines and stops', () => {
  it('never opens more than `connections`; waiting requests are served first-in first-out', async () => {
    server = await rawServer((s) => setTimeout(() => !s.destroyed && s.write(OK), 20));
    const c = lean(server.url, 2);
    const outcomes = await sendAll(c, Array.from({ length: 8 }, (_, i) => get(`/r${i}`)));
    expect(outcomes.every((o) => o.status === 200 && o.error === null)).toBe(true);
    expect(server.maxOpen()).toBe(2);
    expect(server.connections()).toBe(2);
    // The first two went out at once; the queued six follow in send order.
    expect(server.heads.slice(2).map((h) => h.split(' ')[1])).toEqual(['/r2', '/r3', '/r4', '/r5', '/r6', '/r7']);
  });

  it('a request that dies with its connection fails once; the waiting ones go out on a replacement', async () => {
    server = await rawServer((s, h) => (h.includes('/die') ? s.resetAndDestroy() : setTimeout(() => !s.destroyed && s.write(OK), 10)));
    const c = lean(server.url, 1);
    const outcomes = await sendAll(c, [get('/die'), get('/a'), get('/b')]);
    expect(outcomes.map((o) => o.error)).toEqual(['reset', null, null]);
    expect(server.heads.filter((h) => h.includes('/die'))).toHaveLength(1); // never re-sent
    expect(server.connections()).toBe(2);
  });

  it('the deadline fails the request on the wire and those still waiting, then the pool serves again', async () => {
    // /queued is answered late too: it may reach the wire on the replacement between two sweeps.
    server = await rawServer((s, h) => (h.includes('/hang') ? undefined : setTimeout(() => !s.destroyed && s.write(OK), h.includes('/queued') ? 400 : 0)));
    const c = lean(server.url, 1, 150);
    const outcomes = await sendAll(c, [get('/hang'), get('/queued')]);
    expect(outcomes.map((o) => o.error)).toEqual(['timeout', 'timeout']);
    expect(outcomes[0]!.errorDetail).toBe('no complete response within 150 ms');
    expect((await sendAll(c, [get('/after')]))[0]).toMatchObject({ status: 200, error: null });
    expect(c.inFlight).toBe(0);
  });

  it("a connect that does not complete is 'connect' (the lean client's connect timeout), not 'timeout'", async () => {
    // A listener that never accepts (a child whose event loop sleeps once it listens), its accept queue
    // filled: the kernel drops further SYNs, so a connect neither completes nor is refused — as with a
    // host that has gone silent.
    const child = "const s=require('net').createServer().listen({port:0,host:'127.0.0.1',backlog:1},()=>{console.log(s.address().port);Atomics.wait(new Int32Array(new SharedArrayBuffer(4)),0,0,20000)})";
    const listener = spawn(process.execPath, ['-e', child], { stdio: ['ignore', 'pipe', 'inherit'] });
    const fillers: Socket[] = [];
    try {
      const port = await new Promise<number>((resolve, reject) => {
        listener.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        listener.once('error', reject);
      });
      // fill the accept queue (backlog 1 holds two) with connections that complete
      for (let i = 0; i < 3; i++) {
        const s = net.connect({ host: '127.0.0.1', port });
        s.on('error', () => undefined);
        fillers.push(s);
        await new Promise<void>((resolve) => { s.once('connect', () => resolve()); setTimeout(resolve, 200); });
      }
      const c = lean(`http://127.0.0.1:${port}`, 1, 300);
      const [outcome] = await sendAll(c, [get('/')]);
      expect(outcome!.error).toBe('connect');
      expect(outcome!.errorDetail).toMatch(/connect timed out after 300 ms/);
    } finally {
      for (const s of fillers) s.destroy();
      listener.kill();
    }
  });

  it('abortAll settles everything in flight as interrupted and sends nothing that was waiting', async () => {
    server = await rawServer(() => undefined);
    const c = lean(server.url, 2);
    const collector = new Collector();
    for (let i = 0; i < 3; i++) c.send(get('/'), false, collector, Date.now());
    await new Promise((r) => setTimeout(r, 50));
    c.abortAll();
    await collector.until(3);
    expect(collector.outcomes.map((o) => o.error)).toEqual(['interrupted', 'interrupted', 'interrupted']);
    // The third was waiting for a connection: a stop must not put it on the wire.
    await new Promise((r) => setTimeout(r, 50));
    expect(server.heads).toHaveLength(2);
    await c.close();
    expect(c.inFlight).toBe(0);
  });

  it('a request it cannot write safely fails as protocol without touching the network', async () => {
    server = await rawServer((s) => s.write(OK));
    const c = lean(server.url);
    const [o] = await sendAll(c, [get('/', { 'x-bad': 'a\r\nb' })]);
    expect(o).toMatchObject({ error: 'protocol', status: 0 });
    expect(o!.errorDetail).toMatch(/invalid header "x-bad"/);
    expect(server.connections()).toBe(0);
  });
});

describe('createTransport', () => {
  it('lean for http:, undici for https: (TLS)', () => {
    expect(transportFor('http://127.0.0.1:1')).toBe('lean');
    expect(transportFor('https://127.0.0.1:1')).toBe('undici');
    const options = { connections: 1, timeoutMs: 1000 };
    expect(createTransport('http://127.0.0.1:1', options, Date.now)).toBeInstanceOf(LeanHttpClient);
    expect(createTransport('https://127.0.0.1:1', options, Date.now)).toBeInstanceOf(UndiciClient);
    expect(createTransport('http://127.0.0.1:1', options, Date.now, 'undici')).toBeInstanceOf(UndiciClient);
  });
});
