// `bench demo` ends with a quick capacity search of both topologies, bounded so the demo stays under a minute.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, readJson, runCli, STACK_LINE, tempDir } from './helpers/cli.js';
import type { CapacityDocument } from '../src/capacity/document.js';

describe('bench demo: capacity', () => {
  it('prints both topologies’ capacity (or their bracket) and writes capacity.json for both', async () => {
    await ensureBuilt();
    const dir = tempDir('bench-demo-capacity-');
    const out = join(dir.path, 'demo');
    try {
      const run = await runCli(['demo', '--rounds', '1', '--out', out], { timeoutMs: 60_000 });
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/bench demo: capacity — short 1 s probes/);
      expect(run.stderr).toMatch(/^bench capacity: monolith probe 1 /m);
      expect(run.stderr).toMatch(/^bench capacity: microservices probe 1 /m);
      const file = join(out, 'capacity', 'capacity.json');
      expect(existsSync(file)).toBe(true);
      const doc = readJson<CapacityDocument>(file);
      expect(doc.targets.map((t) => t.name)).toEqual(['monolith', 'microservices']);
      for (const t of doc.targets) {
        expect(t.probes.length).toBeGreaterThanOrEqual(1);
        expect(run.stderr).toContain(`bench capacity: ${t.name} ${t.message}`);
      }
      // One verdict line names both.
      expect(run.stderr).toContain(`bench capacity: ${doc.verdict}`);
      expect(doc.verdict).toMatch(/^monolith .*microservices /);
      // The search is bounded by its --max-time (20 s) plus at most one probe's drain.
      expect(doc.settings.maxTimeMs).toBe(20_000);
      for (const f of ['capacity.md', 'capacity.html', 'junit.xml']) expect(existsSync(join(out, 'capacity', f)), f).toBe(true);
    } finally {
      dir.remove();
    }
  }, 70_000);
});
