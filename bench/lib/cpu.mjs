// Test 1: generator CPU µs per completed request and requests/s against nginx, closed model,
// 50 connections, no pipelining; bench, autocannon and wrk interleaved A B C A B C, ratio per round.
import { runAutocannon, runBench, runNodeFloor, runUndiciFloor, runWrk } from './generators.mjs';
import { fmt, int, median, table } from './stats.mjs';

export async function cpuTest({ cli, nginx, tools, seconds, rounds, notes }) {
  const generators = [['bench', () => runBench(cli, { name: 'cpu', target: nginx.url, load: `{ duration: ${seconds}s, vus: 50 }`, connections: 50 })]];
  generators.push(['autocannon', () => runAutocannon({ target: nginx.url, seconds })]);
  if (tools.wrk) generators.push(['wrk', () => runWrk({ target: nginx.url, seconds })]);
  else notes.push('cpu: wrk missing, its column is skipped');
  // Not a competitor: the undici floor shows how much of bench's cost is its HTTP client.
  generators.push(['undici floor', () => runUndiciFloor({ target: nginx.url, seconds })]);
  // Nor this: Node's floor (bare sockets, no parsing) — what any Node generator costs at the least.
  generators.push(['node floor', () => runNodeFloor({ target: nginx.url, seconds })]);
  const rows = [];
  const ratios = { autocannon: [], wrk: [], 'undici floor': [], 'node floor': [] };
  /** Node's floor against wrk, per round: the part of the gap to wrk that no Node generator can close */
  const floorVsWrk = [];
  for (let round = 1; round <= rounds; round++) {
    const byTool = {};
    for (const [name, run] of generators) {
      process.stderr.write(`cpu: round ${round}/${rounds} ${name} …\n`);
      byTool[name] = await run();
    }
    for (const [name] of generators) {
      const r = byTool[name];
      const ratio = name === 'bench' ? '' : fmt(byTool.bench.cpuUsPerReq / r.cpuUsPerReq, 2);
      if (name !== 'bench') ratios[name].push(byTool.bench.cpuUsPerReq / r.cpuUsPerReq);
      rows.push([round, name, int(r.requests), int(r.rps), int(r.errors), fmt(r.cpuSec, 2), fmt(r.cpuUsPerReq, 1), ratio, fmt(r.maxRssMb, 0)]);
    }
    if (byTool.wrk && byTool['node floor']) floorVsWrk.push(byTool['node floor'].cpuUsPerReq / byTool.wrk.cpuUsPerReq);
  }
  const summary = Object.entries(ratios)
    .filter(([, xs]) => xs.length > 0)
    .map(([name, xs]) => `bench / ${name} CPU per request: median ratio **${fmt(median(xs), 2)}** (rounds: ${xs.map((x) => fmt(x, 2)).join(', ')})`);
  const markdown = [
    `### 1. Generator CPU per request — nginx \`return 200\`, closed model, 50 connections, ${seconds} s per run, ${rounds} interleaved rounds`,
    '',
    table(['round', 'generator', 'requests', 'req/s', 'errors', 'CPU s (user+sys)', 'CPU µs/req', 'bench ÷ this', 'peak RSS MB'], rows),
    '',
    ...summary.map((s) => `- ${s}`),
    ...goals(ratios, floorVsWrk),
  ].join('\n');
  return { markdown, ratios };
}

/** Issue 18's CPU goals, judged on the medians of the rounds above. */
function goals(ratios, floorVsWrk) {
  const verdict = (xs, bound) => (xs.length === 0 ? 'not measured' : median(xs) <= bound ? '**met**' : '**NOT met**');
  const lines = [`- Goal bench ÷ wrk ≤ 1.5: ${verdict(ratios.wrk, 1.5)}; bench ÷ autocannon ≤ 0.6: ${verdict(ratios.autocannon, 0.6)}.`];
  if (floorVsWrk.length > 0)
    lines.push(`- Node's floor ÷ wrk: median **${fmt(median(floorVsWrk), 2)}** (rounds: ${floorVsWrk.map((x) => fmt(x, 2)).join(', ')}) — bare sockets with no parsing already cost that much more than wrk per request; bench ÷ node floor is what bench adds on top.`);
  return lines;
}
