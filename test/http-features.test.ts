// Acceptance (issue 15) for what a real client does, each against a loopback server that counts on its
// own: a cookie-session login flow, a gzip (br, deflate) JSON API with JSONPath checks, redirects
// followed and counted (a loop is an error), TLS options from files next to the scenario.
import { readFileSync, mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine, type EngineResult } from '../src/engine/engine.js';
import { parseScenario } from '../src/scenario/load.js';
import { buildResult } from '../src/result/build.js';
import type { Summary } from '../src/metrics/aggregator.js';
import { CookieJar } from '../src/engine/cookies.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serve(handler: Handler, tls?: https.ServerOptions): Promise<string> {
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => handler(req, res, body));
  };
  const server = tls ? https.createServer(tls, listener) : http.createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function run(yaml: string, file = '/tmp/scenario.yml'): Promise<{ engine: Engine; result: EngineResult; summary: Summary }> {
  const plan = await parseScenario(yaml, file, { env: {} });
  const engine = new Engine(plan);
  const result = await engine.run();
  return { engine, result, summary: engine.aggregator.summarize(result.durationMs) };
}

const endpoint = (summary: Summary, name: string) => summary.endpoints.find((e) => e.name === name)!;

describe('cookies', () => {
  /** Login sets a session cookie; /me answers 401 without a session the server issued. */
  function sessionServer(): { handler: Handler; counts: { logins: number; authorised: number; refused: number }; sessions: Set<string> } {
    const sessions = new Set<string>();
    const counts = { logins: 0, authorised: 0, refused: 0 };
    const handler: Handler = (req, res) => {
      if (req.url === '/login' && req.method === 'POST') {
        const sid = `s${Math.random().toString(36).slice(2)}${counts.logins++}`;
        sessions.add(sid);
        res.setHeader('set-cookie', [`sid=${sid}; Path=/; HttpOnly; SameSite=Lax`, 'admin=1; Path=/admin']);
        return res.end('{"ok":true}');
      }
      const cookie = req.headers.cookie ?? '';
      const sid = /(?:^|; )sid=([^;]+)/.exec(cookie)?.[1];
      // A Path=/admin cookie must not come back to /me.
      if (sid !== undefined && sessions.has(sid) && !cookie.includes('admin=') && (req.headers['x-sid'] === undefined || req.headers['x-sid'] === sid)) {
        counts.authorised++;
        return res.end('{"me":"user"}');
      }
      counts.refused++;
      res.statusCode = 401;
      res.end('no session');
    };
    return { handler, counts, sessions };
  }

  const flow = (target: string, cookies: string, steps: string): string => `
name: login
target: ${target}
http: { cookies: ${cookies}, timeout: 2s }
load:
  - { duration: 600ms, vus: 2 }
flows:
  - name: session
    steps:
${steps}
`;

  it('a login flow whose session lives in a cookie runs against a server that rejects requests without it', async () => {
    const s = sessionServer();
    const url = await serve(s.handler);
    const steps = `      - { name: login, post: /login, json: { user: u }, capture: { sid: { cookie: sid } } }
      - { name: me, get: /me, headers: { x-sid: "{{ sid }}" }, expect: { status: 200 } }`;
    const { summary, result, engine } = await run(flow(url, 'on', steps));
    const me = endpoint(summary, 'me');
    expect(me.requests).toBeGreaterThan(0);
    expect(summary.totals.errors).toBe(0);
    // The server's own counts: every /me it saw came with a session it had issued.
    expect(s.counts.refused).toBe(0);
    expect(s.counts.authorised).toBe(me.requests);
    expect(s.counts.logins).toBe(endpoint(summary, 'login').requests);
    // No cookie value reaches result.json.
    const json = JSON.stringify(buildResult(engine.plan, summary, { startedAt: result.startedAt, durationMs: result.durationMs, http: result.http }));
    for (const sid of s.sessions) expect(json).not.toContain(sid);
  });

  it('http.cookies: off sends none: the same flow is refused', async () => {
    const s = sessionServer();
    const url = await serve(s.handler);
    const { summary } = await run(flow(url, 'off', `      - { name: login, post: /login }\n      - { name: me, get: /me, expect: { status: 200 } }`));
    expect(endpoint(summary, 'me').errors).toBe(endpoint(summary, 'me').requests);
    expect(s.counts.authorised).toBe(0);
    expect(s.counts.refused).toBe(endpoint(summary, 'me').requests);
  });

  it('the jar is emptied at each new iteration (k6), and kept across them with http.cookies: keep', async () => {
    const steps = `      - { name: first, get: /me, expect: { status: [200, 401] } }\n      - { name: login, post: /login }`;
    const on = sessionServer();
    const onRun = await run(flow(await serve(on.handler), 'on', steps));
    // Every iteration's first request comes without a cookie.
    expect(on.counts.authorised).toBe(0);
    expect(on.counts.refused).toBe(endpoint(onRun.summary, 'first').requests);
    const keep = sessionServer();
    const keepRun = await run(flow(await serve(keep.handler), 'keep', steps));
    const firsts = endpoint(keepRun.summary, 'first').requests;
    // Only each user's very first request (2 users) has no session yet.
    expect(keep.counts.refused).toBe(2);
    expect(keep.counts.authorised).toBe(firsts - 2);
  });

  it('honours Domain, Path, Max-Age and Secure (loopback counts as a secure context, as in browsers)', () => {
    const jar = new CookieJar();
    jar.store('http://app.example.test/login', ['a=1; Path=/', 'b=2; Path=/api', 'c=3; Domain=other.test', 'd=0; Secure', 'e=5; Max-Age=0', 'f=6; Domain=example.test']);
    // A Secure cookie is not taken from an insecure origin; from https it is, and goes back only there.
    jar.store('https://app.example.test/login', ['d=4; Secure']);
    expect(jar.header('http://app.example.test/')).toBe('a=1; f=6');
    expect(jar.header('http://app.example.test/api/x')).toBe('b=2; a=1; f=6');
    expect(jar.header('https://app.example.test/')).toBe('a=1; f=6; d=4');
    expect(jar.header('http://www.example.test/')).toBe('f=6');
    jar.store('http://127.0.0.1:3000/', ['s=1; Secure']);
    expect(jar.header('http://127.0.0.1:3000/')).toBe('s=1');
  });
});

