// kubernetes-types has no "exports" map: under NodeNext its subpaths need the .js suffix (types only, erased at run time).
import { describe, it, expect, afterAll } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'kubernetes-types/batch/v1.js';
import type { ConfigMap, Container } from 'kubernetes-types/core/v1.js';
import { DEFAULT_IMAGE, k8sManifests, type K8sOptions } from '../src/k8s/manifest.js';
import { RUNNER_SCRIPT } from '../src/k8s/runner.js';
import { UsageError } from '../src/errors.js';
import { dataFilePaths } from '../src/k8s/data-files.js';

const scenarioText = 'name: shop\ntarget: http://shop:3000\nhttp:\n  headers:\n    authorization: Bearer ${API_TOKEN}\ndata:\n  users: { csv: data/users.csv }\n';

const options = (over: Partial<K8sOptions> = {}): K8sOptions => ({
  scenarioFile: 'scenarios/Shop Checkout.yml',
  scenarioText,
  dataFiles: [{ name: 'data/users.csv', content: 'user,password\nann,x1\nbob,x2\n' }],
  parallelism: 4,
  image: DEFAULT_IMAGE,
  now: new Date('2025-01-01T12:00:00.000Z'),
  ...over,
});

function documents(text: string): { configMap: ConfigMap; job: Job; container: Container } {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) throw new Error('expected several documents');
  for (const doc of docs) expect(doc.errors).toEqual([]);
  expect(docs).toHaveLength(2);
  const configMap: ConfigMap = docs[0]!.toJS() as ConfigMap;
  const job: Job = docs[1]!.toJS() as Job;
  const container = job.spec?.template.spec?.containers[0];
  if (!container) throw new Error('no container');
  return { configMap, job, container };
}

