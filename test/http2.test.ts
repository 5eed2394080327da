// HTTP/2 through undici: ALPN over TLS (http.version auto or 2) and h2c by prior knowledge (version 2
// over http:), streams multiplexed on a few connections, the protocol recorded per endpoint, and
// stream/session failures classified like HTTP/1.1's. Every figure is checked against the server's counts.
import { readFileSync } from 'node:fs';
import http2, { type Http2Server, type Http2SecureServer, type ServerHttp2Stream } from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { parseScenario } from '../src/scenario/load.js';
import { buildResult } from '../src/result/build.js';

const tls = (name: string): Buffer => readFileSync(new URL(`./fixtures/tls/${name}`, import.meta.url));
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

interface Counts {
  streams: number;
  sessions: number;
}

async function h2server(secure: boolean, onStream: (stream: ServerHttp2Stream) => void = (s) => (s.respond({ ':status': 200 }), s.end('ok'))): Promise<{ url: string; counts: Counts }> {
  const counts: Counts = { streams: 0, sessions: 0 };
  const server: Http2Server | Http2SecureServer = secure ? http2.createSecureServer({ key: tls('localhost.key'), cert: tls('localhost.crt') }) : http2.createServer();
  server.on('session', () => counts.sessions++);
  server.on('stream', (stream) => {
    counts.streams++;
    stream.on('error', () => undefined); // a stream the server itself resets reports it here
    onStream(stream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (s) => sessions.add(s));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`, counts };
}

const scenario = (target: string, http: string, load = '{ duration: 500ms, rate: 20/s }'): string => `
name: h2
target: ${target}
http: { timeout: 2s, insecure: true${http} }
load:
  - ${load}
flows:
  - name: f
    steps:
      - { name: root, get: /, expect: { status: 200 } }
`;

async function run(yaml: string) {
  const plan = await parseScenario(yaml, '/tmp/h2.yml', { env: {} });
  const engine = new Engine(plan);
  const result = await engine.run();
  const summary = engine.aggregator.summarize(result.durationMs);
  return { summary, result, json: buildResult(plan, summary, { startedAt: result.startedAt, durationMs: result.durationMs, http: result.http }) };
}

describe('HTTP/2', () => {
  for (const [name, secure, http] of [
    ['TLS (ALPN, version auto)', true, ''],
    ['TLS (version 2)', true, ', version: 2'],
    ['h2c by prior knowledge (version 2)', false, ', version: 2'],
  ] as const) {
    it(`${name}: reports h2 and measures its latency`, async () => {
      const server = await h2server(secure);
      const { summary, json } = await run(scenario(server.url, http));
      expect(summary.totals.requests).toBe(10);
      expect(summary.totals.errors).toBe(0);
      expect(server.counts.streams).toBe(10);
      expect(json.http).toEqual({ client: 'undici', retries: 0, endpoints: { root: { protocol: 'h2', redirects: 0 } } });
      const root = summary.endpoints.find((e) => e.name === 'root')!;
      expect(root.requests).toBe(10);
      expect(root.latencyMs.p50).toBeGreaterThan(0);
      expect(root.latencyMs.max).toBeGreaterThanOrEqual(root.latencyMs.p50);
    });
  }

  it('an HTTP/1.1-only TLS server under version auto: h1', async () => {
    const server = https.createServer({ key: tls('localhost.key'), cert: tls('localhost.crt') }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
    const { json } = await run(scenario(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, ''));
    expect(json.http!.endpoints.root!.protocol).toBe('h1');
  });

  it('multiplexes streams on a few connections: 20 users at maxStreams 10 need 2 sessions', async () => {
    const server = await h2server(false, (stream) => setTimeout(() => (stream.respond({ ':status': 200 }), stream.end('ok')), 20));
    const { summary } = await run(scenario(server.url, ', version: 2, maxStreams: 10', '{ duration: 400ms, vus: 20 }'));
    expect(summary.totals.errors).toBe(0);
    expect(summary.totals.requests).toBe(server.counts.streams);
    expect(server.counts.sessions).toBeLessThanOrEqual(2);
  });

  it('a refused stream (RST_STREAM) is a reset, as many as the server refused', async () => {
    const server = await h2server(false, (stream) => stream.close(http2.constants.NGHTTP2_REFUSED_STREAM));
    const { summary, result } = await run(scenario(server.url, ', version: 2'));
    expect(summary.totals.requests).toBe(10);
    expect(summary.totals.errorKinds).toEqual({ reset: 10 });
    expect(server.counts.streams).toBeGreaterThanOrEqual(10);
    expect(result.errorDetails.reset).toBeTruthy();
  });

  it('a GOAWAY before the response is a reset', async () => {
    const server = await h2server(false, (stream) => stream.session?.goaway(http2.constants.NGHTTP2_INTERNAL_ERROR));
    const { summary } = await run(scenario(server.url, ', version: 2'));
    expect(summary.totals.requests).toBe(10);
    expect(Object.keys(summary.totals.errorKinds)).toEqual(['reset']);
  });
});
