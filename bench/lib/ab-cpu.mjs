// A/B of two bench builds: generator CPU µs per request against nginx (closed model, 50 connections,
// no pipelining), A and B interleaved A B A B … so a shared machine's drift hits both alike; the ratio
// B/A per round and its median. Uses the suite's own pieces (nginx on core 0, generator pinned to core 1).
//   node bench/lib/ab-cpu.mjs <A bin/bench.js> <B bin/bench.js> [seconds=5] [rounds=5]
import { startNginx } from './nginx.mjs';
import { runBench } from './generators.mjs';
import { fmt, int, median, table } from './stats.mjs';

const [a, b, secondsArg, roundsArg] = process.argv.slice(2);
if (!a || !b) throw new Error('usage: node bench/lib/ab-cpu.mjs <A bench.js> <B bench.js> [seconds] [rounds]');
const seconds = Number(secondsArg ?? 5);
const rounds = Number(roundsArg ?? 5);
const nginx = await startNginx();
const rows = [];
const ratios = [];
try {
  for (let round = 1; round <= rounds; round++) {
    const byBuild = {};
    for (const [name, cli] of [['A', a], ['B', b]]) {
      process.stderr.write(`ab-cpu: round ${round}/${rounds} ${name} …\n`);
      byBuild[name] = await runBench(cli, { name: 'cpu', target: nginx.url, load: `{ duration: ${seconds}s, vus: 50 }`, connections: 50 });
    }
    const ratio = byBuild.B.cpuUsPerReq / byBuild.A.cpuUsPerReq;
    ratios.push(ratio);
    for (const name of ['A', 'B']) {
      const r = byBuild[name];
      rows.push([round, name, int(r.requests), int(r.rps), int(r.errors), fmt(r.cpuUsPerReq, 1), name === 'B' ? fmt(ratio, 3) : '', fmt(r.maxRssMb, 0)]);
    }
  }
} finally {
  await nginx.stop();
}
process.stdout.write(`${table(['round', 'build', 'requests', 'req/s', 'errors', 'CPU µs/req', 'B ÷ A', 'peak RSS MB'], rows)}\n\nB / A CPU per request: median **${fmt(median(ratios), 3)}** (rounds: ${ratios.map((x) => fmt(x, 3)).join(', ')})\n`);
