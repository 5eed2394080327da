// Tags: step and flow `tags:` reach result.json's endpoints, and a tagged SLO judges only the tagged steps.
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { buildResult } from '../src/result/build.js';
import { parseScenario } from '../src/scenario/load.js';
import { reporters } from '../src/report/index.js';
import { startServer } from './helpers/servers.js';

describe('tags', () => {
  it('a tagged SLO judges only the tagged steps (counts from the server)', async () => {
    const counts: Record<string, number> = {};
    const server = await startServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      counts[path] = (counts[path] ?? 0) + 1;
      // reads answer at once, the write takes 150 ms: only an SLO over the reads can pass p95 < 100ms
      setTimeout(() => res.end('ok'), path === '/write' ? 150 : 0);
    });
    try {
      const text = `target: ${server.url}
load:
  - { iterations: 20, vus: 4 }
flows:
  - name: shop
    tags: { team: web }
    steps:
      - { name: list, get: /list, tags: { kind: read } }
      - { name: item, get: /item, tags: { kind: read } }
      - { name: buy, post: /write, tags: { kind: write } }
slo:
  - { expr: p95 < 100ms, tags: { kind: read } }
  - { expr: requests <= 40, tags: { kind: read } }
  - { expr: requests <= 20, tags: { kind: write, team: web } }
  - p95 < 100ms
`;
      const plan = await parseScenario(text, '/tags.yml', { env: {} });
      const engine = new Engine(plan);
      const run = await engine.run();
      const result = buildResult(plan, engine.aggregator.summarize(run.durationMs), { startedAt: run.startedAt, durationMs: run.durationMs });
      expect(counts).toEqual({ '/list': 20, '/item': 20, '/write': 20 });
      expect(result.endpoints.map((e) => [e.name, e.tags])).toEqual([
        ['list', { team: web(), kind: 'read' }],
        ['item', { team: web(), kind: 'read' }],
        ['buy', { team: web(), kind: 'write' }],
      ]);
      const [readP95, readCount, writeCount, totalP95] = result.slo;
      expect(readP95).toMatchObject({ tags: { kind: 'read' }, pass: true });
      expect(readCount).toMatchObject({ actual: counts['/list']! + counts['/item']!, pass: true });
      expect(writeCount).toMatchObject({ actual: counts['/write'], pass: true });
      // over every step the slow write is a third of the requests: p95 is the write's 150 ms
      expect(totalP95!.pass).toBe(false);
      expect(reporters.terminal(result, { color: false })).toContain('p95 < 100ms {kind=read}');
    } finally {
      await server.close();
    }
  });
});

function web(): string {
  return 'web';
}

describe('per-flow iterations', () => {
  it('counts each flow\'s iterations and their durations; a flow:NAME SLO judges them', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('ok'), 20));
    try {
      const text = `target: ${server.url}
load:
  - { iterations: 10, vus: 2 }
flows:
  - name: checkout
    steps:
      - get: /a
      - think: 30ms
      - get: /b
slo:
  - "flow:checkout: p50 >= 60ms"
  - "flow:checkout: requests <= 10"
  - { expr: p99 < 10s, endpoint: "flow:checkout" }
`;
      const plan = await parseScenario(text, '/flows.yml', { env: {} });
      const engine = new Engine(plan);
      const run = await engine.run();
      const result = buildResult(plan, engine.aggregator.summarize(run.durationMs), { startedAt: run.startedAt, durationMs: run.durationMs, flows: run.flows });
      expect(server.requests()).toBe(20);
      expect(result.flows).toHaveLength(1);
      expect(result.flows![0]).toMatchObject({ name: 'checkout', iterations: 10, completed: 10 });
      // two 20 ms requests and a 30 ms think: every iteration takes at least 70 ms
      expect(result.flows![0]!.durationMs.min).toBeGreaterThanOrEqual(69);
      expect(result.slo.map((s) => [s.endpoint, s.pass])).toEqual([
        ['flow:checkout', true],
        ['flow:checkout', true],
        ['flow:checkout', true],
      ]);
      expect(result.slo[1]!.actual).toBe(10);
    } finally {
      await server.close();
    }
  });
});

