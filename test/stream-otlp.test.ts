// --stream otlp=URL through the OpenTelemetry SDK's exporter, into a loopback OTLP/HTTP receiver
// written here: the payload's metrics and attributes, against the server's own request count. And the
// SDK is loaded only when asked for: nothing reachable by static imports from the CLI or the package
// entry pulls @opentelemetry in.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/api/run.js';
import { startServer, type TestServer } from './helpers/servers.js';
import { ensureBuilt, REPO_ROOT } from './helpers/cli.js';

interface Attr { key: string; value: { stringValue?: string } }
interface Point { attributes: Attr[]; asDouble?: number; asInt?: string | number }
interface OtlpMetric { name: string; unit?: string; sum?: { dataPoints: Point[]; isMonotonic?: boolean }; gauge?: { dataPoints: Point[] } }
interface Payload { resourceMetrics: Array<{ resource: { attributes: Attr[] }; scopeMetrics: Array<{ scope: { name: string }; metrics: OtlpMetric[] }> }> }

let target: TestServer;
let receiver: TestServer;
const payloads: Payload[] = [];
const headers: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  target = await startServer((_req, res) => setTimeout(() => res.end('ok'), 1));
  receiver = await startServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.url === '/v1/metrics' && req.method === 'POST') {
        headers.push(req.headers);
        payloads.push(JSON.parse(body) as Payload);
      }
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
});
afterAll(async () => {
  await Promise.all([target?.close(), receiver?.close()]);
});

const attrs = (p: { attributes: Attr[] }): Record<string, string | undefined> => Object.fromEntries(p.attributes.map((a) => [a.key, a.value.stringValue]));
const num = (p: Point): number => (p.asDouble !== undefined ? p.asDouble : Number(p.asInt));

describe('OTLP stream', () => {
  it('sends counters and gauges with scenario/endpoint attributes; the last requests sum equals the server count', async () => {
    const result = await run(
      { name: 'otlp-e2e', target: target.url, load: [{ duration: '2s', rate: 60 }], flows: [{ name: 'f', steps: [{ name: 'ping', get: '/ping' }] }] },
      { stream: [`otlp=${receiver.url}/v1/metrics`], streamSettings: { interval: '1s', labels: { env: 'ci' } }, quiet: true, env: { ...process.env, BENCH_STREAM_BEARER_TOKEN: 'otlp-tok' } },
    );
    expect(result.totals.requests).toBe(120);
    expect(target.requests()).toBe(120);
    expect(payloads.length).toBeGreaterThanOrEqual(2); // live + the final flush
    expect(headers.at(-1)!.authorization).toBe('Bearer otlp-tok');
    const last = payloads.at(-1)!;
    const resource = attrs(last.resourceMetrics[0]!.resource);
    expect(resource['service.name']).toBe('bench');
    const metrics = last.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    const byName = new Map(metrics.map((m) => [m.name, m]));
    expect([...byName.keys()].sort()).toEqual(expect.arrayContaining(['bench.requests', 'bench.dropped', 'bench.in_flight', 'bench.achieved_rate', 'bench.scheduled_rate']));
    const requests = byName.get('bench.requests')!;
    expect(requests.sum!.isMonotonic).toBe(true);
    expect(requests.sum!.dataPoints).toHaveLength(1);
    const point = requests.sum!.dataPoints[0]!;
    expect(num(point)).toBe(target.requests());
    expect(attrs(point)).toEqual({ scenario: 'otlp-e2e', env: 'ci', endpoint: 'ping' });
    // the interval quantiles come in seconds, per endpoint, from some live payload
    const quantiles = payloads.flatMap((p) => p.resourceMetrics[0]!.scopeMetrics[0]!.metrics).filter((m) => m.name === 'bench.interval_latency');
    expect(quantiles.length).toBeGreaterThan(0);
    expect(quantiles[0]!.unit).toBe('s');
    expect(quantiles[0]!.gauge!.dataPoints.map((p) => attrs(p).quantile).sort()).toEqual(['0.5', '0.95', '0.99']);
  }, 30_000);
});

describe('lazy loading', () => {
  it('no static import chain from the CLI or the package entry reaches @opentelemetry or src/stream/otlp', async () => {
    await ensureBuilt();
    const seen = new Set<string>();
    const bare = new Set<string>();
    const walk = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      // static imports and re-exports only; import('…') is dynamic
      for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) walk(resolve(dirname(file), spec));
        else bare.add(spec);
      }
    };
    walk(join(REPO_ROOT, 'dist', 'cli', 'main.js'));
    walk(join(REPO_ROOT, 'dist', 'index.js'));
    expect(seen.has(join(REPO_ROOT, 'dist', 'stream', 'live.js'))).toBe(true); // the walk does see the stream code
    expect([...seen].filter((f) => f.endsWith('otlp.js'))).toEqual([]);
    expect([...bare].filter((s) => s.startsWith('@opentelemetry'))).toEqual([]);
  });
});
