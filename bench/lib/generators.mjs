// The three generators, each run as its own measured process. Each returns
// { requests, cpuSec, cpuUsPerReq, rps, maxRssMb, … } from its own output.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measured } from './proc.mjs';

export const ROOT = new URL('../../', import.meta.url).pathname;
const AUTOCANNON = join(ROOT, 'node_modules/autocannon/autocannon.js');

/** A scenario file in a temp dir: one GET step, the given load and connections. */
export function writeScenario({ name, target, load, connections, timeout = '10s' }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scenario-'));
  const file = join(dir, `${name}.yml`);
  const http = connections === undefined ? `{ timeout: ${timeout} }` : `{ timeout: ${timeout}, connections: ${connections} }`;
  writeFileSync(
    file,
    `name: ${name}
target: ${target}
http: ${http}
load:
  - ${load}
flows:
  - name: get
    steps:
      - name: root
        get: /
slo:
  - error_rate < 1%
`,
  );
  return { file, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** bench's own CLI (the built snapshot), --json to stdout. */
export async function runBench(cli, { name, target, load, connections, timeout }) {
  const scenario = writeScenario({ name, target, load, connections, timeout });
  const out = join(scenario.dir, 'out');
  try {
    const r = await measured(['node', cli, 'run', scenario.file, '--json', '--quiet', '--no-color', '--out', out]);
    if (!r.stdout.trim().startsWith('{')) throw new Error(`bench run failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const result = JSON.parse(r.stdout);
    const requests = result.totals.requests;
    return { tool: 'bench', requests, errors: result.totals.errors, rps: result.totals.rps, cpuSec: r.cpuSec, cpuUsPerReq: (r.cpuSec * 1e6) / requests, maxRssMb: r.maxRssMb, result };
  } finally {
    scenario.cleanup();
  }
}

/** autocannon (devDependency): closed model, `connections`, no pipelining; optional overall rate. */
export async function runAutocannon({ target, seconds, connections = 50, rate }) {
  const args = ['node', AUTOCANNON, '-c', String(connections), '-d', String(seconds), '-p', '1', '--json'];
  if (rate) args.push('-R', String(rate));
  const r = await measured([...args, `${target}/`]);
  const result = JSON.parse(r.stdout);
  const requests = result.requests.total;
  return { tool: 'autocannon', requests, errors: result.errors + result.non2xx, rps: result.requests.average, cpuSec: r.cpuSec, cpuUsPerReq: (r.cpuSec * 1e6) / requests, maxRssMb: r.maxRssMb, result };
}

/** wrk (C), 1 thread, `connections`. */
export async function runWrk({ target, seconds, connections = 50 }) {
  const r = await measured(['wrk', '-t', '1', '-c', String(connections), '-d', `${seconds}s`, `${target}/`]);
  const m = /(\d+) requests in ([\d.]+)(m?s)/.exec(r.stdout);
  if (!m) throw new Error(`wrk output not understood: ${r.stdout.slice(0, 200)}`);
  const requests = Number(m[1]);
  const secs = Number(m[2]) / (m[3] === 'ms' ? 1000 : 1);
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1] ?? 0);
  return { tool: 'wrk', requests, errors, rps: requests / secs, cpuSec: r.cpuSec, cpuUsPerReq: (r.cpuSec * 1e6) / requests, maxRssMb: r.maxRssMb };
}

/** undici's own floor: a bare Pool.dispatch loop (bench/lib/undici-floor.mjs), same connections. */
export async function runUndiciFloor({ target, seconds, connections = 50 }) {
  const r = await measured(['node', join(ROOT, 'bench/lib/undici-floor.mjs'), target, String(seconds), String(connections)]);
  const result = JSON.parse(r.stdout);
  const requests = result.completed;
  return { tool: 'undici floor', requests, errors: result.errors, rps: requests / seconds, cpuSec: r.cpuSec, cpuUsPerReq: (r.cpuSec * 1e6) / requests, maxRssMb: r.maxRssMb };
}

export function autocannonPresent() {
  return existsSync(AUTOCANNON);
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