describe('--tag k=v on the command line', () => {
  it('tags every step (over the scenario\'s own tag of the same key), a tagged SLO judges by it, result.json endpoints carry it', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ensureBuilt, runCli, tempDir } = await import('./helpers/cli.js');
    await ensureBuilt();
    const dir = tempDir('bench-tag-');
    const counts: Record<string, number> = {};
    const server = await startServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      counts[path] = (counts[path] ?? 0) + 1;
      res.end('ok');
    });
    try {
      const file = join(dir.path, 'tagged.yml');
      writeFileSync(
        file,
        `load:
  - { iterations: 10, vus: 2 }
flows:
  - name: shop
    tags: { env: dev }
    steps:
      - { name: list, get: /list, tags: { kind: read } }
      - { name: buy, post: /write }
slo:
  - { expr: requests >= 1, tags: { env: staging } }
  - { expr: requests >= 1, tags: { env: staging, kind: read } }
  - { expr: p95 < 10s, tags: { env: staging } }
`,
      );
      const out = join(dir.path, 'out');
      const run = await runCli(['run', file, '--target', server.url, '--tag', 'env=staging', '--tag', 'build=a=1', '--out', out, '--quiet'], { timeoutMs: 20_000 });
      expect(run.code, run.stderr).toBe(0);
      expect(counts).toEqual({ '/list': 10, '/write': 10 });
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
      expect(result.endpoints.map((e: { name: string; tags?: unknown }) => [e.name, e.tags])).toEqual([
        ['list', { env: 'staging', kind: 'read', build: 'a=1' }],
        ['buy', { env: 'staging', build: 'a=1' }],
      ]);
      const [all, reads, p95] = result.slo;
      expect(all).toMatchObject({ tags: { env: 'staging' }, actual: counts['/list']! + counts['/write']!, pass: true });
      expect(reads).toMatchObject({ actual: counts['/list'], pass: true });
      expect(p95.pass).toBe(true);

      // without the flag the scenario's own env=dev stands: the staging SLOs have nothing to judge
      const plain = await runCli(['run', file, '--target', server.url, '--out', join(dir.path, 'plain'), '--quiet'], { timeoutMs: 20_000 });
      expect(plain.code).toBe(1);
      const plainResult = JSON.parse(readFileSync(join(dir.path, 'plain', 'result.json'), 'utf8'));
      expect(plainResult.endpoints[1].tags).toEqual({ env: 'dev' });
      expect(plainResult.slo[0].actual).toBeNull();
    } finally {
      await server.close();
      dir.remove();
    }
  });

  it('bad syntax is one line naming the flag, exit 2', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ensureBuilt, runCli, tempDir } = await import('./helpers/cli.js');
    await ensureBuilt();
    const dir = tempDir('bench-tag-');
    try {
      const file = join(dir.path, 's.yml');
      writeFileSync(file, 'target: http://127.0.0.1:9\nload:\n  - { duration: 1s, rate: 1/s }\nflows:\n  - steps:\n      - get: /x\n');
      for (const bad of ['foo', '=x', '']) {
        const run = await runCli(['run', file, '--tag', bad, '--out', join(dir.path, 'out')]);
        expect(run.code, run.stderr).toBe(2);
        const lines = run.stderr.trim().split('\n');
        expect(lines, run.stderr).toHaveLength(1);
        expect(lines[0]).toMatch(/^bench: --tag ".*": write KEY=VALUE/);
      }
    } finally {
      dir.remove();
    }
  });
});

describe('tagged SLOs outside bench run\'s end-of-run judgement', () => {
  it('a capacity probe judges a tagged SLO over the tagged steps (server counts), not "no data"', async () => {
    const { judgeSlos } = await import('../src/capacity/probe.js');
    const counts: Record<string, number> = {};
    const server = await startServer((req, res) => {
      const path = (req.url ?? '').split('?')[0]!;
      counts[path] = (counts[path] ?? 0) + 1;
      setTimeout(() => res.end('ok'), path === '/write' ? 150 : 0);
    });
    try {
      const text = `target: ${server.url}
load:
  - { iterations: 8, vus: 4 }
flows:
  - steps:
      - { name: list, get: /list, tags: { kind: read } }
      - { name: buy, post: /write }
slo:
  - { expr: p95 < 100ms, tags: { kind: read } }
  - { expr: error_rate < 1%, tags: { kind: read } }
`;
      const plan = await parseScenario(text, '/probe.yml', { env: {} });
      const engine = new Engine(plan);
      const run = await engine.run();
      const [p95, errors] = judgeSlos(plan, engine.aggregator.summarize(run.durationMs));
      expect(counts).toEqual({ '/list': 8, '/write': 8 });
      // over the reads only (the 150 ms write would fail it); a tagged SLO with no data would fail too
      expect(p95).toMatchObject({ tags: { kind: 'read' }, pass: true });
      expect(p95!.actual).not.toBeNull();
      expect(errors).toMatchObject({ actual: 0, pass: true });
    } finally {
      await server.close();
    }
  });

  it('an abortOnFail tagged SLO is not judged live on the totals (the slow untagged step must not stop the run)', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ensureBuilt, runCli, tempDir } = await import('./helpers/cli.js');
    await ensureBuilt();
    const dir = tempDir('bench-tag-abort-');
    const server = await startServer((req, res) => setTimeout(() => res.end('ok'), (req.url ?? '').startsWith('/write') ? 150 : 0));
    try {
      const file = join(dir.path, 'abort.yml');
      writeFileSync(
        file,
        `load:
  - { duration: 3s, vus: 2 }
flows:
  - steps:
      - { name: list, get: /list, tags: { kind: read } }
      - { name: buy, post: /write }
slo:
  - { expr: p95 < 100ms, tags: { kind: read }, abortOnFail: true }
`,
      );
      const out = join(dir.path, 'out');
      const run = await runCli(['run', file, '--target', server.url, '--out', out, '--quiet'], { timeoutMs: 30_000 });
      const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
      expect(result.stopReason, run.stderr).toBeUndefined();
      expect(run.code, run.stderr).toBe(0);
      expect(result.slo[0]).toMatchObject({ tags: { kind: 'read' }, pass: true });
      expect(result.totals.requests).toBe(server.requests());
    } finally {
      await server.close();
      dir.remove();
    }
  });
});
