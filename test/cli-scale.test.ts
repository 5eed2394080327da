// Acceptance (issue 7): scaling out end to end — two segment processes with a shared start, their merge,
// worker threads in one process, and the Kubernetes manifest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { parseAllDocuments } from 'yaml';
import { startServer, type TestServer } from './helpers/servers.js';
import { ensureBuilt, fixture, readJson, runCli, tempDir, type CliResult } from './helpers/cli.js';

// Time for two fresh node processes to start and load the scenario before the shared start instant.
const START_DELAY_MS = 2000;

describe('bench run --segment i/N, then bench merge', () => {
  let server: TestServer;
  const out = tempDir();
  const segmentDirs = [join(out.path, 'segment-0'), join(out.path, 'segment-1')];
  let segments: CliResult[];

  beforeAll(async () => {
    await ensureBuilt();
    server = await startServer();
    const startAt = new Date(Date.now() + START_DELAY_MS).toISOString();
    segments = await Promise.all(
      segmentDirs.map((dir, i) =>
        runCli(['run', fixture('segments.yml'), '--target', server.url, '--segment', `${i}/2`, '--start-at', startAt, '--out', dir, '--quiet'], {
          timeoutMs: 20_000,
        }),
      ),
    );
  });
  afterAll(async () => {
    await server.close();
    out.remove();
  });

  it('each of two concurrent segments of 400/s × 4 s sends 800 ± 2% requests', () => {
    for (const [i, run] of segments.entries()) {
      expect(run.code, `segment ${i}: ${run.stderr}`).toBe(0);
      const result = readJson(join(segmentDirs[i]!, 'result.json'));
      expect(result.segment).toEqual({ index: i, count: 2 });
      expect(result.totals.requests).toBeGreaterThanOrEqual(784);
      expect(result.totals.requests).toBeLessThanOrEqual(816);
    }
    const sent = segmentDirs.reduce((sum, dir) => sum + readJson(join(dir, 'result.json')).totals.requests, 0);
    expect(server.requests()).toBe(sent);
  });

  it('a segment leaves the absolute rps SLO to the merge', () => {
    const result = readJson(join(segmentDirs[0]!, 'result.json'));
    expect(result.slo.find((s: { expr: string }) => s.expr === 'rps >= 350').deferred).toBe(true);
  });

  it('bench merge reports the exact sum, ~400 rps, a histogram of every value and one SLO verdict', async () => {
    const mergedDir = join(out.path, 'merged');
    const files = segmentDirs.map((dir) => join(dir, 'result.json'));
    const run = await runCli(['merge', ...files, '--out', mergedDir, '--json'], { timeoutMs: 10_000 });
    expect(run.code, run.stderr).toBe(0);
    const merged = JSON.parse(run.stdout);
    expect(merged).toEqual(readJson(join(mergedDir, 'result.json')));
    expect(run.stderr).toContain('merged 2 results');
    expect(run.stderr).toContain('rps >= 350');

    const parts = files.map((f) => readJson(f).totals.requests as number);
    expect(merged.totals.requests).toBe(parts[0]! + parts[1]!);
    expect(merged.totals.rps).toBeGreaterThan(380);
    expect(merged.totals.rps).toBeLessThan(420);
    const histogram = hdr.decodeFromCompressedBase64(merged.totals.histogram, 32, false);
    expect(histogram.totalCount).toBe(merged.totals.requests);

    expect(merged.slo.map((s: { expr: string }) => s.expr)).toEqual(['rps >= 350', 'error_rate < 1%']);
    for (const slo of merged.slo) expect(slo.deferred, slo.expr).not.toBe(true);
    expect(merged.slo[0]).toMatchObject({ pass: true });
    expect(merged.slo[0].actual).toBeCloseTo(merged.totals.rps, 6);
    expect(merged.pass).toBe(true);
  });
});

describe('bench run --workers and bench k8s', () => {
  it('--workers 2 gives one result with the exact total (300/s × 2 s → 600)', async () => {
    await ensureBuilt();
    const server = await startServer();
    const out = tempDir();
    try {
      const run = await runCli(['run', fixture('workers.yml'), '--target', server.url, '--workers', '2', '--out', out.path, '--quiet'], { timeoutMs: 20_000 });
      expect(run.code, run.stderr).toBe(0);
      const result = readJson(join(out.path, 'result.json'));
      expect(result.totals.requests).toBe(600);
      expect(server.requests()).toBe(600);
      expect(hdr.decodeFromCompressedBase64(result.totals.histogram, 32, false).totalCount).toBe(600);
      expect(result.segment).toBeUndefined();
    } finally {
      await server.close();
      out.remove();
    }
  });

  it('bench k8s --parallelism 4 emits a ConfigMap and an Indexed Job of 4 pods using JOB_COMPLETION_INDEX', async () => {
    await ensureBuilt();
    const run = await runCli(['k8s', fixture('segments.yml'), '--parallelism', '4'], { timeoutMs: 10_000 });
    expect(run.code, run.stderr).toBe(0);
    const docs = parseAllDocuments(run.stdout).map((d) => d.toJS());
    const configMap = docs.find((d) => d.kind === 'ConfigMap');
    const job = docs.find((d) => d.kind === 'Job');
    expect(configMap.data['segments.yml']).toContain('rate: 400/s');
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4 });
    const container = job.spec.template.spec.containers[0];
    expect(container.args.join(' ')).toContain('--segment $(JOB_COMPLETION_INDEX)/4');
    expect(container.env.find((e: { name: string }) => e.name === 'JOB_COMPLETION_INDEX')).toBeDefined();
    const volume = job.spec.template.spec.volumes.find((v: { configMap?: { name: string } }) => v.configMap);
    expect(volume.configMap.name).toBe(configMap.metadata.name);
  });

  it('bench k8s warns about the variables pods need and wires --secret into their environment', async () => {
    await ensureBuilt();
    const dir = tempDir('bench-k8s-');
    const file = join(dir.path, 'needs-env.yml');
    writeFileSync(file, 'name: s\ntarget: http://api.internal:3000\nhttp: { headers: { authorization: "Bearer ${API_TOKEN}", x-a: "${OPT:-d}" } }\nload: [{ duration: 1s, rate: 1/s }]\nflows: [{ steps: [{ get: / }] }]\n');
    const bare = await runCli(['k8s', file, '-p', '2'], { timeoutMs: 10_000 });
    expect(bare.code).toBe(0);
    expect(bare.stderr).toMatch(/the pods need API_TOKEN; pass --secret NAME/);
    const withSecret = await runCli(['k8s', file, '-p', '2', '--secret', 'bench-env'], { timeoutMs: 10_000 });
    expect(withSecret.stderr).not.toMatch(/pods need/);
    const job = parseAllDocuments(withSecret.stdout).map((d) => d.toJS()).find((d) => d.kind === 'Job');
    expect(job.spec.template.spec.containers[0].envFrom).toEqual([{ secretRef: { name: 'bench-env' } }]);
    dir.remove();
  });
});
