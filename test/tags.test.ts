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