describe('k8sManifests', () => {
  const text = k8sManifests(options({ namespace: 'load', secretName: 'shop-env' }));
  const { configMap, job, container } = documents(text);

  it('is an Indexed Job with one completion per segment, none retried', () => {
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(job.metadata).toMatchObject({ name: 'bench-shop-checkout', namespace: 'load' });
    expect(job.spec).toMatchObject({ completionMode: 'Indexed', completions: 4, parallelism: 4, backoffLimitPerIndex: 0, maxFailedIndexes: 4 });
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
  });

  it('runs segment $(JOB_COMPLETION_INDEX)/N from the shared start time, results in /results', () => {
    expect(container.image).toBe('slo-bench:latest');
    expect(container.args).toEqual([
      'run',
      '/scenario/Shop Checkout.yml',
      '--segment',
      '$(JOB_COMPLETION_INDEX)/4',
      '--start-at',
      '2025-01-01T12:01:00.000Z',
      '--out',
      '/results/segment-$(JOB_COMPLETION_INDEX)',
      '--quiet',
    ]);
    const index = container.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX');
    expect(index?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.annotations['batch.kubernetes.io/job-completion-index']");
    expect(container.command).toEqual(['/bin/sh', '-c', RUNNER_SCRIPT, 'bench']);
    expect(container.envFrom).toEqual([{ secretRef: { name: 'shop-env' } }]);
  });

  it('mounts the ConfigMap at /scenario, data files at their relative paths, and an emptyDir at /results', () => {
    expect(configMap.apiVersion).toBe('v1');
    expect(configMap.kind).toBe('ConfigMap');
    expect(configMap.metadata?.name).toBe('bench-shop-checkout-scenario');
    expect(configMap.data?.['Shop.Checkout.yml']).toBe(scenarioText);
    expect(configMap.data?.['data.users.csv']).toBe('user,password\nann,x1\nbob,x2\n');
    const volumes = job.spec?.template.spec?.volumes ?? [];
    expect(volumes.find((v) => v.name === 'scenario')?.configMap).toEqual({
      name: 'bench-shop-checkout-scenario',
      items: [
        { key: 'Shop.Checkout.yml', path: 'Shop Checkout.yml' },
        { key: 'data.users.csv', path: 'data/users.csv' },
      ],
    });
    expect(volumes.find((v) => v.name === 'results')?.emptyDir).toEqual({});
    expect(container.volumeMounts).toEqual([
      { name: 'scenario', mountPath: '/scenario', readOnly: true },
      { name: 'results', mountPath: '/results' },
    ]);
  });

  it('keeps the ${VAR} references for the pod to resolve: no secret value in the manifest', () => {
    expect(text).toContain('Bearer ${API_TOKEN}');
    expect(text).not.toContain('namespace: undefined');
  });

  it('matches the golden manifest', () => {
    const golden = join(import.meta.dirname, 'golden', 'k8s-manifest.yaml');
    expect(k8sManifests(options({ name: 'bench-shop', keepResultsSeconds: 300 }))).toBe(readFileSync(golden, 'utf8'));
  });

  it('defaults the start 60 s from now and honours a custom delay', () => {
    const before = Date.now();
    const args = documents(k8sManifests(options({ now: undefined }))).container.args ?? [];
    const start = Date.parse(args[args.indexOf('--start-at') + 1]!);
    expect(start - before).toBeGreaterThanOrEqual(60_000);
    expect(start - before).toBeLessThan(120_000);
    const late = documents(k8sManifests(options({ startDelaySeconds: 5 }))).container.args ?? [];
    expect(late).toContain('2025-01-01T12:00:05.000Z');
  });

  it('refuses bad input in one line', () => {
    const refuses = (over: Partial<K8sOptions>, pattern: RegExp): void => {
      expect(() => k8sManifests(options(over))).toThrow(UsageError);
      expect(() => k8sManifests(options(over))).toThrow(pattern);
    };
    refuses({ parallelism: 0 }, /parallelism/);
    refuses({ parallelism: 2.5 }, /parallelism/);
    refuses({ name: 'Bad_Name' }, /invalid job name "Bad_Name"/);
    refuses({ image: '' }, /invalid image/);
    refuses({ dataFiles: [{ name: '../secrets.csv', content: '' }] }, /inside the scenario's folder/);
    refuses({ dataFiles: [{ name: '/etc/passwd', content: '' }] }, /inside the scenario's folder/);
    refuses({ dataFiles: [{ name: 'big.csv', content: 'x'.repeat(1_100_000) }] }, /1 MiB/);
  });
});

describe('the pod runner script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-k8s-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A stand-in for bench: records its arguments, exits with STUB_CODE.
  const stub = join(dir, 'bench-stub');
  writeFileSync(stub, '#!/bin/sh\necho "$@" > "$RESULTS_DIR/args"\nexit "$STUB_CODE"\n');
  chmodSync(stub, 0o755);
  const script = RUNNER_SCRIPT.replace('node /app/bin/bench.js', '"$BENCH_STUB"');

  const run = (code: number): number | null =>
    spawnSync('/bin/sh', ['-c', script, 'bench', 'run', '/scenario/x.yml', '--segment', '2/4'], {
      env: { PATH: process.env.PATH, RESULTS_DIR: dir, JOB_COMPLETION_INDEX: '2', KEEP_RESULTS_SECONDS: '0', STUB_CODE: String(code), BENCH_STUB: stub },
      timeout: 10_000,
    }).status;

  it('passes the args to bench, records its exit code, and succeeds when only an SLO failed', () => {
    expect(script).not.toBe(RUNNER_SCRIPT);
    expect(run(1)).toBe(0);
    expect(readFileSync(join(dir, 'args'), 'utf8')).toBe('run /scenario/x.yml --segment 2/4\n');
    expect(readFileSync(join(dir, 'segment-2', 'exit-code'), 'utf8')).toBe('1\n');
  });

  it('fails the index when the run could not be carried out', () => {
    expect(run(3)).toBe(3);
    expect(existsSync(join(dir, 'segment-2', 'exit-code'))).toBe(true);
    expect(readFileSync(join(dir, 'segment-2', 'exit-code'), 'utf8')).toBe('3\n');
  });
});

describe('dataFilePaths', () => {
  it('lists the csv files of data sources, once each', () => {
    const text = 'name: x\ndata:\n  users: { csv: data/users.csv }\n  more: { csv: data/users.csv }\n  ids: { csv: ids.csv }\n  inline: [1, 2]\n';
    expect(dataFilePaths(text)).toEqual(['data/users.csv', 'ids.csv']);
    expect(dataFilePaths(scenarioText)).toEqual(['data/users.csv']);
    expect(dataFilePaths('name: x\n')).toEqual([]);
    expect(dataFilePaths('data: [')).toEqual([]);
  });
});

describe('bench k8s on the command line', () => {
  it('defaults --image to the image the Dockerfile builds under the package name', async () => {
    const { runCli } = await import('./helpers/cli.js');
    const run = await runCli(['k8s', 'test/fixtures/cli/open-200.yml', '--parallelism', '2'], { timeoutMs: 15_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^\s+image: slo-bench:latest$/m);
  });
});
