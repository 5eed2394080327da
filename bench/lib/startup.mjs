// Test 9: start-up. Time to first request: from spawning the generator to the first request the server
// notes (its own clock, epoch ms like ours). Start-up CPU: the whole CPU of a run that sends a single
// request (module loading, scenario, one request, reports, exit), against the CPU of a 5 s run at
// saturation (closed model, 50 connections, nginx): that share must stay ≤ 5%. Peers: autocannon, wrk.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runAutocannon, runBench, runWrk, ROOT, writeScenario } from './generators.mjs';
import { measured, startHelper, stopChild } from './proc.mjs';
import { fmt, median, table } from './stats.mjs';

const AUTOCANNON = join(ROOT, 'node_modules/autocannon/autocannon.js');
const epochNow = () => performance.timeOrigin + performance.now();
const share100 = (x) => `${fmt(x * 100, 1)}%`;

async function report(port) {
  return (await fetch(`http://127.0.0.1:${port}/__report`)).json();
}

/** ms from spawning `argv` (pinned to core 1) to the first request the server saw; waits for the exit. */
async function timeToFirstRequest(argv, port) {
  await report(port);
  const spawned = epochNow();
  const child = spawn('taskset', ['-c', '1', ...argv], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('close', resolve));
  const { arrivals } = await report(port);
  return arrivals.length ? Math.min(...arrivals) - spawned : NaN;
}

export async function startupTest({ cli, nginx, tools, rounds = 3, saturationSeconds = 5 }) {
  const { child, info } = await startHelper(['node', join(ROOT, 'bench/lib/timed-server.mjs')], { core: 0 });
  const target = `http://127.0.0.1:${info.port}`;
  const one = writeScenario({ name: 'startup', target, load: '{ duration: 1s, rate: 1/s }' });
  const gens = [
    ['bench', ['node', cli, 'run', one.file, '--quiet', '--no-color', '--json', '--out', join(one.dir, 'out')]],
    ['autocannon', ['node', AUTOCANNON, '-c', '1', '-a', '1', '--json', `${target}/`]],
  ];
  if (tools.wrk) gens.push(['wrk', ['wrk', '-t', '1', '-c', '1', '-d', '1s', `${target}/`]]);
  const ttfr = new Map(gens.map(([n]) => [n, []]));
  const cpu = new Map(gens.map(([n]) => [n, []]));
  const rss = new Map(gens.map(([n]) => [n, []]));
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [name, argv] of gens) {
        process.stderr.write(`startup: round ${round}/${rounds} ${name} …\n`);
        ttfr.get(name).push(await timeToFirstRequest(argv, info.port));
        // wrk cannot send just one request: its CPU for a 1 s run at one connection stands in.
        const r = await measured(argv);
        cpu.get(name).push(r.cpuSec);
        rss.get(name).push(r.maxRssMb);
      }
    }
    process.stderr.write(`startup: ${saturationSeconds} s at saturation (bench, autocannon${tools.wrk ? ', wrk' : ''}) …\n`);
    const sat = { bench: await runBench(cli, { name: 'startup-sat', target: nginx.url, load: `{ duration: ${saturationSeconds}s, vus: 50 }`, connections: 50 }) };
    sat.autocannon = await runAutocannon({ target: nginx.url, seconds: saturationSeconds });
    if (tools.wrk) sat.wrk = await runWrk({ target: nginx.url, seconds: saturationSeconds });
    const rows = gens.map(([name]) => {
      const t = median(ttfr.get(name));
      const c = median(cpu.get(name));
      const share = c / sat[name].cpuSec;
      return [name, fmt(t, 0), ttfr.get(name).map((x) => fmt(x, 0)).join(', '), fmt(c * 1000, 0), cpu.get(name).map((x) => fmt(x * 1000, 0)).join(', '), fmt(median(rss.get(name)), 1), fmt(sat[name].cpuSec, 2), share100(share)];
    });
    const b = median(ttfr.get('bench'));
    const share = median(cpu.get('bench')) / sat.bench.cpuSec;
    const ratios = gens.filter(([n]) => n !== 'bench').map(([n]) => `bench ÷ ${n}: time to first request ${fmt(b / median(ttfr.get(n)), 2)}×, start-up CPU ${fmt(median(cpu.get('bench')) / median(cpu.get(n)), 2)}×`);
    const markdown = [
      `### 9. Start-up — time to first request and the CPU of a one-request run (${rounds} interleaved rounds, medians), against a ${saturationSeconds} s run at saturation`,
      '',
      table(['generator', 'time to first request ms', 'rounds ms', 'CPU of a one-request run ms', 'rounds ms', 'peak RSS MB', `CPU of a ${saturationSeconds} s saturating run s`, 'start-up share of it'], rows),
      '',
      ...ratios.map((r) => `- ${r}.`),
      `- bench's start-up is ${share100(share)} of the CPU of a ${saturationSeconds} s run at saturation (target ≤ 5%: **${share <= 0.05 ? 'met' : 'NOT met'}**). A one-request run is the whole fixed cost: node, module loading, the scenario, reports written, exit. wrk's row is a 1 s run on one connection (it has no request count).`,
      '- Time to first request: from the spawn (through `taskset`) to the first request the server noted on its own clock.',
    ].join('\n');
    return { markdown };
  } finally {
    one.cleanup();
    await stopChild(child);
  }
}