describe('compression', () => {
  const items = JSON.stringify({ items: [{ name: 'a', price: 3 }], total: 1 });
  function compressingServer(encodingFor: (accept: string) => string | null): { handler: Handler; counts: { encoded: number; plain: number } } {
    const counts = { encoded: 0, plain: 0 };
    const handler: Handler = (req, res) => {
      const encoding = encodingFor(String(req.headers['accept-encoding'] ?? ''));
      res.setHeader('content-type', 'application/json');
      if (encoding === null) {
        counts.plain++;
        return res.end(items);
      }
      counts.encoded++;
      res.setHeader('content-encoding', encoding);
      res.end(encoding === 'gzip' ? gzipSync(items) : encoding === 'br' ? brotliCompressSync(items) : deflateSync(items));
    };
    return { handler, counts };
  }
  const scenario = (target: string, http: string): string => `
name: gzip
target: ${target}
http: { timeout: 2s${http} }
load:
  - { duration: 500ms, rate: 20/s }
flows:
  - name: api
    steps:
      - { name: list, get: /items, expect: { json: { "$.items[0].name": a, "$.total": 1 } } }
`;

  for (const encoding of ['gzip', 'br', 'deflate']) {
    it(`a ${encoding} JSON API passes its JSONPath checks (accept-encoding sent for a step that reads the body)`, async () => {
      const s = compressingServer((accept) => (accept.split(/,\s*/).includes(encoding) ? encoding : null));
      const { summary } = await run(scenario(await serve(s.handler), ''));
      expect(summary.totals.requests).toBe(10);
      expect(summary.totals.errors).toBe(0);
      expect(s.counts).toEqual({ encoded: 10, plain: 0 });
    });
  }

  it('with http.compression: false none is asked for; a body encoded anyway fails its check and says so', async () => {
    const asked: string[] = [];
    const s = compressingServer((accept) => (asked.push(accept), 'gzip'));
    const { summary, result } = await run(scenario(await serve(s.handler), ', compression: false'));
    expect(asked.every((a) => a === '')).toBe(true);
    expect(summary.totals.errorKinds).toEqual({ check: 10 });
    expect(result.errorDetails.check).toMatch(/gzip-encoded body that was not decoded \(http\.compression: false\)/);
  });
});

