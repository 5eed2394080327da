// Pipelining (issue 18): HTTP/1.1 pipelining 10 deep on 50 connections against nginx, closed model —
// bench (`http.pipelining: 10`, 500 users sharing 50 connections), wrk with its pipeline script, and
// autocannon -p 10, interleaved per round. A benchmark mode: latency then includes head-of-line waiting.
import { autocannonPresent, runAutocannon, runBench, runWrk } from './generators.mjs';
import { fmt, int, median, table } from './stats.mjs';

const DEPTH = 10;
const CONNECTIONS = 50;
const GOAL_RPS = 100_000;

export async function pipeliningTest({ cli, nginx, tools, seconds, rounds, notes }) {
  const generators = [['bench', () => runBench(cli, { name: 'pipelining', target: nginx.url, load: `{ duration: ${seconds}s, vus: ${DEPTH * CONNECTIONS} }`, connections: CONNECTIONS, pipelining: DEPTH })]];
  if (tools.wrk) generators.push(['wrk (pipeline.lua)', () => runWrk({ target: nginx.url, seconds, connections: CONNECTIONS, pipelining: DEPTH })]);
  else notes.push('pipelining: wrk missing, its rows are skipped');
  if (autocannonPresent()) generators.push(['autocannon -p 10', () => runAutocannon({ target: nginx.url, seconds, connections: CONNECTIONS, pipelining: DEPTH })]);
  const rows = [];
  const benchRps = [];
  const ratios = new Map(generators.slice(1).map(([name]) => [name, []]));
  for (let round = 1; round <= rounds; round++) {
    const byTool = {};
    for (const [name, run] of generators) {
      process.stderr.write(`pipelining: round ${round}/${rounds} ${name} …\n`);
      byTool[name] = await run();
    }
    benchRps.push(byTool.bench.rps);
    for (const [name] of generators) {
      const r = byTool[name];
      const ratio = name === 'bench' ? NaN : byTool.bench.cpuUsPerReq / r.cpuUsPerReq;
      if (name !== 'bench') ratios.get(name).push(ratio);
      const retries = name === 'bench' ? int(r.result.http?.retries ?? 0) : '–';
      rows.push([round, name, int(r.requests), int(r.rps), int(r.errors), retries, fmt(r.cpuSec, 2), fmt(r.cpuUsPerReq, 1), Number.isNaN(ratio) ? '' : fmt(ratio, 2), fmt(r.maxRssMb, 0)]);
    }
  }
  const rps = median(benchRps);
  const markdown = [
    `### 1b. Pipelining — nginx \`return 200\`, closed model, ${CONNECTIONS} connections × ${DEPTH} deep, ${seconds} s per run, ${rounds} interleaved rounds`,
    '',
    table(['round', 'generator', 'requests', 'req/s', 'errors', 'retries', 'CPU s (user+sys)', 'CPU µs/req', 'bench ÷ this', 'peak RSS MB'], rows),
    '',
    `- bench pipelined: median **${int(rps)} req/s** (rounds: ${benchRps.map((x) => int(x)).join(', ')}); goal ≥ ${int(GOAL_RPS)} req/s from one core: ${rps >= GOAL_RPS ? '**met**' : '**NOT met**'}.`,
    ...[...ratios].map(([name, xs]) => `- bench / ${name} CPU per request: median ratio **${fmt(median(xs), 2)}** (rounds: ${xs.map((x) => fmt(x, 2)).join(', ')})`),
    '- bench: `http: { connections: 50, pipelining: 10 }` and 500 users, so every connection has ten requests written back to back; wrk: its pipeline script (ten requests as one write); autocannon: `-c 50 -p 10`.',
  ].join('\n');
  return { markdown };
}
