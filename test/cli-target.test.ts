// --target replaces the file's target, even one written as ${TARGET} that is not set; --quiet still
// names a failed SLO.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, tempDir } from './helpers/cli.js';
import { startServer } from './helpers/servers.js';

describe('bench run --target over target: ${TARGET}', () => {
  it('runs against the flag without needing TARGET, and --quiet prints only the failed SLO', async () => {
    await ensureBuilt();
    const server = await startServer((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const dir = tempDir('bench-target-');
    const file = join(dir.path, 'env-target.yml');
    writeFileSync(file, 'target: ${TARGET}\nload: [{ duration: 500ms, rate: 10/s }]\nflows: [{ steps: [{ get: / }] }]\nslo: [error_rate < 50%]\n');
    try {
      const run = await runCli(['run', file, '--target', server.url, '--quiet', '--out', join(dir.path, 'out')], { env: { TARGET: undefined } });
      expect(run.code).toBe(1);
      expect(server.requests()).toBe(5);
      expect(run.stderr.trim()).toBe('bench: SLO failed: error_rate < 50% — actual 100.00%, threshold 50.00%');
    } finally {
      await server.close();
      dir.remove();
    }
  });
});