describe('redirects', () => {
  function redirectServer(): { handler: Handler; hits: Map<string, number> } {
    const hits = new Map<string, number>();
    const handler: Handler = (req, res, body) => {
      hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
      const go = (status: number, to: string): void => {
        res.statusCode = status;
        res.setHeader('location', to);
        res.end();
      };
      if (req.url === '/old') return go(301, '/middle');
      if (req.url === '/middle') return go(302, `/new?from=middle`);
      if (req.url === '/loop-a') return go(302, '/loop-b');
      if (req.url === '/loop-b') return go(302, '/loop-a');
      if (req.url === '/form') return go(303, '/done');
      res.end(JSON.stringify({ method: req.method, url: req.url, body }));
    };
    return { handler, hits };
  }
  const scenario = (target: string, redirects: number | null, step: string): string => `
name: redirects
target: ${target}
http: { timeout: 2s${redirects === null ? '' : `, redirects: ${redirects}`} }
load:
  - { duration: 500ms, rate: 20/s }
flows:
  - name: r
    steps:
      - ${step}
`;

  it('http.redirects: N follows them: hops are part of the step, counted per endpoint (checked against the server)', async () => {
    const s = redirectServer();
    const { summary, result } = await run(scenario(await serve(s.handler), 3, '{ name: moved, get: /old, expect: { status: 200, json: { "$.url": "/new?from=middle" } } }'));
    expect(summary.totals.requests).toBe(10);
    expect(summary.totals.errors).toBe(0);
    expect([s.hits.get('/old'), s.hits.get('/middle'), s.hits.get('/new?from=middle')]).toEqual([10, 10, 10]);
    expect(result.http!.redirects[0]).toBe(20);
  });

  it('a 303 after a POST becomes a GET without the body', async () => {
    const s = redirectServer();
    const { summary } = await run(scenario(await serve(s.handler), 1, '{ name: form, post: /form, json: { a: 1 }, expect: { json: { "$.method": GET, "$.body": "" } } }'));
    expect(summary.totals.errors).toBe(0);
    expect(s.hits.get('/done')).toBe(10);
  });

  it('by default (0) a redirect is the response', async () => {
    const s = redirectServer();
    const { summary, result } = await run(scenario(await serve(s.handler), null, '{ name: moved, get: /old }'));
    expect(summary.totals.statusCodes).toEqual({ '301': 10 });
    expect(s.hits.get('/middle')).toBeUndefined();
    expect(result.http!.redirects[0]).toBe(0);
  });

  it('a redirect loop is an error of its own kind, and the request is not repeated forever', async () => {
    const s = redirectServer();
    const { summary, result } = await run(scenario(await serve(s.handler), 10, '{ name: loop, get: /loop-a }'));
    expect(summary.totals.errorKinds).toEqual({ redirect: 10 });
    expect([s.hits.get('/loop-a'), s.hits.get('/loop-b')]).toEqual([10, 10]);
    expect(result.errorDetails.redirect).toMatch(/redirect loop/);
  });
});

describe('http.tls', () => {
  const fixture = (name: string): string => new URL(`./fixtures/tls/${name}`, import.meta.url).pathname;

  it('trusts a CA from a file next to the scenario and presents a client certificate', async () => {
    let clientCerts = 0;
    const url = await serve(
      (req, res) => {
        if ((req.socket as import('node:tls').TLSSocket).authorized) clientCerts++;
        res.end('ok');
      },
      { key: readFileSync(fixture('localhost.key')), cert: readFileSync(fixture('localhost.crt')), ca: readFileSync(fixture('localhost.crt')), requestCert: true, rejectUnauthorized: true },
    );
    const dir = mkdtempSync(join(tmpdir(), 'bench-tls-'));
    try {
      for (const name of ['localhost.crt', 'localhost.key']) copyFileSync(fixture(name), join(dir, name));
      const file = join(dir, 'tls.yml');
      const yaml = `
name: tls
target: ${url}
http: { timeout: 2s, tls: { ca: localhost.crt, cert: localhost.crt, key: localhost.key, servername: localhost } }
load:
  - { duration: 250ms, rate: 20/s }
flows:
  - name: t
    steps:
      - get: /
`;
      writeFileSync(file, yaml);
      const { summary } = await run(yaml, file);
      expect(summary.totals).toMatchObject({ requests: 5, errors: 0 });
      expect(clientCerts).toBe(5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('reports say which protocol, retries and redirects', () => {
  it('a note in every human report, from result.json http', async () => {
    const { runNotes } = await import('../src/report/run-notes.js');
    const base = { totals: { errorKinds: {}, dropped: 0 }, model: 'open' } as unknown as import('../src/types.js').RunResult;
    const notes = runNotes({ ...base, http: { client: 'lean', retries: 3, endpoints: { login: { protocol: 'h1', redirects: 0 }, api: { protocol: 'h2', redirects: 12 } } } });
    expect(notes).toContain('Protocol: HTTP/1.1 for login; HTTP/2 for api.');
    expect(notes.some((n) => n.startsWith('3 requests were sent once more on a fresh connection'))).toBe(true);
    expect(notes).toContain("Redirects followed (part of each step's latency): api 12.");
    expect(runNotes({ ...base, http: { client: 'lean', retries: 0, endpoints: { a: { protocol: 'h1', redirects: 0 } } } })).toEqual(['Protocol: HTTP/1.1 for every endpoint.']);
  });
});
