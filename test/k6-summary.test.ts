// The k6-compatible summary against independent counts: the server's own request and 500 counters,
// the schedule's arrival count, result.json's own percentiles for the same run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/api/run.js';
import { k6SummaryReport, k6Threshold } from '../src/report/k6-summary.js';
import { reporters } from '../src/report/index.js';
import { startServer, type TestServer } from './helpers/servers.js';
import { tempDir } from './helpers/cli.js';

let server: TestServer;
let failed = 0;

beforeAll(async () => {
  let n = 0;
  server = await startServer((_req, res) => {
    n++;
    const fail = n % 5 === 0;
    if (fail) failed++;
    res.statusCode = fail ? 500 : 200;
    setTimeout(() => res.end('ok'), 2);
  });
});
afterAll(() => server?.close());

describe('--summary-export (k6 legacy summary)', () => {
  it('has the four fields GitLab reads, with values matching the server and result.json', async () => {
    const dir = tempDir('bench-k6-');
    try {
      const file = join(dir.path, 'k6-summary.json');
      const result = await run(
        { name: 'k6', target: server.url, load: [{ duration: '2s', rate: 100 }], flows: [{ name: 'f', steps: [{ name: 'x', get: '/x' }] }], slo: ['p95 < 5s', 'error_rate < 1%'] },
        { summaryExport: file, quiet: true },
      );
      const summary = JSON.parse(readFileSync(file, 'utf8'));
      const m = summary.metrics;
      expect(server.requests()).toBe(200);
      expect(m.http_reqs.count).toBe(200);
      // 200 requests over a window between the 2 s load and the whole run (drain included)
      expect(m.http_reqs.rate).toBe(result.totals.rps);
      expect(m.http_reqs.rate).toBeGreaterThanOrEqual(200 / (result.durationMs / 1000) - 0.01);
      expect(m.http_reqs.rate).toBeLessThanOrEqual(100.01);
      // GitLab's widget: TTFB p90/p95 in ms → bench's service time, the same run's figures.
      expect(m.http_req_waiting['p(90)']).toBe(result.totals.serviceTimeMs.p90);
      expect(m.http_req_waiting['p(95)']).toBe(result.totals.serviceTimeMs.p95);
      expect(m.http_req_waiting['p(95)']).toBeGreaterThanOrEqual(2);
      // every 5th answer was a 500: a failed check, and a failed request
      expect(m.checks).toEqual({ passes: 200 - failed, fails: failed, value: (200 - failed) / 200 });
      expect(failed).toBe(40);
      expect(m.http_req_failed.value).toBe(0.2);
      expect(m.http_req_failed.passes).toBe(40); // k6's rate metric: passes counts the true values
      expect(m.iterations.count).toBe(200);
      expect(m.http_req_duration).toMatchObject({ avg: result.totals.latencyMs.mean, min: result.totals.latencyMs.min, med: result.totals.latencyMs.p50, max: result.totals.latencyMs.max });
      // k6's legacy summary marks a FAILED threshold true
      expect(m.http_req_duration.thresholds).toEqual({ 'p(95)<5000': false });
      expect(m.http_req_failed.thresholds).toEqual({ 'rate<0.01': true });
      expect(m['http_req_duration{name:x}']['p(95)']).toBe(result.endpoints[0]!.latencyMs.p95);
      // names pass through the redactor like every report
      expect(k6SummaryReport(result, { color: false, redact: (s) => s.replaceAll('name:x', 'name:***') })).toContain('"http_req_duration{name:***}"');
    } finally {
      dir.remove();
    }
  }, 30_000);
});

describe('k6 thresholds', () => {
  it('maps SLO metrics to the k6 metric they judge', () => {
    const t = (metric: string, op: '<' | '>', threshold: number, endpoint: string | null = null) => k6Threshold({ metric, op, threshold, endpoint });
    expect(t('p99.9', '<', 300)).toEqual({ metric: 'http_req_duration', expr: 'p(99.9)<300' });
    expect(t('mean', '<', 100, 'GET /a')).toEqual({ metric: 'http_req_duration{name:GET /a}', expr: 'avg<100' });
    expect(t('rps', '>', 50)).toEqual({ metric: 'http_reqs', expr: 'rate>50' });
    expect(t('dropped', '<', 1)).toEqual({ metric: 'dropped_iterations', expr: 'count<1' });
  });

  it('is a registered reporter', () => {
    expect(reporters.k6).toBe(k6SummaryReport);
  });
});
