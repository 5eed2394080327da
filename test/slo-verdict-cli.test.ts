// Issue 11, end to end through the real CLI: rates over the load window, a dead target never passes,
// dropped arrivals fail the default error_rate, and a stopped run says so in report.md and junit.xml.
// Every figure is checked against the server's own request counter or the schedule's exact count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startServer, type TestServer } from './helpers/servers.js';
import { ensureBuilt, fixture, readJson, runCli, tempDir } from './helpers/cli.js';

const out = tempDir('bench-verdict-');

function scenario(name: string, body: string): string {
  const file = join(out.path, `${name}.yml`);
  writeFileSync(file, `name: ${name}\ntarget: http://127.0.0.1:9\n${body}\nflows:\n  - name: main\n    steps:\n      - name: root\n        get: /\n`);
  return file;
}

const delayed = (ms: number): Promise<TestServer> => startServer((_req, res) => setTimeout(() => res.end('ok'), ms));

/** A port nobody listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  await ensureBuilt();
});
afterAll(() => out.remove());

describe('throughput is measured over the load window (hole 1)', () => {
  it('rate 200/s × 3 s against a 50 ms server reports rps 200 within 0.1%, the drain apart', async () => {
    const server = await delayed(50);
    const dir = join(out.path, 'rate-200');
    try {
      const file = scenario('rate-200', 'load:\n  - { duration: 3s, rate: 200/s }\nslo:\n  - error_rate < 1%');
      const run = await runCli(['run', file, '--target', server.url, '--out', dir, '--quiet']);
      expect(run.code, run.stderr).toBe(0);
      const result = readJson(join(dir, 'result.json'));
      expect(server.requests()).toBe(600);
      expect(result.totals.requests).toBe(600);
      expect(Math.abs(result.totals.rps - 200) / 200).toBeLessThan(0.001);
      expect(result.durationMs).toBe(3000);
      // the last responses came ~50 ms after the load window
      expect(result.drainMs).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  it('acceptance: rate 100/s × 10 s against a 50 ms server with no slo: exits 0 and reports rps 100.0', async () => {
    const server = await delayed(50);
    const dir = join(out.path, 'rate-100');
    try {
      const file = scenario('rate-100', 'load:\n  - { duration: 10s, rate: 100/s }');
      const run = await runCli(['run', file, '--target', server.url, '--out', dir], { timeoutMs: 40_000 });
      expect(run.code, run.stderr).toBe(0);
      const result = readJson(join(dir, 'result.json'));
      expect(server.requests()).toBe(1000);
      expect(result.totals.requests).toBe(1000);
      expect(result.totals.rps).toBe(100);
      expect(result.slo.find((s: { metric: string }) => s.metric === 'rps')).toMatchObject({ actual: 100, pass: true });
      expect(run.stderr).toMatch(/100\.0 req\/s/);
    } finally {
      await server.close();
    }
  }, 45_000);
});

describe('a dead target never passes (hole 2)', () => {
  it('a closed port with only a latency SLO exits 1, and the report says why', async () => {
    const port = await closedPort();
    const dir = join(out.path, 'closed-port');
    const file = scenario('closed-port', 'load:\n  - { duration: 1s, rate: 20/s }\nslo:\n  - p95 < 200ms');
    const run = await runCli(['run', file, '--target', `http://127.0.0.1:${port}`, '--out', dir]);
    expect(run.code, run.stderr).toBe(1);
    const result = readJson(join(dir, 'result.json'));
    expect(result.pass).toBe(false);
    expect(result.totals.requests).toBe(20);
    expect(result.totals.errors).toBe(20);
    expect(run.stderr).toMatch(/FAIL/);
    expect(run.stderr).toMatch(/no request succeeded/);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/no request succeeded/);
  });
});

describe('dropped arrivals are users not served (hole 3)', () => {
  it('88% dropped arrivals with the default SLOs and no dropped SLO exits 1 on error_rate', async () => {
    // 20 in flight at most against a 150 ms server: ~133 requests/s get out of 1100 arrivals/s.
    const server = await delayed(150);
    const dir = join(out.path, 'dropped');
    try {
      const file = scenario('dropped', 'http:\n  maxInFlight: 20\nload:\n  - { duration: 2s, rate: 1100/s }');
      const run = await runCli(['run', file, '--target', server.url, '--out', dir]);
      expect(run.code, run.stderr).toBe(1);
      const result = readJson(join(dir, 'result.json'));
      const t = result.totals;
      // every scheduled arrival is either sent or dropped; the server saw every sent request
      expect(t.requests + t.dropped).toBe(2200);
      expect(server.requests()).toBe(t.requests);
      expect(t.dropped / 2200).toBeGreaterThan(0.5);
      expect(t.errorRate).toBeCloseTo((t.errors + t.dropped) / (t.requests + t.dropped), 9);
      expect(t.errorKinds.dropped).toBe(t.dropped);
      const errorRate = result.slo.find((s: { metric: string }) => s.metric === 'error_rate');
      expect(errorRate).toMatchObject({ pass: false });
    } finally {
      await server.close();
    }
  });
});

describe('a stopped run says so in every report (hole 4)', () => {
  it('after SIGINT, exit 130 and report.md, junit.xml and result.json say the run was interrupted', async () => {
    const server = await startServer();
    const dir = join(out.path, 'sigint');
    let timer: NodeJS.Timeout | undefined;
    try {
      const run = await runCli(['run', fixture('interrupt.yml'), '--target', server.url, '--out', dir, '--quiet'], {
        timeoutMs: 20_000,
        onSpawn: (child) => {
          timer = setTimeout(() => child.kill('SIGINT'), 1500);
        },
      });
      expect(run.code).toBe(130);
      const result = readJson(join(dir, 'result.json'));
      expect(result.stopReason).toBe('interrupted');
      expect(result.pass).toBe(false);
      expect(result.totals.requests).toBeLessThanOrEqual(server.requests());
      expect(readFileSync(join(dir, 'report.md'), 'utf8').split('\n')[0]).toMatch(/INTERRUPTED/);
      const junit = readFileSync(join(dir, 'junit.xml'), 'utf8');
      expect(junit).toMatch(/<failure[^>]*>[^<]*interrupted/i);
      expect(junit).not.toMatch(/failures="0"/);
    } finally {
      clearTimeout(timer);
      await server.close();
    }
  });
});
