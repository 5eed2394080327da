// The only place that starts and ends demo child processes. It kills exactly the PIDs it forked:
// on stop(), and on this process's exit as a last resort.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ServiceConfig } from './config.js';

// Resolves to dist/demo/ from src/demo/ (tests) and from dist/demo/ (the built CLI) alike.
const ENTRY = new URL('../../dist/demo/service-main.js', import.meta.url);
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3000;

export interface RunningService {
  role: string;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(escalate);
}

function waitForReady(child: ChildProcess, role: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      cleanup();
      reject(new Error(`demo ${role} service did not start: ${reason}`));
    };
    const onMessage = (message: ChildMessage) => {
      cleanup();
      if (message.type === 'ready') resolve(message.port);
      else fail(message.message);
    };
    const onExit = (code: number | null) => fail(`exited with code ${code}`);
    const onError = (error: Error) => fail(error.message);
    const timer = setTimeout(() => fail(`no answer within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.on('error', onError);
  });
}

/** Forks dist/demo/service-main.js as `config.role` and resolves once it listens. */
export async function startService(config: ServiceConfig): Promise<RunningService> {
  if (!existsSync(ENTRY)) {
    throw new Error(`${fileURLToPath(ENTRY)} is missing: run \`npm run build\` first`);
  }
  killAllOnExit();
  // execArgv [] : the parent may run under a test runner's loader flags the child must not inherit.
  const child = fork(ENTRY, [config.role], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  // A failed send or kill (child already gone) surfaces as 'exit' or the ready timeout; left
  // unhandled, the 'error' event would crash the caller instead.
  child.on('error', () => undefined);
  const ready = waitForReady(child, config.role);
  child.send({ type: 'config', config });
  try {
    const port = await ready;
    return { role: config.role, pid: child.pid!, url: `http://127.0.0.1:${port}`, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
