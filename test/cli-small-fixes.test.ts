// Small CLI fixes from issue 16: each one is what a first-hour user trips over.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, runCli, tempDir } from './helpers/cli.js';

const dir = tempDir('bench-small-');
afterAll(() => dir.remove());

describe('--target without a scheme', () => {
  it('is blamed on the command line, not on a line of the file, with the likely fix', async () => {
    await ensureBuilt();
    const file = join(dir.path, 's.yml');
    writeFileSync(file, 'target: http://127.0.0.1:9\nload:\n  - { duration: 1s, rate: 1/s }\nflows:\n  - steps:\n      - get: /x\n');
    const run = await runCli(['run', file, '--target', '127.0.0.1:8080', '--out', join(dir.path, 'out')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--target "127.0.0.1:8080" is not an http(s) URL (did you mean http://127.0.0.1:8080?)');
    expect(run.stderr).not.toContain('s.yml:1');
  });
});

describe('a scenario without load:', () => {
  it('runs with --rate and --duration (server count = rate × duration), and --rate alone says the duration it keeps', async () => {
    const { startServer } = await import('./helpers/servers.js');
    const server = await startServer();
    try {
      const file = join(dir.path, 'noload.yml');
      writeFileSync(file, 'flows:\n  - steps:\n      - get: /x\nslo:\n  - error_rate < 1%\n');
      const run = await runCli(['run', file, '--target', server.url, '--rate', '20', '--duration', '1s', '--out', join(dir.path, 'o1')], { timeoutMs: 20_000 });
      expect(run.code, run.stderr).toBe(0);
      expect(server.requests()).toBe(20);
      const withFile = join(dir.path, 'withload.yml');
      writeFileSync(withFile, 'load:\n  - { duration: 1s, rate: 5/s }\nflows:\n  - steps:\n      - get: /x\nslo:\n  - error_rate < 1%\n');
      const kept = await runCli(['run', withFile, '--target', server.url, '--rate', '10', '--out', join(dir.path, 'o2')], { timeoutMs: 20_000 });
      expect(kept.stderr).toContain('bench: --rate 10 without --duration runs for 1s');
      expect(server.requests()).toBe(30);
      // without --rate/--vus the file still needs its load
      const refused = await runCli(['validate', file]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('missing required key "load"');
    } finally {
      await server.close();
    }
  });
});

describe('bench compare DIR DIR', () => {
  it('accepts run folders (their result.json) as well as files', async () => {
    const { copyFileSync, mkdirSync } = await import('node:fs');
    const { REPO_ROOT } = await import('./helpers/cli.js');
    const a = join(dir.path, 'runA');
    const b = join(dir.path, 'runB');
    for (const d of [a, b]) {
      mkdirSync(d, { recursive: true });
      copyFileSync(join(REPO_ROOT, 'test', 'fixtures', 'results', 'passing.json'), join(d, 'result.json'));
    }
    const run = await runCli(['compare', a, b]);
    expect(run.stderr).not.toContain('EISDIR');
    expect(run.code, run.stderr).toBe(0);
    const missing = await runCli(['compare', dir.path, b]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${dir.path}: a folder without a result.json`);
  });
});

describe('demo --serve on a busy port', () => {
  it('says which port is taken and exits 2', async () => {
    const { startServer } = await import('./helpers/servers.js');
    const busy = await startServer();
    try {
      const port = new URL(busy.url).port;
      const run = await runCli(['demo', '--serve', '--topology', 'monolith', '--port', port], { timeoutMs: 20_000 });
      expect(run.timedOut).toBe(false);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--port ${port}: 127.0.0.1:${port} is already in use`);
    } finally {
      await busy.close();
    }
  });
});

describe('two steps with the same name', () => {
  it('get a warning at bench validate (they share one endpoint row)', async () => {
    const file = join(dir.path, 'dup.yml');
    writeFileSync(file, 'load:\n  - { duration: 1s, rate: 1/s }\nflows:\n  - steps:\n      - { name: a, get: /x }\n      - { name: a, get: /y }\n      - { name: b, get: /z }\n');
    const run = await runCli(['validate', file]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('warning: flows[0].steps[1]: "a" is also the name of flows[0].steps[0]: both are counted in one endpoint row');
    expect(run.stderr).not.toContain('"b" is also');
  });
});
