// Memory before the first request is mostly code: bench must load only what the command needs
// (issue 18). What a process loads is read from a resolve hook in the child, not from timings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_BIN, REPO_ROOT, ensureBuilt, fixture, runNode, tempDir } from './helpers/cli.js';

const HOOK = join(REPO_ROOT, 'test/helpers/list-modules.mjs');
const BUILTINS = join(REPO_ROOT, 'test/helpers/list-builtins.cjs');
const dir = tempDir('bench-modules-');
let n = 0;

/** The module URLs a `node <args…>` process resolved, relative to the repository. */
async function modulesLoadedBy(args: string[], hook: 'modules' | 'builtins' = 'modules'): Promise<{ code: number | null; modules: string[]; stderr: string }> {
  const file = join(dir.path, `modules-${n++}.txt`);
  const r = await runNode([...(hook === 'modules' ? ['--import', HOOK] : ['--require', BUILTINS]), ...args], { env: { LIST_MODULES_FILE: file } });
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    /* nothing resolved */
  }
  const modules = [...new Set(text.split('\n').filter(Boolean))].map((u) => u.replace(`file://${REPO_ROOT}/`, ''));
  return { code: r.code, modules, stderr: r.stderr };
}

describe('what bench loads', () => {
  beforeAll(() => ensureBuilt());
  afterAll(() => dir.remove());

  it("the histogram module loads hdr-histogram-js's JS histogram only: not its WebAssembly build, not pako", async () => {
    // CommonJS files (hdr-histogram-js is CJS) are listed in require.cache, however they were reached.
    const script = `await import(${JSON.stringify(join(REPO_ROOT, 'dist/metrics/histogram.js'))});
      const { createRequire } = await import('node:module');
      process.stdout.write(Object.keys(createRequire(import.meta.url).cache).join('\\n'));`;
    const r = await runNode(['--input-type=module', '-e', script]);
    expect(r.code, r.stderr).toBe(0);
    const cjs = r.stdout.split('\n').map((f) => f.replace(`${REPO_ROOT}/`, ''));
    expect(cjs).toContain('node_modules/hdr-histogram-js/dist/Int32Histogram.js');
    expect(cjs.filter((m) => /hdr-histogram-js\/dist\/(wasm\/|index\.js)|node_modules\/pako\/|@assemblyscript/.test(m))).toEqual([]);
  });

  it('`bench validate` loads no other command: no demo, compare, merge, k8s or init modules', async () => {
    const r = await modulesLoadedBy([BENCH_BIN, 'validate', fixture('open-200.yml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.modules).toContain('dist/cli/validate-command.js');
    const others = r.modules.filter((m) => /^dist\/(demo|compare|merge|k8s)\/|^dist\/cli\/(run|ab|compare|merge|k8s|demo|init|report)-command\.js$/.test(m));
    expect(others).toEqual([]);
  });

  it('`bench run` of one target loads neither the A/B command nor compare/merge/demo/k8s', async () => {
    // The run fails fast (nothing listens on port 9), after the run command was loaded.
    const r = await modulesLoadedBy([BENCH_BIN, 'run', fixture('open-200.yml'), '--target', 'http://127.0.0.1:9', '--duration', '1s', '--quiet', '--out', join(dir.path, 'run-out')]);
    expect(r.modules, r.stderr).toContain('dist/cli/run-command.js');
    expect(r.modules.filter((m) => /^dist\/(demo|compare|merge|k8s)\/|^dist\/cli\/(ab|compare|merge|k8s|demo|init|report|validate)-command\.js$/.test(m))).toEqual([]);
  });

  it('`bench run` of an http target never loads undici (about 20 MB; only https, HTTP/2 and --preflight need it)', async () => {
    const r = await modulesLoadedBy([BENCH_BIN, 'run', fixture('open-200.yml'), '--target', 'http://127.0.0.1:9', '--duration', '1s', '--quiet', '--out', join(dir.path, 'run-out-undici')]);
    expect(r.modules, r.stderr).toContain('dist/cli/run-command.js');
    expect(r.modules.filter((m) => m.includes('node_modules/undici/'))).toEqual([]);
  });

  it('`bench run` loads csv-parse, jsonpath-plus and worker_threads only for the scenarios that use them (data files, JSONPath filters, --workers)', async () => {
    const run = (out: string, hook?: 'builtins') => modulesLoadedBy([BENCH_BIN, 'run', fixture('open-200.yml'), '--target', 'http://127.0.0.1:9', '--duration', '1s', '--quiet', '--out', join(dir.path, out)], hook);
    const files = await run('run-out-lazy');
    expect(files.modules, files.stderr).toContain('dist/cli/run-command.js');
    expect(files.modules.filter((m) => /node_modules\/(csv-parse|jsonpath-plus)\//.test(m))).toEqual([]);
    const builtins = await run('run-out-builtins', 'builtins');
    expect(builtins.modules, builtins.stderr).toContain('node:net'); // the list has the built-ins a run does load
    expect(builtins.modules).not.toContain('node:worker_threads');
  });

  it('`bench --version` loads no command at all', async () => {
    const r = await modulesLoadedBy([BENCH_BIN, '--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.modules.filter((m) => /^dist\/cli\/.*-command\.js$/.test(m))).toEqual([]);
  });
});
