// Test 2: the stall test. A loopback server stalls the first 1 s of every 5 s; bench runs the open
// model at 200/s for 10 s; its p50/p90/p99 against the analytic truth and against autocannon (closed
// loop, 50 connections, same overall rate: it shows coordinated omission).
import { join } from 'node:path';
import { runAutocannon, runBench, ROOT } from './generators.mjs';
import { startHelper, stopChild } from './proc.mjs';
import { analyticPercentile, percentile, trueLatencies } from './truth.mjs';
import { fmt, pct, table } from './stats.mjs';

const RATE = 200;
const PERCENTILES = [50, 90, 99];

export async function stallTest({ cli, seconds }) {
  const { child, info } = await startHelper(['node', join(ROOT, 'bench/lib/stall-server.mjs')], { core: 0 });
  const target = `http://127.0.0.1:${info.port}`;
  try {
    process.stderr.write('stall: bench …\n');
    const bench = await runBench(cli, { name: 'stall', target, load: `{ duration: ${seconds}s, rate: ${RATE}/s }`, timeout: '10s' });
    process.stderr.write('stall: autocannon …\n');
    const ac = await runAutocannon({ target, seconds, connections: 50, rate: RATE });
    const r = bench.result;
    const serviceMs = r.totals.serviceTimeMs.p50;
    const durationMs = seconds * 1000;
    const exact = trueLatencies({ startMs: Date.parse(r.startedAt), rate: RATE, durationMs, originMs: info.originMs, cycleMs: info.cycleMs, stallMs: info.stallMs, serviceMs });
    const rows = PERCENTILES.map((p) => {
      const truth = percentile(exact, p);
      const analytic = analyticPercentile(p, { cycleMs: info.cycleMs, stallMs: info.stallMs, serviceMs });
      const mine = r.totals.latencyMs[`p${p}`];
      const theirs = ac.result.latency[`p${p}`];
      return [`p${p}`, fmt(analytic, 1), fmt(truth, 1), fmt(mine, 1), pct(mine / truth - 1), fmt(theirs, 1), pct(theirs / truth - 1)];
    });
    const within = [90, 99].every((p) => Math.abs(r.totals.latencyMs[`p${p}`] / percentile(exact, p) - 1) <= 0.1);
    const markdown = [
      `### 2. Stall test — server stalls 1 s of every 5 s, ${RATE}/s for ${seconds} s`,
      '',
      table(['percentile', 'analytic (ms)', 'exact truth for this run (ms)', 'bench (ms)', 'bench vs truth', 'autocannon (ms)', 'autocannon vs truth'], rows),
      '',
      `- bench: ${r.totals.requests} requests, ${r.totals.errors} errors, ${r.totals.dropped} dropped, service time p50 ${fmt(serviceMs, 2)} ms (used as the truth's service time); schedule lag p99 ${fmt(r.scheduleLagMs.p99, 2)} ms.`,
      `- autocannon (\`-c 50 -R ${RATE}\`, closed loop): ${ac.requests} requests — arrivals during a stall are never sent, so its percentiles miss the waiting (coordinated omission).`,
      `- Target (p90 and p99 within 10% of the truth): **${within ? 'met' : 'NOT met'}**.`,
    ].join('\n');
    return { markdown, within };
  } finally {
    await stopChild(child);
  }
}
