import { describe, expect, it } from 'vitest';
import { progressLine, type ProgressSource } from '../src/cli/progress.js';

const source = (elapsedMs: number, dropped = 0): ProgressSource => ({
  progress: () => ({ elapsedMs, totalMs: 10_000, phase: 1, inFlight: 7 }),
  totals: () => ({ requests: 1234, errors: 5, dropped }),
  lastSecond: () => ({ requests: 200, p95Ms: 12.345 }),
});

describe('progress line', () => {
  it('shows elapsed/total, phase, last-second rate and p95, totals, errors and in-flight', () => {
    const line = progressLine(source(2500), 'api', false);
    expect(line).toBe('api 2.5s/10s · phase 2 · 200 req/s · p95 12.3 ms · 1234 requests · 5 errors · 7 in flight');
  });

  it('draws a bar on a terminal, filled in proportion, and names dropped arrivals when there are any', () => {
    const line = progressLine(source(5000, 3), 'api', true);
    expect(line).toContain(`[${'█'.repeat(10)}${'░'.repeat(10)}]`);
    expect(line).toMatch(/· 3 dropped$/);
  });
});

describe('progress line before the first response', () => {
  it('shows "—" for the rate and p95, not 0 req/s and p95 0.0 ms', () => {
    const empty: ProgressSource = {
      progress: () => ({ elapsedMs: 300, totalMs: 10_000, phase: 0, inFlight: 3 }),
      totals: () => ({ requests: 0, errors: 0, dropped: 0 }),
      lastSecond: () => ({ requests: 0, p95Ms: 0 }),
    };
    const line = progressLine(empty, 'api', false);
    expect(line).toBe('api 0.3s/10s · phase 1 · — req/s · p95 — · 0 requests · 0 errors · 3 in flight');
  });
});

describe('progress on a stderr that is not a terminal (CI logs)', () => {
  it('refreshes every second, one line each, and shows "—" until the first response', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { ensureBuilt, runCli, tempDir } = await import('./helpers/cli.js');
    const { startServer } = await import('./helpers/servers.js');
    await ensureBuilt();
    const dir = tempDir('bench-progress-');
    // Every response is held until the first progress line is out: that line cannot have seen one.
    const held: Array<() => void> = [];
    let released = false;
    const release = (): void => {
      released = true;
      for (const answer of held.splice(0)) answer();
    };
    const server = await startServer((_req, res) => (released ? res.end('ok') : held.push(() => res.end('ok'))));
    try {
      const file = join(dir.path, 'p.yml');
      writeFileSync(file, 'name: prog\nload:\n  - { duration: 4s, rate: 5/s }\nflows:\n  - steps:\n      - get: /x\nslo:\n  - error_rate < 100%\n');
      let seen = '';
      const run = await runCli(['run', file, '--target', server.url, '--out', join(dir.path, 'out')], {
        timeoutMs: 30_000,
        onSpawn: (child) =>
          child.stderr!.on('data', (chunk: Buffer | string) => {
            seen += String(chunk);
            if (!released && / req\/s /.test(seen)) release();
          }),
      });
      expect(run.code, run.stderr).toBe(0);
      const lines = run.stderr.split('\n').filter((l) => l.startsWith('prog ') && l.includes(' req/s '));
      // one plain line per refresh (no carriage returns), at least one per second of a 4 s run
      expect(lines.length, run.stderr).toBeGreaterThanOrEqual(3);
      expect(run.stderr).not.toContain('\r');
      expect(lines[0]).toContain('· — req/s · p95 — · 0 requests');
      // once answered, the line counts them: the last line's total is at most what the server received
      const last = Number(/· (\d+) requests ·/.exec(lines.at(-1)!)![1]);
      expect(last).toBeGreaterThan(0);
      expect(last).toBeLessThanOrEqual(server.requests());
    } finally {
      release();
      await server.close();
      dir.remove();
    }
  });
});
