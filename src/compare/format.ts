// Number formatting shared by every comparison renderer, so terminal, markdown and html read the same.
import type { ComparisonSection, MetricRow } from './types.js';

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

/** An endpoint found in one run has nothing to be judged against: no verdict shown. */
export function verdictText(section: ComparisonSection, row: MetricRow): string {
  return section.onlyIn ? DASH : row.verdict;
}

function fixed(ms: number): string {
  return ms >= 100 ? ms.toFixed(1) : ms.toFixed(2);
}

function sign(n: number): string {
  if (n > 0) return '+';
  return n < 0 ? '-' : '\u00b1';
}
