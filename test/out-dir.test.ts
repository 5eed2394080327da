import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { prepareOutDir } from '../src/cli/out-dir.js';
import { fixture, runCli } from './helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'bench-outdir-'));
const cwd = process.cwd();
afterAll(() => {
  process.chdir(cwd);
  rmSync(root, { recursive: true, force: true });
});

describe('the out dir, settled before any load', () => {
  it('gives two runs in the same second their own default folders', () => {
    process.chdir(root);
    const at = Date.parse('2026-11-25T10:00:00Z');
    const first = prepareOutDir(undefined, 'api', at);
    const second = prepareOutDir(undefined, 'api', at);
    expect(first).toBe(join(root, 'reports/api-2026-11-25-100000'));
    expect(second).toBe(`${first}-2`);
  });

  it('refuses a file given as --out with one clear line (exit 2), instead of losing the run at the end', () => {
    const file = join(root, 'afile');
    writeFileSync(file, 'x');
    expect(() => prepareOutDir(file, 'api', Date.now())).toThrow(UsageError);
    expect(() => prepareOutDir(file, 'api', Date.now())).toThrow(/is a file, not a folder/);
  });

  it('a --out the kernel will not create (under /proc) is one line and exit 2 before any load, never a hang', async () => {
    // Node's recursive mkdirSync loops forever on /proc/<missing>/ (mkdir says ENOENT while /proc exists).
    const r = await runCli(['run', fixture('open-200.yml'), '--target', 'http://127.0.0.1:9', '--duration', '1s', '--out', '/proc/bench-no-such-folder/out'], { timeoutMs: 10_000 });
    expect(r.code, 'bench run hung (killed at the timeout)').toBe(2);
    expect(r.stderr.trim()).toMatch(/^bench: cannot write reports to \/proc\/bench-no-such-folder\/out: ENOENT$/);
  });
});
