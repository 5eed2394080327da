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
