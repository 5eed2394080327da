// `bench init` in a user's project: the schema modeline must resolve from where the file is written
// (yaml-language-server reads it relative to the YAML file), and the header names that file.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempDir } from './helpers/cli.js';

const INSTALLED_SCHEMA = join('node_modules', 'slo-bench', 'schema', 'scenario.schema.json');

function modelinePath(text: string): string {
  const m = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
  expect(m, 'modeline').not.toBeNull();
  return m![1]!;
}

describe('bench init in a project that installed the package', () => {
  const dirs: { remove(): void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('points the modeline at node_modules/slo-bench/schema from a nested folder, and names the file', async () => {
    const project = tempDir('bench-init-project-');
    dirs.push(project);
    mkdirSync(join(project.path, dirname(INSTALLED_SCHEMA)), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'schema', 'scenario.schema.json'), join(project.path, INSTALLED_SCHEMA));
    mkdirSync(join(project.path, 'load'));

    const init = await runCli(['init', 'load/api.yml'], { cwd: project.path, timeoutMs: 10_000 });
    expect(init.code, init.stderr).toBe(0);
    const text = readFileSync(join(project.path, 'load', 'api.yml'), 'utf8');
    const schema = modelinePath(text);
    expect(schema).toBe('../node_modules/slo-bench/schema/scenario.schema.json');
    expect(existsSync(resolve(project.path, 'load', schema))).toBe(true);
    expect(text).toContain('bench run load/api.yml');
    expect(text).toContain('bench validate load/api.yml');
  });

  it('before the install, the modeline points where `npm i -D slo-bench` will put the schema', async () => {
    const project = tempDir('bench-init-bare-');
    dirs.push(project);
    const init = await runCli(['init', 'api.yml'], { cwd: project.path, timeoutMs: 10_000 });
    expect(init.code, init.stderr).toBe(0);
    const text = readFileSync(join(project.path, 'api.yml'), 'utf8');
    expect(modelinePath(text)).toBe('./node_modules/slo-bench/schema/scenario.schema.json');
    expect(text).toContain('bench run api.yml');
  });

  it('creates the folder it writes into (bench init load/api.yml in a new project, as the README has it)', async () => {
    const project = tempDir('bench-init-mkdir-');
    dirs.push(project);
    const init = await runCli(['init', 'load/api.yml'], { cwd: project.path, timeoutMs: 10_000 });
    expect(init.code, init.stderr).toBe(0);
    expect(modelinePath(readFileSync(join(project.path, 'load', 'api.yml'), 'utf8'))).toBe('../node_modules/slo-bench/schema/scenario.schema.json');
  });

  it('a place it cannot write to is one line naming the file and why, exit 3 — not an internal error', async () => {
    const project = tempDir('bench-init-unwritable-');
    dirs.push(project);
    writeFileSync(join(project.path, 'load'), 'a file, not a folder\n');
    const init = await runCli(['init', 'load/api.yml'], { cwd: project.path, timeoutMs: 10_000 });
    expect(init.code).toBe(3);
    expect(init.stderr.trim()).toMatch(/^bench: could not write load\/api\.yml: .*\((EEXIST|ENOTDIR)\)$/);
    expect(init.stderr).not.toMatch(/internal error/);
  });

  it('a folder the kernel will not create (under /proc) is one line and exit 3, never a hang', async () => {
    // Node's recursive mkdirSync loops forever on /proc/<missing>/ (mkdir says ENOENT while /proc exists).
    const init = await runCli(['init', '/proc/bench-no-such-folder/s.yml'], { timeoutMs: 10_000 });
    expect(init.code, 'bench init hung (killed at the timeout)').toBe(3);
    expect(init.stderr.trim()).toMatch(/^bench: could not write \/proc\/bench-no-such-folder\/s\.yml: .*\(ENOENT\)$/);
  });
});
