// A request undici would refuse (a path with a space or a non-Latin-1 character, a bad header name or
// value) must not wedge a pool: each one is validated once, before dispatch, the same way for both
// clients. Paths are percent-encoded as browsers do; bad headers are a per-request protocol error.
// Every journey is accounted for, over https and http, checked against the server's own count.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import type { TransportName } from '../src/engine/transport.js';
import type { RequestStep, Stats } from '../src/types.js';
import { open, simplePlan } from './helpers/plan.js';

const tls = (name: string): Buffer => readFileSync(new URL(`./fixtures/tls/${name}`, import.meta.url));

interface Counted {
  url: string;
  paths: Map<string, number>;
  total: () => number;
  close: () => Promise<void>;
}

async function listen(server: http.Server | https.Server, scheme: string, paths: Map<string, number>, total: () => number): Promise<Counted> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    paths,
    total,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startCounted(scheme: 'http' | 'https'): Promise<Counted> {
  const paths = new Map<string, number>();
  let total = 0;
  const handler: http.RequestListener = (req, res) => {
    total++;
    paths.set(req.url ?? '', (paths.get(req.url ?? '') ?? 0) + 1);
    res.end('ok');
  };
  const server = scheme === 'https' ? https.createServer({ key: tls('localhost.key'), cert: tls('localhost.crt') }, handler) : http.createServer(handler);
  server.keepAliveTimeout = 30_000;
  return listen(server, scheme, paths, () => total);
}

let servers: Record<'http' | 'https', Counted>;
beforeAll(async () => {
  servers = { http: await startCounted('http'), https: await startCounted('https') };
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => s.close()));
});

const RATE = 600;
const DURATION_MS = 1000;
const JOURNEYS = (RATE * DURATION_MS) / 1000; // 600
const TIMEOUT_MS = 1000;

function step(path: string, headers: Record<string, string> = {}): RequestStep {
  return {
    kind: 'request',
    endpoint: 0,
    readBody: false,
    captures: false,
    render: () => ({ method: 'GET', path, headers }),
    verify: (res) => (res.status < 400 ? null : { kind: 'status', check: 'status 2xx/3xx' }),
  };
}

async function run(target: string, transport: TransportName, s: RequestStep): Promise<{ totals: Stats; durationMs: number; details: Record<string, string> }> {
  const plan = simplePlan(target, [open(RATE, DURATION_MS)], {
    http: { timeoutMs: TIMEOUT_MS, maxInFlight: 10_000, graphqlPath: '/graphql', connections: 4, insecure: true },
    flows: [{ name: 'f', weight: 1, steps: [s] }],
  });
  const engine = new Engine(plan, { transport });
  const result = await engine.run();
  return { totals: engine.aggregator.summarize(result.durationMs).totals, durationMs: result.durationMs, details: result.errorDetails };
}

const cases: Array<['http' | 'https', TransportName]> = [
  ['https', 'undici'],
  ['http', 'undici'],
  ['http', 'lean'],
];

describe.each(cases)('requests undici would refuse (%s, %s client)', (scheme, transport) => {
  it('a path with a space, a Latin-1 and a non-Latin-1 character: percent-encoded (UTF-8), all 600 sent and answered', async () => {
    const server = servers[scheme];
    const before = server.total();
    const encoded = '/a%20b/caf%C3%A9/%E6%97%A5%E6%9C%AC?q=x%20y';
    const already = server.paths.get(encoded) ?? 0;
    const { totals, durationMs } = await run(server.url, transport, step('/a b/café/日本?q=x y'));
    expect(server.total() - before).toBe(JOURNEYS);
    expect((server.paths.get(encoded) ?? 0) - already).toBe(JOURNEYS);
    expect(totals.requests).toBe(JOURNEYS);
    expect(totals.errors).toBe(0);
    expect(durationMs).toBeLessThan(DURATION_MS + TIMEOUT_MS);
  });

  it.each<[string, string]>([
    ['neither a path nor a URL', 'not-a-url'],
    ['a URL that does not parse', 'http://'],
    ['a URL of another scheme', 'ftp://127.0.0.1/x'],
  ])('%s: every one of the 600 a protocol error (the run goes on), none sent, none lost', async (_name, path) => {
    const server = servers[scheme];
    const before = server.total();
    const { totals, details } = await run(server.url, transport, step(path));
    expect(server.total() - before).toBe(0);
    expect(totals.requests).toBe(JOURNEYS);
    expect(totals.errorKinds).toEqual({ protocol: JOURNEYS });
    expect(details.protocol).toMatch(/invalid request URL/);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['a line break in a header value', { 'x-token': 'a\r\nInjected: 1' }, /header "x-token".*(line break|control)/],
    ['a NUL in a header value', { 'x-token': 'a\0b' }, /header "x-token".*(NUL|control)/],
    ['a header name that is not a token', { 'bad name': 'v' }, /header name "bad name"/],
    ['a non-Latin-1 header value', { 'x-name': '日本' }, /header "x-name".*Latin-1/],
  ])('%s: every one of the 600 a protocol error with a one-line detail, none sent, none lost', async (_name, headers, detail) => {
    const server = servers[scheme];
    const before = server.total();
    const { totals, details, durationMs } = await run(server.url, transport, step('/ok', headers));
    expect(server.total() - before).toBe(0);
    expect(totals.requests).toBe(JOURNEYS);
    expect(totals.errorKinds).toEqual({ protocol: JOURNEYS });
    expect(details.protocol).toMatch(detail);
    expect(details.protocol).not.toMatch(/\n/);
    expect(durationMs).toBeLessThan(DURATION_MS + TIMEOUT_MS);
  });
});
