// Test 7: send precision of the open model. bench runs 200/s against a server that holds each request
// for a 1 ms timer and 5,000/s against one that answers at once; the server notes every arrival on its
// own clock. Figures: bench's own schedule lag p50/p99 (result.json), the lateness the server saw, the
// 1 ms server's p50 as bench reads it against the hold time the server measured (the truth), and the
// CPU of the run — next to autocannon at the same rate (closed loop: it has no schedule to be late
// against, so its row is the CPU and p50 peer), optionally another build of bench (--peer-cli), and at
// 200/s bench with --workers 2 (its lag p99 and first second, the timings test/cli-workers.test.ts held before).
import { join } from 'node:path';
import { runAutocannon, runBench, ROOT } from './generators.mjs';
import { startHelper, stopChild } from './proc.mjs';
import { percentileOf, serverLateness } from './lateness.mjs';
import { fmt, int, median, table } from './stats.mjs';

const CASES = [
  { rate: 200, holdMs: 1, workers: true },
  { rate: 5000, holdMs: 0 },
];
const WORKERS = 'bench --workers 2';
/** the bound test/cli-workers.test.ts held --workers to before timings moved here (issue 11: 246 ms on the old code) */
const WORKERS_LAG_P99_MS = 10;

async function report(port) {
  const res = await fetch(`http://127.0.0.1:${port}/__report`);
  return res.json();
}

const us = (ms) => fmt(ms * 1000, 0);

export async function precisionTest({ cli, seconds, rounds = 1, peerCli, peerLabel = 'peer build' }) {
  const rows = [];
  const verdicts = [];
  for (const { rate, holdMs, workers } of CASES) {
    const { child, info } = await startHelper(['env', `HOLD_MS=${holdMs}`, 'node', join(ROOT, 'bench/lib/timed-server.mjs')], { core: 0 });
    const target = `http://127.0.0.1:${info.port}`;
    try {
      const generators = [['bench', cli]];
      if (peerCli) generators.push([peerLabel, peerCli]);
      // --workers: arrivals split over worker threads that meet at a start barrier (issue 11)
      if (workers) generators.push([WORKERS, cli, ['--workers', '2']]);
      const mine = { lagP50: [], lagP99: [], p50Error: [] };
      const split = { lagP99: [], firstSecondOk: [] };
      for (let round = 1; round <= rounds; round++) {
        for (const [name, build, args] of generators) {
          process.stderr.write(`precision: ${rate}/s round ${round}/${rounds} ${name} …\n`);
          await report(info.port); // reset
          const b = await runBench(build, { name: `precision-${rate}`, target, load: `{ duration: ${seconds}s, rate: ${rate}/s }`, args });
          const server = await report(info.port);
          const late = serverLateness(server.arrivals, rate);
          const holds = Float64Array.from(server.holds).sort();
          const r = b.result;
          const truth = percentileOf(holds, 50);
          const p50Error = r.totals.latencyMs.p50 - truth;
          if (name === 'bench') {
            mine.lagP50.push(r.scheduleLagMs.p50);
            mine.lagP99.push(r.scheduleLagMs.p99);
            mine.p50Error.push(p50Error);
          }
          if (name === WORKERS) {
            split.lagP99.push(r.scheduleLagMs.p99);
            // the first second is not charged with the workers' start-up: its p99 in line with the full seconds after it
            const full = r.timeline.filter((p) => p.second > 0 && p.requests >= rate * 0.75);
            const first = r.timeline.find((p) => p.second === 0);
            split.firstSecondOk.push(first !== undefined && full.length > 0 && first.p99Ms < Math.max(...full.map((p) => p.p99Ms)) + 5);
          }
          rows.push([round, int(rate), name, int(r.totals.requests), int(server.arrivals.length), r.scheduleLagMs.p50 === undefined ? 'n/a' : us(r.scheduleLagMs.p50), us(r.scheduleLagMs.p99), us(percentileOf(late, 50)), us(percentileOf(late, 99)), fmt(r.totals.latencyMs.p50, 3), fmt(truth, 3), fmt(p50Error, 3), fmt(b.cpuSec, 2), fmt((b.cpuSec * 1e6) / r.totals.requests, 1)]);
        }
        process.stderr.write(`precision: ${rate}/s round ${round}/${rounds} autocannon …\n`);
        await report(info.port);
        const ac = await runAutocannon({ target, seconds, connections: 10, rate });
        const server = await report(info.port);
        const holds = Float64Array.from(server.holds).sort();
        const truth = percentileOf(holds, 50);
        rows.push([round, int(rate), 'autocannon -c 10 -R', int(ac.requests), int(server.arrivals.length), '–', '–', '–', '–', fmt(ac.result.latency.p50, 3), fmt(truth, 3), fmt(ac.result.latency.p50 - truth, 3), fmt(ac.cpuSec, 2), fmt(ac.cpuUsPerReq, 1)]);
      }
      const lag50 = median(mine.lagP50);
      const lag99 = median(mine.lagP99);
      if (split.lagP99.length > 0) {
        const p99 = median(split.lagP99);
        verdicts.push(`${int(rate)}/s over 2 worker threads: schedule lag p99 ${fmt(p99, 2)} ms (bound < ${WORKERS_LAG_P99_MS} ms: **${p99 < WORKERS_LAG_P99_MS ? 'met' : 'NOT met'}**); first second's p99 within 5 ms of the worst full second in ${split.firstSecondOk.filter(Boolean).length} of ${split.firstSecondOk.length} rounds`);
      }
      verdicts.push(`${int(rate)}/s: schedule lag p50 ${us(lag50)} µs (target ≤ 100: **${lag50 <= 0.1 ? 'met' : 'NOT met'}**), p99 ${us(lag99)} µs (target ≤ 1000: **${lag99 <= 1 ? 'met' : 'NOT met'}**)` + (holdMs > 0 ? `; the ${holdMs} ms server's p50 reads ${fmt(median(mine.p50Error), 3)} ms above the hold time the server measured (target ≤ 0.5 ms: **${median(mine.p50Error) <= 0.5 ? 'met' : 'NOT met'}**)` : '') + ` (medians of ${rounds} round${rounds === 1 ? '' : 's'})`);
    } finally {
      await stopChild(child);
    }
  }
  const markdown = [
    `### 7. Send precision — open model, ${seconds} s per run: 200/s against a server holding each request for a 1 ms timer, 5,000/s against one answering at once`,
    '',
    table(['round', 'rate /s', 'generator', 'requests', 'server saw', 'lag p50 µs (own)', 'lag p99 µs (own)', 'server-seen lateness p50 µs', 'p99 µs', 'latency p50 ms', 'server hold p50 ms (truth)', 'p50 − truth ms', 'CPU s', 'CPU µs/req'], rows),
    '',
    ...verdicts.map((v) => `- ${v}.`),
    '- "lag (own)": bench\'s schedule lag from result.json (when each arrival was started against its intended time). "Server-seen lateness": from the server\'s own arrival times, each sorted arrival against its slot of the evenly spaced schedule, above the earliest (start offset and loopback transit cancel out) — an independent check of the same thing. "p50 − truth": the latency p50 a generator reports minus the hold time the server measured for itself; for bench it is the generator\'s lateness plus the loopback round trip.',
    '- autocannon (`-c 10 -R rate`) is a closed loop that measures from its own send: it cannot be late against a schedule, so its row is the peer for CPU at the same rate and for the 1 ms p50. Precision costs CPU: bench\'s CPU column against autocannon\'s is that cost plus everything else bench does per request.',
  ].join('\n');
  return { markdown };
}
