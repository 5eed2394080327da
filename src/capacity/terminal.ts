// The live line per probe, and the result of one probe in words. Pure.
import { formatMs, formatPercent, formatRate } from '../report/format.js';
import { brokenText, rateText } from './document.js';
import type { ProbeReport } from './probe.js';

/** "✓ pass", "✗ fail: error_rate < 1% (was 6.1%)", "limited by the generator: …" */
export function probeResultText(p: ProbeReport): string {
  if (p.generatorLimited) return `limited by the generator: ${p.limitedBy.join('; ')}`;
  if (p.pass) return 'pass';
  return `fail: ${brokenText(p.failed)}`;
}

/** "probe 6 · rise     320/s → achieved 318.4/s · err 6.10% · p95 3.21 ms · lag p99 0.52 ms · FAIL …" */
export function probeLine(name: string | null, p: ProbeReport): string {
  const who = name ? `${name} ` : '';
  const verdict = p.generatorLimited ? 'LIMITED' : p.pass ? 'PASS' : 'FAIL';
  const rate = rateText(p.offeredRate).padStart(9);
  const detail = p.pass ? '' : ` — ${probeResultText(p).replace(/^fail: /, '')}`;
  return `bench capacity: ${who}probe ${p.index} · ${p.kind.padEnd(7)} ${rate} → achieved ${formatRate(p.achievedRate)}/s · err ${formatPercent(p.errorRate)} · p95 ${formatMs(p.latencyMs.p95)} ms · p99 ${formatMs(p.latencyMs.p99)} ms · lag p99 ${formatMs(p.scheduleLagMs.p99)} ms · ${verdict}${detail}`;
}
