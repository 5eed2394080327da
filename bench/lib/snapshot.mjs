// The CLI under test is a private snapshot of the build: teammates rebuilding dist/ mid-run (it is
// deleted and recompiled) must not break a 6-minute benchmark.
import { cpSync, existsSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './generators.mjs';

export function snapshotCli({ compile = false } = {}) {
  const snap = join(ROOT, '.bench-tmp/snapshot');
  rmSync(snap, { recursive: true, force: true });
  mkdirSync(snap, { recursive: true });
  const dist = join(ROOT, 'dist');
  if (!compile && existsSync(join(dist, 'cli/main.js'))) cpSync(dist, join(snap, 'dist'), { recursive: true });
  if (!existsSync(join(snap, 'dist/cli/main.js'))) {
    process.stderr.write(compile ? 'compiling the CLI under test from src/ …\n' : 'dist/ missing or incomplete: compiling a private build …\n');
    spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(snap, 'dist')], { stdio: 'inherit' });
  }
  if (!existsSync(join(snap, 'dist/cli/main.js'))) throw new Error('no build of the CLI: run `npm run build` first');
  // dist/version.js reads ../package.json; node_modules resolve from the repository root above.
  copyFileSync(join(ROOT, 'package.json'), join(snap, 'package.json'));
  // The entry users run (bin/bench.js: it sets up the process before loading the CLI), not a stand-in.
  mkdirSync(join(snap, 'bin'));
  const cli = join(snap, 'bin/bench.js');
  copyFileSync(join(ROOT, 'bin/bench.js'), cli);
  return cli;
}
