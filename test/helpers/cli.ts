// Runs the real CLI (`node bin/bench.js …`) as a child process, the way users and CI do.
// Every run has a hard timeout; on timeout only this helper's own child is killed, by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH_BIN = join(REPO_ROOT, 'bin', 'bench.js');
export const CLI_FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'cli');
const COMPILED_MAIN = join(REPO_ROOT, 'dist', 'cli', 'main.js');

export interface CliResult {
  /** exit code; null when the child was killed by a signal (e.g. our timeout) */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export interface CliOptions {
  /** extra environment variables, layered over a clean copy of ours (NO_COLOR always set) */
  env?: Record<string, string | undefined>;
  /** hard limit; the child gets SIGKILL after it (default 30 s) */
  timeoutMs?: number;
  cwd?: string;
  /** called once the child is spawned, e.g. to send it SIGINT later */
  onSpawn?: (child: ChildProcess) => void;
}

/** `bench <args…>`: resolves when the child exits (or is killed at the timeout). Never rejects on exit codes. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return runNode([BENCH_BIN, ...args], options);
}

/** `node <nodeArgs…>` under the same rules as runCli (clean env, hard timeout, own child only). */
export function runNode(nodeArgs: string[], options: CliOptions = {}): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, {
    cwd: options.cwd ?? REPO_ROOT,
    env: cliEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }, timeoutMs);
  options.onSpawn?.(child);
  return new Promise((resolvePromise, reject) => {
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    // 'close' (not 'exit'): stdout and stderr are fully read by then.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, durationMs: performance.now() - started, timedOut });
    });
  });
}

/** CI variables of the machine running the tests must not leak into the runs under test. */
function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR', 'BENCH_SEGMENT']) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * The CLI runs from dist/. Another engineer's `npm run build` may be halfway through deleting and
 * rewriting it, so wait a little for it to come back rather than fail on a race.
 */
export async function ensureBuilt(waitMs = 20_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!existsSync(COMPILED_MAIN)) {
    if (Date.now() > deadline) throw new Error(`${COMPILED_MAIN} is missing: run \`npm run build\` first`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A fresh temp directory and its cleanup. */
export function tempDir(prefix = 'bench-cli-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export function readJson<T = any>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function fixture(name: string): string {
  return join(CLI_FIXTURES, name);
}

/** A stack trace line, as Node prints them: "    at fn (file:line:col)". */
export const STACK_LINE = /^\s+at .+[:(]/m;
