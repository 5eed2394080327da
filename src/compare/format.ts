// Number formatting shared by every comparison renderer, so terminal, markdown and html read the same.
import type { Comparison, ComparisonSection, MetricRow } from './types.js';

const DASH = '\u2014';

export function formatValue(row: MetricRow, value: number | null): string {
  if (value === null) return DASH;
  if (row.unit === 'ratio') return `${(value * 100).toFixed(2)}%`;
  if (row.unit === '/s') return `${value.toFixed(1)}/s`;
  return `${fixed(value)} ms`;
}

/** head − base in the metric's unit; percentage points for the error rate. */
export function formatDelta(row: MetricRow): string {
  if (row.delta === null) return DASH;
  if (row.unit === 'ratio') return `${sign(row.delta)}${(Math.abs(row.delta) * 100).toFixed(2)}pp`;
  if (row.unit === '/s') return `${sign(row.delta)}${Math.abs(row.delta).toFixed(1)}/s`;
  return `${sign(row.delta)}${fixed(Math.abs(row.delta))} ms`;
}

export function formatRelative(row: MetricRow): string {
  if (row.relative === null) return row.delta ? 'new' : DASH;
  return `${sign(row.relative)}${(Math.abs(row.relative) * 100).toFixed(1)}%`;
}

/** What a section header says about an endpoint found in one run only. */
export function onlyInText(onlyIn: 'base' | 'head', labels: { base: string; head: string }): string {
  const label = onlyIn === 'base' ? labels.base : labels.head;
  return label === onlyIn ? `only in ${onlyIn}` : `only in ${onlyIn}: ${label}`;
}

/** An endpoint found in one run has nothing to be judged against: no verdict shown. A row that repeats
 * another says which; a metric no bound names says it is not gated. */
export function verdictText(section: ComparisonSection, row: MetricRow): string {
  if (section.onlyIn) return DASH;
  if (row.sameAs) return `${row.verdict} (= ${row.sameAs})`;
  return row.gated ? row.verdict : `${row.verdict} (not gated)`;
}

/** Which test decided, on how much data: "Welch's t on 3 base + 3 head rounds · 6 gated metrics · α 5% family-wise". */
export function testLine(comparison: Comparison): string {
  const { kind, samples, family, alpha } = comparison.test;
  const data = {
    rounds: `Welch's t on ${samples.base} base + ${samples.head} head rounds`,
    blocks: `Welch's t on ${samples.base} + ${samples.head} within-run blocks (no run-to-run noise estimate: use --rounds)`,
    sampling: `z-test on sampling error of ${samples.base} + ${samples.head} requests (no run-to-run noise estimate: use --rounds)`,
    'bound-only': 'no noise estimate: the bound alone',
  }[kind];
  return `${data} \u00b7 ${family} gated metric${family === 1 ? '' : 's'} tested \u00b7 \u03b1 ${alpha * 100}% family-wise (Bonferroni)`;
}

function fixed(ms: number): string {
  return ms >= 100 ? ms.toFixed(1) : ms.toFixed(2);
}

function sign(n: number): string {
  if (n > 0) return '+';
  return n < 0 ? '-' : '\u00b1';
}
