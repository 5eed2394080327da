// The three generators, each run as its own measured process. Each returns
// { requests, cpuSec, cpuUsPerReq, rps, maxRssMb, … } from its own output.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measured } from './proc.mjs';

export const ROOT = new URL('../../', import.meta.url).pathname;
const AUTOCANNON = join(ROOT, 'node_modules/autocannon/autocannon.js');

/** A scenario file in a temp dir: one GET step, the given load and connections. */
export function writeScenario({ name, target, load, connections, timeout = '10s', pipelining }) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-scenario-'));
  const file = join(dir, `${name}.yml`);
  const options = [`timeout: ${timeout}`];
  if (connections !== undefined) options.push(`connections: ${connections}`);
  if (pipelining !== undefined) options.push(`pipelining: ${pipelining}`);
  const http = `{ ${options.join(', ')} }`;
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
export async function runBench(cli, { name, target, load, connections, timeout, pipelining, args = [] }) {
  const scenario = writeScenario({ name, target, load, connections, timeout, pipelining });
  const out = join(scenario.dir, 'out');
  try {
    const r = await measured(['node', cli, 'run', scenario.file, '--json', '--quiet', '--no-color', '--out', out, ...args]);
    if (!r.stdout.trim().startsWith('{')) throw new Error(`bench run failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const result = JSON.parse(r.stdout);
    const requests = result.totals.requests;
    return { tool: 'bench', requests, errors: result.totals.errors, rps: result.totals.rps, cpuSec: r.cpuSec, cpuUsPerReq: (r.cpuSec * 1e6) / requests, maxRssMb: r.maxRssMb, result };
  } finally {
    scenario.cleanup();
  }
}

/** autocannon (devDependency): closed model, `connections`, `pipelining` deep (1: none); optional overall rate. */
export async function runAutocannon({ target, seconds, connections = 50, rate, pipelining = 1 }) {
  const args = ['node', AUTOCANNON, '-c', String(connections), '-d', String(seconds), '-p', String(pipelining), '--json'];
  if (rate) args.push('-R', String(rate));
  const r = await measured([...args, `${target}/`]);
  const result = JSON.parse(r.stdout);
  const requests = result.requests.total;
  return { tool: 'autocannon', requests, errors: result.errors + result.non2xx, rps: result.requests.average, cpuSec: r.cpuSec, cpuUsPerReq: (r.cpuSec * 1e6) / requests, maxRssMb: r.maxRssMb, result };
}

/**
 * wrk's own pipelining script (its scripts/pipeline.lua): `depth` requests written back to back as one
 * request string; wrk parses and counts each response.
 */
function wrkPipelineScript(depth) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
  const file = join(dir, 'pipeline.lua');
  writeFileSync(file, `init = function(args)\n  local r = {}\n  for i = 1, ${depth} do r[i] = wrk.format(nil, "/") end\n  req = table.concat(r)\nend\nrequest = function() return req end\n`);
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** wrk (C), 1 thread, `connections`; with `pipelining` > 1 through wrk's pipeline script. */
export async function runWrk({ target, seconds, connections = 50, pipelining = 1 }) {
  const script = pipelining > 1 ? wrkPipelineScript(pipelining) : null;
  const r = await measured(['wrk', '-t', '1', '-c', String(connections), '-d', `${seconds}s`, ...(script ? ['-s', script.file] : []), `${target}/`]).finally(() => script?.cleanup());
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

/**
 * Node's own floor: 50 bare `net` sockets, one write per request and one 'data' event per response, no
 * HTTP parsing and nothing recorded (bench/lib/node-floor.mjs). No generator in Node goes below it.
 */
export async function runNodeFloor({ target, seconds, connections = 50 }) {
  const r = await measured(['node', join(ROOT, 'bench/lib/node-floor.mjs'), target, String(seconds), String(connections)]);
  const result = JSON.parse(r.stdout);
  const requests = result.completed;
  return { tool: 'node floor', requests, errors: 0, rps: requests / seconds, cpuSec: r.cpuSec, cpuUsPerReq: (r.cpuSec * 1e6) / requests, maxRssMb: r.maxRssMb };
}

export function autocannonPresent() {
  return existsSync(AUTOCANNON);
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}
