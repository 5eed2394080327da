// File descriptors running out on the generator (EMFILE) are the generator's limit, not the target's
// fault: bench backs off (the pool carries on with the connections it could open), charges nothing to
// the target, says so naming `ulimit -n`, and exits 3 when not a single connection could be opened.
// Real EMFILE: a child under a low descriptor limit (ulimit -n), against a loopback server that counts.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_BIN, ensureBuilt, REPO_ROOT, tempDir } from './helpers/cli.js';

const SERVER_MS = 300;
let server: http.Server;
let url = '';
let served = 0;
let open = 0;
let maxOpen = 0;

beforeAll(async () => {
  await ensureBuilt();
  server = http.createServer((_req, res) => {
    served++;
    setTimeout(() => res.end('ok'), SERVER_MS);
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** node <args> with at most `nofile` descriptors (bash's ulimit -n), a hard timeout, only our own child killed. */
function runLimited(nofile: number, args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', `ulimit -n ${nofile} && exec "$0" "$@"`, process.execPath, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', GITHUB_ACTIONS: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.pid !== undefined && process.kill(child.pid, 'SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

const STARVED = join(REPO_ROOT, 'test', 'helpers', 'fd-starved-run.mjs');

interface Starved {
  run?: { errorDetails: Record<string, string> };
  totals?: { requests: number; errors: number; dropped: number; errorKinds: Record<string, number> };
  error?: string;
  runError?: boolean;
}

async function starved(free: number, connections: number, rate: number, durationMs: number, transport = ''): Promise<Starved> {
  const out = await runLimited(256, [STARVED, url, String(free), String(connections), String(rate), String(durationMs), transport]);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Starved;
}

describe('file descriptors exhausted on the generator (EMFILE)', () => {
  it('8 descriptors free, 50 connections wanted: the pool carries on with what it could open, nothing charged to the target', async () => {
    const before = served;
    maxOpen = 0;
    const result = await starved(8, 50, 60, 1000);
    // 60 arrivals (the schedule), every one served (the server's own count), none an error of the target.
    expect(result.totals!.requests).toBe(60);
    expect(served - before).toBe(60);
    expect(result.totals!.errors).toBe(0);
    expect(maxOpen).toBeLessThanOrEqual(8);
    expect(result.run!.errorDetails.generator).toMatch(/file descriptors.*EMFILE.*ulimit -n/);
  });

  it('undici client, 8 descriptors free: every arrival served or counted as dropped (the generator could not send it), none an error of the target', async () => {
    const before = served;
    maxOpen = 0;
    const result = await starved(8, 50, 60, 1000, 'undici');
    const t = result.totals!;
    expect(t.requests + t.dropped).toBe(60);
    expect(served - before).toBe(t.requests);
    expect(t.errors).toBe(0);
    expect(maxOpen).toBeLessThanOrEqual(8);
    expect(result.run!.errorDetails.generator).toMatch(/file descriptors.*EMFILE.*ulimit -n/);
  });

  it('no descriptor free: the run cannot be carried out (RunError, exit 3), and the message names ulimit -n', async () => {
    const before = served;
    const result = await starved(0, 50, 100, 500);
    expect(served - before).toBe(0);
    expect(result.runError).toBe(true);
    expect(result.error).toMatch(/file descriptors.*ulimit -n/);
  });

  it('bench run under ulimit -n 128 with 500 connections wanted: every arrival served, no error charged to the target, one line naming ulimit -n', async () => {
    const dir = tempDir();
    try {
      const scenario = join(dir.path, 's.yml');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(scenario, `name: fd\ntarget: ${url}\nhttp: { connections: 500 }\nload:\n  - { duration: 1s, rate: 500/s }\nflows:\n  - name: f\n    steps:\n      - { name: root, get: / }\nslo:\n  - error_rate < 1%\n`);
      const before = served;
      const out = await runLimited(128, [BENCH_BIN, 'run', scenario, '--out', join(dir.path, 'out')]);
      const result = JSON.parse(readFileSync(join(dir.path, 'out', 'result.json'), 'utf8')) as { totals: { requests: number; errors: number } };
      expect(result.totals.requests).toBe(500);
      expect(served - before).toBe(500);
      expect(result.totals.errors).toBe(0);
      expect(out.stderr.split('\n').filter((l) => /ulimit -n/.test(l))).toHaveLength(1);
      expect(out.code).toBe(0);
    } finally {
      dir.remove();
    }
  });
});
