// Test 3: rate accuracy of the open model at 100, 1,000 and 5,000 requests/s against nginx.
import { runBench } from './generators.mjs';
import { fmt, int, pct, table } from './stats.mjs';

export async function rateTest({ cli, nginx, seconds, rates = [100, 1000, 5000] }) {
  const rows = [];
  let worst = 0;
  for (const rate of rates) {
    process.stderr.write(`rate: ${rate}/s …\n`);
    const b = await runBench(cli, { name: `rate-${rate}`, target: nginx.url, load: `{ duration: ${seconds}s, rate: ${rate}/s }` });
    const r = b.result;
    // Whole seconds of the timeline only: the last partial second would understate the rate.
    const full = r.timeline.filter((p) => p.second < seconds);
    const perSecond = full.reduce((s, p) => s + p.requests, 0) / Math.max(1, full.length);
    const error = r.totals.rps / rate - 1;
    worst = Math.max(worst, Math.abs(error));
    rows.push([int(rate), int(rate * seconds), int(r.totals.requests), int(r.totals.dropped), fmt(r.durationMs, 0), fmt(r.totals.rps, 1), pct(error, 2), fmt(perSecond, 1), fmt(r.scheduleLagMs.p99, 2), fmt(b.cpuSec, 2)]);
  }
  const markdown = [
    `### 3. Rate accuracy — open model against nginx, ${seconds} s per rate`,
    '',
    table(['requested /s', 'scheduled', 'completed', 'dropped', 'duration ms', 'achieved /s', 'error', 'mean per whole second', 'schedule lag p99 ms', 'CPU s'], rows),
    '',
    `- Worst rate error ${pct(worst, 2)}; target within ±1%: **${worst <= 0.01 ? 'met' : 'NOT met'}**.`,
  ].join('\n');
  return { markdown, worst };
}
