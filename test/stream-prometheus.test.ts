// A run streamed into a real Prometheus (remote write, native histograms) and read back with PromQL:
// the request counter equals result.json's count and the server's own, exactly; histogram_quantile's
// p95 lies in the native bucket holding result.json's p95 (schema 8: 0.27% wide).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/api/run.js';
import { nativeIndex, nativeUpperBound } from '../src/stream/buckets.js';
import { startPrometheus, type Prometheus } from './helpers/prometheus.js';
import { startServer, type TestServer } from './helpers/servers.js';
import { dashboardExpressions, instantiate } from './helpers/dashboard.js';

let prom: Prometheus;
let server: TestServer;
let failing = 0;

beforeAll(async () => {
  prom = await startPrometheus();
  let n = 0;
  server = await startServer((req, res) => {
    n++;
    // Spread latencies over 1–30 ms; every 10th /b answers 500 (an error of kind "status").
    const fail = req.url === '/b' && n % 10 === 0;
    if (fail) failing++;
    setTimeout(() => {
      res.statusCode = fail ? 500 : 200;
      res.end('ok');
    }, 1 + ((n * 7919) % 29));
  });
}, 660_000); // a fresh machine first installs prometheus (apt-get)

afterAll(async () => {
  await server?.close();
  await prom?.stop();
});

describe('prometheus remote write into a real Prometheus', () => {
  it('the counter read back equals result.json and the server; histogram_quantile(0.95) is within one native bucket of p95', async () => {
    const scenario = {
      name: 'prom-e2e',
      target: server.url,
      load: [{ duration: '3s', rate: 120 }],
      flows: [
        { name: 'a', weight: 1, steps: [{ name: 'a', get: '/a' }] },
        { name: 'b', weight: 1, steps: [{ name: 'b', get: '/b' }] },
      ],
      slo: ['p95 < 500ms'],
    };
    const result = await run(scenario, { stream: [`prometheus=${prom.writeUrl}`], streamSettings: { interval: '1s', labels: { team: 'perf' } }, quiet: true });
    expect(result.totals.requests).toBe(server.requests());
    expect(result.totals.requests).toBe(360); // 120/s for 3 s: the schedule's exact arrival count

    const total = await prom.query('sum(bench_requests_total{scenario="prom-e2e", team="perf"})');
    expect(Number(total[0]!.value[1])).toBe(result.totals.requests);
    for (const e of result.endpoints) {
      const [row] = await prom.query(`bench_requests_total{scenario="prom-e2e", endpoint="${e.name}"}`);
      expect(Number(row!.value[1])).toBe(e.requests);
    }
    const status = await prom.query('sum(bench_errors_total{scenario="prom-e2e", kind="status"})');
    expect(Number(status[0]!.value[1])).toBe(failing);
    expect(result.totals.errorKinds.status).toBe(failing);

    const count = await prom.query('histogram_count(sum(bench_request_duration_seconds{scenario="prom-e2e"}))');
    expect(Number(count[0]!.value[1])).toBe(result.totals.requests);

    const [q] = await prom.query('histogram_quantile(0.95, sum(bench_request_duration_seconds{scenario="prom-e2e"}))');
    const p95 = result.totals.latencyMs.p95 / 1000;
    const index = nativeIndex(p95);
    const promP95 = Number(q!.value[1]);
    expect(promP95).toBeGreaterThan(nativeUpperBound(index - 1));
    expect(promP95).toBeLessThanOrEqual(nativeUpperBound(index));

    // The SLO line for dashboards, in seconds.
    const [line] = await prom.query('bench_slo_threshold_seconds{scenario="prom-e2e"}');
    expect(line!.metric.slo).toBe('p95 < 500ms');
    expect(Number(line!.value[1])).toBe(0.5);

    // Every panel of the Grafana dashboard finds data in this stream.
    for (const panel of dashboardExpressions().panels) {
      const rows = await prom.query(instantiate(panel.expr, 'prom-e2e'));
      expect(rows.length, `${panel.title}: ${panel.expr}`).toBeGreaterThan(0);
    }
  }, 60_000);

  it('classic buckets: _count and the +Inf bucket equal the requests; every le bucket is cumulative', async () => {
    const before = server.requests();
    const result = await run(
      { name: 'prom-classic', target: server.url, load: [{ duration: '2s', rate: 100 }], flows: [{ name: 'a', steps: [{ name: 'a', get: '/a' }] }], slo: ['p99 < 30s'] },
      { stream: [`prometheus=${prom.writeUrl}`], streamSettings: { interval: '1s', histograms: 'classic' }, quiet: true },
    );
    expect(result.totals.requests).toBe(server.requests() - before);
    const [count] = await prom.query('bench_request_duration_seconds_count{scenario="prom-classic"}');
    expect(Number(count!.value[1])).toBe(result.totals.requests);
    const buckets = (await prom.query('bench_request_duration_seconds_bucket{scenario="prom-classic"}')).map((r) => [r.metric.le === '+Inf' ? Infinity : Number(r.metric.le), Number(r.value[1])] as const);
    buckets.sort((a, b) => a[0] - b[0]);
    expect(buckets.at(-1)).toEqual([Infinity, result.totals.requests]);
    // cumulative, and every request (1–30 ms answers) is in by le=10
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]![1]).toBeGreaterThanOrEqual(buckets[i - 1]![1]);
    expect(buckets.find(([le]) => le === 10)![1]).toBe(result.totals.requests);
  }, 60_000);
});
