// Acceptance (issue 2): `bench run` end to end, as a child process against loopback servers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, type TestServer } from './helpers/servers.js';
import { STACK_LINE, ensureBuilt, fixture, readJson, runCli, tempDir, type CliResult } from './helpers/cli.js';

const LATENCY_KEYS = ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max'];

/** Answers /slow after `delayMs`, everything else at once. */
function delayedHandler(delayMs: number) {
  return (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    if (req.url?.startsWith('/slow')) setTimeout(() => res.end('slow'), delayMs);
    else res.end('ok');
  };
}

function expectLatencyStats(stats: Record<string, unknown>): void {
  for (const key of LATENCY_KEYS) expect(typeof stats[key], key).toBe('number');
  expect(stats.min as number).toBeLessThanOrEqual(stats.p50 as number);
  expect(stats.p50 as number).toBeLessThanOrEqual(stats.p99 as number);
  expect(stats.p99 as number).toBeLessThanOrEqual((stats.max as number) * 1.001);
}

function expectStatsFields(stats: Record<string, any>): void {
  for (const key of ['requests', 'errors', 'errorRate', 'rps', 'dropped']) expect(typeof stats[key], key).toBe('number');
  expect(typeof stats.statusCodes).toBe('object');
  expect(typeof stats.errorKinds).toBe('object');
  expectLatencyStats(stats.latencyMs);
  expectLatencyStats(stats.serviceTimeMs);
  expect(stats.histogram).toMatch(/^HISTF/);
}

describe('bench run — open model, --json, default SLOs', () => {
  let server: TestServer;
  const out = tempDir();
  let run: CliResult;

  beforeAll(async () => {
    await ensureBuilt();
    server = await startServer();
    run = await runCli(['run', fixture('open-200.yml'), '--target', server.url, '--out', out.path, '--json'], { timeoutMs: 20_000 });
  });
  afterAll(async () => {
    await server.close();
    out.remove();
  });

  it('sends 1000 ± 2% requests for 200/s × 5 s, and counts what the server saw', () => {
    expect(run.timedOut).toBe(false);
    const result = readJson(join(out.path, 'result.json'));
    expect(result.totals.requests).toBeGreaterThanOrEqual(980);
    expect(result.totals.requests).toBeLessThanOrEqual(1020);
    expect(server.requests()).toBe(result.totals.requests);
    expect(result.totals.statusCodes['200']).toBe(result.totals.requests);
  });

  it('writes every field of the result.json contract (design §3)', () => {
    const result = readJson(join(out.path, 'result.json'));
    expect(result.schemaVersion).toBe(1);
    expect(result.scenario).toBe('open-200');
    expect(result.target).toBe(server.url);
    expect(Number.isNaN(Date.parse(result.startedAt))).toBe(false);
    expect(result.durationMs).toBeGreaterThan(4500);
    expectStatsFields(result.totals);
    expect(result.endpoints).toHaveLength(1);
    expect(result.endpoints[0].name).toBe('root');
    expectStatsFields(result.endpoints[0]);
    expect(result.timeline.length).toBeGreaterThanOrEqual(5);
    for (const point of result.timeline) {
      for (const key of ['second', 'requests', 'errors', 'p50Ms', 'p99Ms']) expect(typeof point[key], key).toBe('number');
    }
    expect(result.timeline.reduce((sum: number, p: { requests: number }) => sum + p.requests, 0)).toBe(result.totals.requests);
    expect(result.slo.length).toBeGreaterThan(0);
    for (const slo of result.slo) {
      expect(slo).toMatchObject({ expr: expect.any(String), endpoint: null, threshold: expect.any(Number), pass: expect.any(Boolean) });
      expect(typeof slo.actual).toBe('number');
    }
    expect(typeof result.pass).toBe('boolean');
    for (const file of ['report.md', 'junit.xml', 'report.html', 'latency.hlog']) expect(existsSync(join(out.path, file)), file).toBe(true);
  });

  it('--json prints parseable JSON on stdout (the saved result), the human text on stderr', () => {
    const printed = JSON.parse(run.stdout);
    expect(printed).toEqual(readJson(join(out.path, 'result.json')));
    expect(run.stdout).not.toContain('reports written');
    expect(run.stderr).toContain('reports written to');
    expect(run.stderr).toContain('p95 < 200ms');
  });

  it('applies the default SLOs when the scenario has no slo:, and marks them as defaults', () => {
    const result = readJson(join(out.path, 'result.json'));
    expect(result.sloDefaults).toBe(true);
    expect(result.slo.map((s: { expr: string }) => s.expr)).toEqual(['p95 < 200ms', 'rps >= 100', 'error_rate < 1%']);
    expect(result.slo.every((s: { isDefault: boolean }) => s.isDefault)).toBe(true);
    expect(run.stderr).toMatch(/SLOs \(defaults\)/);
    expect(run.code).toBe(result.pass ? 0 : 1);
  });
});

describe('bench run — closed model, failing SLO, invalid scenario', () => {
  let server: TestServer;
  const out = tempDir();

  beforeAll(async () => {
    await ensureBuilt();
    server = await startServer(delayedHandler(30));
  });
  afterAll(async () => {
    await server.close();
    out.remove();
  });

  it('a closed run with vus: 8 never has more than 8 requests in flight at the server', async () => {
    const dir = join(out.path, 'closed');
    const run = await runCli(['run', fixture('closed-8.yml'), '--target', server.url, '--out', dir, '--quiet'], { timeoutMs: 15_000 });
    expect(run.code).toBe(0);
    const result = readJson(join(dir, 'result.json'));
    expect(result.model).toBe('closed');
    expect(result.totals.requests).toBeGreaterThan(8);
    expect(server.maxInFlight()).toBeLessThanOrEqual(8);
    // 8 users against a 30 ms server overlap: proves the bound is the user count, not a lack of load.
    expect(server.maxInFlight()).toBeGreaterThanOrEqual(4);
  });

  it('a failing SLO exits 1 and result.json holds its actual value', async () => {
    const dir = join(out.path, 'failing');
    const run = await runCli(['run', fixture('failing-slo.yml'), '--target', server.url, '--out', dir, '--quiet'], { timeoutMs: 15_000 });
    expect(run.code).toBe(1);
    const result = readJson(join(dir, 'result.json'));
    expect(result.pass).toBe(false);
    const p95 = result.slo.find((s: { expr: string }) => s.expr === 'p95 < 5ms');
    expect(p95).toMatchObject({ pass: false, threshold: 5 });
    expect(p95.actual).toBeGreaterThanOrEqual(30);
    expect(p95.actual).toBeCloseTo(result.totals.latencyMs.p95, 6);
    expect(result.slo.find((s: { expr: string }) => s.expr === 'error_rate < 1%').pass).toBe(true);
  });

  it('an invalid scenario exits 2 with one clear line naming the file and line, no stack trace', async () => {
    const run = await runCli(['run', fixture('invalid.yml'), '--target', server.url, '--out', join(out.path, 'invalid')], { timeoutMs: 10_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid\.yml:5:\d+\s+load\[1\]\.duration\s+\S/);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.stdout).toBe('');
    expect(existsSync(join(out.path, 'invalid'))).toBe(false);
  });
});
