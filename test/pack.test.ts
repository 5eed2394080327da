// The package as a user gets it: `npm pack`, installed into an empty project (`npm i ./slo-bench-x.y.z.tgz`,
// dependencies from npm's cache), then `npx bench init`, `validate`, `run` against a loopback server and
// `demo` — from node_modules, never from this clone.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO_ROOT } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/servers.js';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A user's shell: none of the npm_* variables of the `npm test` running us. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && !['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR', 'BENCH_SEGMENT', 'INIT_CWD'].includes(name)) env[name] = value;
  }
  return env;
}

/** Runs a command to completion (async: the loopback server must keep answering); SIGKILL at the timeout. */
function exec(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Ran> {
  const child = spawn(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), timeoutMs);
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

const bench = (args: string[], cwd: string, timeoutMs = 30_000) => exec('npx', ['--no-install', 'bench', ...args], cwd, timeoutMs);

describe(`the packed ${pkg.name}, installed into an empty project`, () => {
  let work = '';
  let project = '';
  let server: TestServer;
  let tarball = '';

  beforeAll(async () => {
    await ensureBuilt();
    work = mkdtempSync(join(tmpdir(), 'bench-pack-'));
    // --ignore-scripts: the suite has just built dist/; `prepare` would rebuild it under the other tests.
    const packed = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO_ROOT, 60_000);
    expect(packed.code, packed.stderr).toBe(0);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    expect(filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
    tarball = join(work, filename);

    project = join(work, 'project');
    await exec('mkdir', [project], work, 5_000);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    // The dependencies as a user gets them: npm's cache (this clone's `npm ci` filled it with the same
    // tarballs), the npm registry only for what the cache lacks (package metadata on a fresh machine).
    const installed = await exec('npm', ['i', '-D', '--prefer-offline', '--no-audit', '--no-fund', join(work, filename)], project, 120_000);
    expect(installed.code, installed.stderr).toBe(0);
    server = await startServer((_req, res) => res.end('ok'));
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships the CLI, the schema, the examples and typings — not the sources or tests', () => {
    const root = join(project, 'node_modules', pkg.name);
    for (const file of ['bin/bench.js', 'dist/cli/main.js', 'dist/index.js', 'dist/index.d.ts', 'schema/scenario.schema.json', 'scenarios/demo.yml', 'README.md']) {
      expect(existsSync(join(root, file)), file).toBe(true);
    }
    for (const absent of ['src', 'test', 'tsconfig.json', '.ci']) expect(existsSync(join(root, absent)), absent).toBe(false);
    expect(existsSync(join(project, 'node_modules', '.bin', 'bench'))).toBe(true);
  });

  it('npm publish --dry-run is clean: no warning beyond the missing login a dry run cannot have', async () => {
    const ran = await exec('npm', ['publish', '--dry-run', '--ignore-scripts'], REPO_ROOT, 60_000);
    expect(ran.code, ran.stderr).toBe(0);
    const warnings = `${ran.stdout}\n${ran.stderr}`.split('\n').filter((line) => /npm (warn|error)/i.test(line) && !/requires you to be logged in/.test(line));
    expect(warnings).toEqual([]);
    expect(ran.stdout + ran.stderr).toContain(`${pkg.name}@${pkg.version}`);
  });

  it('imports as an ES module: the version (the typings come with it)', async () => {
    const ran = await exec('node', ['--input-type=module', '-e', `import { VERSION } from '${pkg.name}'; console.log(VERSION)`], project, 15_000);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout.trim()).toBe(pkg.version);
    expect(readFileSync(join(project, 'node_modules', pkg.name, 'dist', 'index.d.ts'), 'utf8')).toMatch(/RunResult/);
  });

  it('npx bench init writes a scenario whose schema modeline resolves, and bench validate accepts it', async () => {
    const init = await bench(['init', 'api.yml'], project);
    expect(init.code, init.stderr).toBe(0);
    const text = readFileSync(join(project, 'api.yml'), 'utf8');
    const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];
    expect(schema).toBe(`./node_modules/${pkg.name}/schema/scenario.schema.json`);
    expect(existsSync(resolve(project, schema!))).toBe(true);
    const validate = await bench(['validate', 'api.yml'], project);
    expect(validate.code, validate.stderr).toBe(0);
  });

  it('npx bench run against a loopback server writes result.json, counting what the server saw', async () => {
    writeFileSync(
      join(project, 'load.yml'),
      ['load:', '  - { duration: 1s, rate: 20/s }', 'flows:', '  - steps:', '      - { name: root, get: / }', 'slo:', '  - error_rate < 1%', ''].join('\n'),
    );
    const before = server.requests();
    const run = await bench(['run', 'load.yml', '--target', server.url, '--out', 'out', '--quiet'], project);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(project, 'out', 'result.json'), 'utf8')) as { tool: { version: string }; totals: { requests: number; errors: number } };
    expect(result.tool.version).toBe(pkg.version);
    expect(result.totals.requests).toBe(server.requests() - before);
    expect(result.totals.requests).toBe(20);
    expect(result.totals.errors).toBe(0);
  });

  it('runs without an install: `npx slo-bench` (its one bin) and `npx -p slo-bench bench`', async () => {
    const empty = mkdtempSync(join(work, 'npx-'));
    const direct = await exec('npx', ['--yes', '--prefer-offline', `file:${tarball}`, '--version'], empty, 120_000);
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout.trim()).toBe(pkg.version);
    const named = await exec('npx', ['--yes', '--prefer-offline', '-p', `file:${tarball}`, 'bench', '--version'], empty, 120_000);
    expect(named.code, named.stderr).toBe(0);
    expect(named.stdout.trim()).toBe(pkg.version);
  }, 240_000);

  it('npx bench demo runs the built-in backend from the installed package', async () => {
    const demo = await bench(['demo', '--topology', 'monolith', '--out', 'demo'], project, 90_000);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stderr).toMatch(/monolith up at http:\/\/127\.0\.0\.1:\d+/);
    const files = readdirSync(join(project, 'demo'), { recursive: true }).map(String);
    expect(files).toContain('result.json');
    const result = JSON.parse(readFileSync(join(project, 'demo', 'result.json'), 'utf8')) as { totals: { requests: number } };
    expect(result.totals.requests).toBeGreaterThan(0);
  }, 120_000);
});
