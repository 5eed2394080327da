// `bench demo` as the README's first command runs it: both topologies, both summaries, the comparison,
// the files, and no process left behind.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempDir, STACK_LINE } from './helpers/cli.js';

/** PIDs of demo service processes on this machine (their command line names the compiled entry). */
function demoProcesses(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/demo/service-main.js');
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('bench demo', () => {
  it('loads both topologies, prints both summaries and the comparison, writes reports, stops its processes', async () => {
    await ensureBuilt();
    const before = new Set(demoProcesses());
    const dir = tempDir('bench-demo-');
    const out = join(dir.path, 'demo');
    const run = await runCli(['demo', '--rounds', '1', '--out', out], { timeoutMs: 60_000 });
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/monolith up at http:\/\/127\.0\.0\.1:\d+/);
    expect(run.stderr).toMatch(/microservices up at http:\/\/127\.0\.0\.1:\d+ \(4 processes\)/);
    expect(run.stderr).toMatch(/── monolith \(1 round\) ──/);
    expect(run.stderr).toMatch(/── microservices \(1 round\) ──/);
    expect(run.stderr).toMatch(/bench compare {2}base: monolith .* vs {2}head: microservices/);
    for (const file of ['monolith/result.json', 'microservices/result.json', 'comparison.json', 'comparison.md', 'comparison.html']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const mono = JSON.parse(readFileSync(join(out, 'monolith', 'result.json'), 'utf8')) as { totals: { requests: number; errors: number } };
    expect(mono.totals.requests).toBeGreaterThan(1000);
    expect(mono.totals.errors).toBe(0);
    const left = demoProcesses().filter((pid) => !before.has(pid));
    expect(left).toEqual([]);
    dir.remove();
  });
});
