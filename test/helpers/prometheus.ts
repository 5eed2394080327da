// A real Prometheus (Debian's package) for stream tests: installed when missing (one clear error if it
// cannot be), started on a free loopback port with the remote-write receiver and native histograms,
// queried over its HTTP API, stopped by PID.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = '/usr/bin/prometheus';

export interface Prometheus {
  url: string;
  writeUrl: string;
  query(expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

const INSTALL_LOCK = join(tmpdir(), 'bench-prometheus-install.lock');

/**
 * Installs Debian's prometheus when it is missing. Test files run in parallel: one takes a lock (an
 * atomic mkdir) and runs apt-get, the others wait for it (dpkg allows one install at a time).
 */
export async function ensurePrometheusInstalled(): Promise<void> {
  const deadline = Date.now() + 600_000;
  while (!existsSync(BINARY)) {
    let owner = false;
    try {
      mkdirSync(INSTALL_LOCK);
      owner = true;
    } catch {
      // another test file is installing it
    }
    if (owner) {
      try {
        if (!existsSync(BINARY)) execFileSync('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus'], { stdio: 'pipe', timeout: 600_000 });
      } catch (err) {
        const detail = String((err as { stderr?: Buffer }).stderr ?? (err as Error).message).trim().split('\n').pop();
        throw new Error(`the stream tests need a real Prometheus: \`apt-get install -y prometheus\` failed (${detail})`);
      } finally {
        rmSync(INSTALL_LOCK, { recursive: true, force: true });
      }
      if (!existsSync(BINARY)) throw new Error(`the stream tests need a real Prometheus: ${BINARY} is missing after apt-get install prometheus`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`the stream tests need a real Prometheus: still not installed after 10 minutes (lock ${INSTALL_LOCK})`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(): Promise<Prometheus> {
  await ensurePrometheusInstalled();
  const dir = mkdtempSync(join(tmpdir(), 'bench-prom-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    BINARY,
    [`--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', '--enable-feature=native-histograms', `--storage.tsdb.path=${join(dir, 'data')}`, `--config.file=${config}`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid) {
      process.kill(child.pid, 'SIGTERM');
      const timer = setTimeout(() => child.pid && child.exitCode === null && process.kill(child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited at start: ${log.trim().split('\n').pop()}`);
    }
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready within 30 s: ${log.trim().split('\n').pop()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    writeUrl: `${url}/api/v1/write`,
    async query(expr) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error}`);
      return body.data.result;
    },
    stop,
  };
}
