// How every reporter names and judges one SLO result, so all formats say the same thing.
import type { SloResult } from '../types.js';
import { formatThresholdValue, formatUnitValue } from './format.js';

export type SloVerdict = 'pass' | 'fail' | 'deferred';

export function sloVerdict(slo: SloResult): SloVerdict {
  if (slo.deferred) return 'deferred';
  return slo.pass ? 'pass' : 'fail';
}

/** "p95 < 200ms" for totals, "p99 < 300ms [get-product]" for one endpoint. */
export function sloLabel(slo: SloResult): string {
  const tags = slo.tags ? ` {${Object.entries(slo.tags).map(([k, v]) => `${k}=${v}`).join(', ')}}` : '';
  return slo.endpoint === null ? `${slo.expr}${tags}` : `${slo.expr} [${slo.endpoint}]${tags}`;
}

/** What a deferred SLO row says: a segment's defers to the merge; a partial merge's is not judged at all. */
export function deferredText(slo: SloResult): string {
  return slo.notJudged ? `not judged (${slo.notJudged})` : 'deferred to merge';
}

export function sloActual(slo: SloResult): string {
  return formatUnitValue(slo.actual, slo.unit);
}

/** "< 200ms", ">= 100/s", "< 1%". */
export function sloThreshold(slo: SloResult): string {
  return `${slo.op} ${formatThresholdValue(slo.threshold, slo.unit)}`;
}

export function countVerdicts(slos: readonly SloResult[]): Record<SloVerdict, number> {
  const counts: Record<SloVerdict, number> = { pass: 0, fail: 0, deferred: 0 };
  for (const slo of slos) counts[sloVerdict(slo)]++;
  return counts;
}
