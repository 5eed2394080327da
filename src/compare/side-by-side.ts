// The one-line answer to "which deployment is faster?", from the totals rows of a comparison. Pure.
import { formatRelative } from './format.js';
import type { Comparison, MetricRow } from './types.js';

export function sideBySideVerdict(c: Comparison): string {
  const rows = c.totals.rows.filter((r) => !r.sameAs);
  const worse = rows.filter((r) => r.verdict === 'worse' || r.verdict === 'regression');
  const better = rows.filter((r) => r.verdict === 'better');
  const same = rows.filter((r) => r.verdict === 'no significant change');
  const unclear = rows.filter((r) => r.verdict === 'inconclusive');
  const { label: base } = c.base;
  const { label: head } = c.head;
  const parts: string[] = [];
  if (worse.length) parts.push(`worse at ${list(worse)}`);
  if (better.length) parts.push(`better at ${list(better)}`);
  if (same.length) parts.push(`no significant difference in ${same.map((r) => r.metric).join(', ')}`);
  if (unclear.length) parts.push(`too noisy to tell for ${list(unclear)}`);
  return `Verdict: ${head} vs ${base} — ${parts.join('; ')}. ${winner(base, head, worse.length, better.length)}`;
}

function list(rows: readonly MetricRow[]): string {
  return rows.map((r) => `${r.metric} (${formatRelative(r)})`).join(', ');
}

function winner(base: string, head: string, worse: number, better: number): string {
  if (worse > 0 && better === 0) return `${base} comes out ahead.`;
  if (better > 0 && worse === 0) return `${head} comes out ahead.`;
  if (worse === 0 && better === 0) return 'Neither is measurably faster.';
  return 'Each is ahead on some metrics.';
}
