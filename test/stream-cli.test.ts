// `bench run --stream prometheus=URL` through the real CLI into a real Prometheus: with worker
// threads, and stopped by Ctrl-C (the final flush still carries every request); plus
// --summary-export from the same run, and one clear line for a bad --stream.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, readJson, runCli, STACK_LINE, tempDir } from './helpers/cli.js';
import { startPrometheus, type Prometheus } from './helpers/prometheus.js';
import { startServer, type TestServer } from './helpers/servers.js';

let prom: Prometheus;
let server: TestServer;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  await ensureBuilt();
  prom = await startPrometheus();
  server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 2));
  dir = tempDir('bench-stream-cli-');
}, 660_000); // a fresh machine first installs prometheus (apt-get)

afterAll(async () => {
  await server?.close();
  await prom?.stop();
  dir?.remove();
});

function scenario(name: string, duration: string, rate: number): string {
  const file = join(dir.path, `${name}.yml`);
  writeFileSync(file, `name: ${name}\ntarget: ${server.url}\nload:\n  - { duration: ${duration}, rate: ${rate} }\nflows:\n  - steps: [{ name: ping, get: /ping }]\nslo: ["p99 < 30s"]\nstream:\n  interval: 1s\n`);
  return file;
}

const lastCount = async (name: string): Promise<number> => Number((await prom.query(`sum(bench_requests_total{scenario="${name}"})`))[0]?.value[1] ?? NaN);

describe('bench run --stream (CLI)', () => {
  it('with --workers 2: the counter in Prometheus equals result.json, the server and the k6 summary', async () => {
    const before = server.requests();
    const out = join(dir.path, 'workers');
    const k6 = join(dir.path, 'k6.json');
    const r = await runCli(['run', scenario('cli-workers', '2s', 100), '--workers', '2', '--stream', `prometheus=${prom.writeUrl}`, '--summary-export', k6, '--out', out, '--quiet'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = readJson(join(out, 'result.json'));
    expect(result.totals.requests).toBe(200);
    expect(server.requests() - before).toBe(200);
    expect(await lastCount('cli-workers')).toBe(200);
    expect(readJson(k6).metrics.http_reqs.count).toBe(200);
  }, 90_000);

  it('Ctrl-C: exit 130, and the final flush carries every request result.json counts', async () => {
    const before = server.requests();
    const out = join(dir.path, 'interrupted');
    const r = await runCli(['run', scenario('cli-sigint', '30s', 50), '--stream', `prometheus=${prom.writeUrl}`, '--out', out, '--quiet'], {
      timeoutMs: 60_000,
      onSpawn: (child) => setTimeout(() => child.kill('SIGINT'), 2500),
    });
    expect(r.code).toBe(130);
    const result = readJson(join(out, 'result.json'));
    expect(result.stopReason).toBe('interrupted');
    expect(result.totals.requests).toBeGreaterThan(0);
    expect(result.totals.requests).toBe(server.requests() - before);
    expect(await lastCount('cli-sigint')).toBe(result.totals.requests);
  }, 90_000);

  it('a bad --stream is one line and exit 2, before any load', async () => {
    const before = server.requests();
    const r = await runCli(['run', scenario('cli-bad', '1s', 10), '--stream', 'graphite=http://127.0.0.1:1'], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--stream: "graphite" is not prometheus=URL or otlp=URL/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(server.requests()).toBe(before);
  });

  it('--summary-export with A/B targets is refused (rounds would overwrite one file)', async () => {
    const before = server.requests();
    const r = await runCli(['run', scenario('cli-ab', '1s', 10), '--target', `a=${server.url}`, '--target', `b=${server.url}`, '--summary-export', join(dir.path, 'x.json')], { timeoutMs: 30_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--summary-export: one target only/);
    expect(server.requests()).toBe(before);
  });
});
