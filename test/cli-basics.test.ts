// Acceptance: the commands around a run — init, validate, --version, --help, usage errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, STACK_LINE, ensureBuilt, fixture, runCli, tempDir } from './helpers/cli.js';

describe('bench basics', () => {
  const dir = tempDir();
  beforeAll(() => ensureBuilt());
  afterAll(() => dir.remove());

  it('bench init writes a commented starter that bench validate accepts', async () => {
    const file = join(dir.path, 'starter.yml');
    const init = await runCli(['init', file], { timeoutMs: 10_000 });
    expect(init.code, init.stderr).toBe(0);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^\s*#/m);
    const validate = await runCli(['validate', file], { timeoutMs: 10_000 });
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stderr).toContain('valid');
  });

  it('bench init refuses to overwrite an existing file without --force (exit 2)', async () => {
    const file = join(dir.path, 'starter.yml');
    const before = readFileSync(file, 'utf8');
    const again = await runCli(['init', file], { timeoutMs: 10_000 });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('bench validate lists the problem with file:line and exits 2', async () => {
    const run = await runCli(['validate', fixture('invalid.yml')], { timeoutMs: 10_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/invalid\.yml:5:\d+/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('bench --version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    const run = await runCli(['--version'], { timeoutMs: 10_000 });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it('bench --help lists every command and the exit codes', async () => {
    const run = await runCli(['--help'], { timeoutMs: 10_000 });
    expect(run.code).toBe(0);
    for (const command of ['run', 'validate', 'compare', 'merge', 'report', 'k8s', 'demo', 'init']) {
      expect(run.stdout, command).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
    expect(run.stdout).toContain('Exit codes');
  });

  it('an unknown option exits 2 with a one-line reason, no stack trace', async () => {
    for (const args of [['--bogus'], ['run', fixture('open-200.yml'), '--bogus']]) {
      const run = await runCli(args, { timeoutMs: 10_000 });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/unknown option '--bogus'/);
      expect(run.stderr).not.toMatch(STACK_LINE);
    }
  });

  it('a bad option value exits 2 naming the option', async () => {
    const run = await runCli(['run', fixture('open-200.yml'), '--workers', 'many'], { timeoutMs: 10_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^bench: --workers: "many"/m);
  });
});
