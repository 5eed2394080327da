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
