// Test 4: peak RSS of each generator's process (GNU time), at 2,000 requests/s and at saturation
// (closed model, 50 connections), for a short and a long run: bench must stay ≤ 60 MB and flat with run
// length (no per-request arrays). Peers run the short length only (their memory is not under test):
// autocannon at both loads, wrk at saturation (it has no rate option).
import { runAutocannon, runBench, runWrk } from './generators.mjs';
import { fmt, int, pct, table } from './stats.mjs';

const LIMIT_MB = 60;

export async function rssTest({ cli, nginx, tools, durations, rate = 2000 }) {
  const rows = [];
  const verdicts = [];
  const [short] = durations;
  for (const load of ['rate', 'saturation']) {
    const label = load === 'rate' ? `${int(rate)}/s` : 'saturation (50 connections)';
    const bench = [];
    for (const seconds of durations) {
      process.stderr.write(`rss: bench ${label} for ${seconds} s …\n`);
      const b = await runBench(cli, { name: `rss-${seconds}s`, target: nginx.url, load: load === 'rate' ? `{ duration: ${seconds}s, rate: ${rate}/s }` : `{ duration: ${seconds}s, vus: 50 }`, connections: load === 'rate' ? undefined : 50 });
      bench.push(b);
      rows.push([label, 'bench', `${seconds} s`, int(b.result.totals.requests), int(b.result.totals.errors), fmt(b.maxRssMb, 1), '', fmt(b.cpuSec, 2)]);
    }
    const peers = [];
    process.stderr.write(`rss: autocannon ${label} for ${short} s …\n`);
    peers.push(['autocannon', await runAutocannon({ target: nginx.url, seconds: short, connections: 50, rate: load === 'rate' ? rate : undefined })]);
    if (load === 'saturation' && tools?.wrk) {
      process.stderr.write(`rss: wrk ${label} for ${short} s …\n`);
      peers.push(['wrk', await runWrk({ target: nginx.url, seconds: short })]);
    }
    for (const [name, p] of peers) rows.push([label, name, `${short} s`, int(p.requests), int(p.errors), fmt(p.maxRssMb, 1), fmt(bench[0].maxRssMb / p.maxRssMb, 2), fmt(p.cpuSec, 2)]);
    const peaks = bench.map((b) => b.maxRssMb);
    const growth = peaks[peaks.length - 1] / peaks[0] - 1;
    const worst = Math.max(...peaks);
    verdicts.push(`${label}: bench peak ${fmt(worst, 1)} MB (target ≤ ${LIMIT_MB} MB: **${worst <= LIMIT_MB ? 'met' : 'NOT met'}**); ${durations[durations.length - 1]} s vs ${short} s: ${pct(growth)} (flat within +10%: **${growth <= 0.1 ? 'yes' : 'NO'}**)`);
  }
  const markdown = [
    `### 4. Peak RSS — open model at ${int(rate)}/s and closed model at saturation, against nginx`,
    '',
    table(['load', 'generator', 'run length', 'requests', 'errors', 'peak RSS MB', `bench (${short} s) ÷ this`, 'CPU s'], rows),
    '',
    ...verdicts.map((v) => `- ${v}.`),
  ].join('\n');
  return { markdown };
}
