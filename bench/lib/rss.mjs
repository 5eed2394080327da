// Test 4: peak RSS of bench's process at 2,000 requests/s for a short and a long run: memory must stay
// under 200 MB and flat with run length (no per-request arrays).
import { runBench } from './generators.mjs';
import { fmt, int, table } from './stats.mjs';

export async function rssTest({ cli, nginx, durations, rate = 2000 }) {
  const rows = [];
  const peaks = [];
  for (const seconds of durations) {
    process.stderr.write(`rss: ${seconds} s at ${rate}/s …\n`);
    const b = await runBench(cli, { name: `rss-${seconds}s`, target: nginx.url, load: `{ duration: ${seconds}s, rate: ${rate}/s }` });
    peaks.push(b.maxRssMb);
    rows.push([`${seconds} s`, int(b.result.totals.requests), int(b.result.totals.errors), fmt(b.maxRssMb, 1), fmt(b.cpuSec, 2)]);
  }
  const growth = peaks[peaks.length - 1] / peaks[0] - 1;
  const under = peaks.every((p) => p < 200);
  const markdown = [
    `### 4. Peak RSS — open model, ${int(rate)}/s against nginx`,
    '',
    table(['run length', 'requests', 'errors', 'peak RSS MB', 'CPU s'], rows),
    '',
    `- Longest vs shortest run: ${growth >= 0 ? '+' : ''}${fmt(growth * 100, 1)}% peak RSS; under 200 MB: **${under ? 'yes' : 'NO'}**.`,
  ].join('\n');
  return { markdown, peaks };
}
