// Running generators as measured child processes: pinned to one core, CPU and peak RSS read by
// GNU time at exit (user + sys of the process itself, not a micro-loop inside it).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TIME_BIN = '/usr/bin/time';

/** true when `cmd` is on the PATH (or an existing absolute path). */
export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Run `argv` pinned to `core`, measured by GNU time. Resolves with stdout, stderr, exit code and
 * cpuSec (user + sys), userSec, sysSec, maxRssMb.
 */
export function measured(argv, { core = 1, env = process.env, cwd } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const timeFile = join(dir, 'time.txt');
  const full = [TIME_BIN, '-f', '%U %S %M', '-o', timeFile, 'taskset', '-c', String(core), ...argv];
  return new Promise((resolve, reject) => {
    const child = spawn(full[0], full.slice(1), { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      let times = '';
      try {
        times = readFileSync(timeFile, 'utf8').trim().split('\n').pop();
      } catch {
        /* reported below as NaN */
      }
      rmSync(dir, { recursive: true, force: true });
      const [user, sys, rssKb] = times.split(/\s+/).map(Number);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        userSec: user,
        sysSec: sys,
        cpuSec: user + sys,
        maxRssMb: rssKb / 1024,
      });
    });
  });
}

/** Start a long-lived helper process; resolves once it printed its first stdout line (parsed as JSON). */
export function startHelper(argv, { core } = {}) {
  const full = core === undefined ? argv : ['taskset', '-c', String(core), ...argv];
  const child = spawn(full[0], full.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk) => {
      buffered += chunk;
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      child.stdout.off('data', onData);
      try {
        resolve({ child, info: JSON.parse(buffered.slice(0, nl)) });
      } catch (e) {
        child.kill();
        reject(e);
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${argv.join(' ')} exited early (${code})`)));
  });
}

/** Stop a child we started, by its own pid, and wait for it to go. */
export function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.removeAllListeners('error');
    child.kill('SIGTERM');
  });
}
