// Ordering of the count maps (status codes, error kinds, failed checks) shared by every reporter.
import type { FailureSample, RunResult } from '../types.js';

export type CountEntry = [key: string, count: number];

/** Code-unit order: the same on every machine, and no ICU collator loaded for it (localeCompare
 * touched ~3 MB of the node binary's locale data for an ordering of ASCII names). */
const byKey = (a: CountEntry, b: CountEntry): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Status codes in numeric order: the reader scans for 2xx/4xx/5xx. */
export function statusEntries(counts: Record<string, number>): CountEntry[] {
  return nonZero(counts).sort((a, b) => Number(a[0]) - Number(b[0]) || byKey(a, b));
}

/** Error kinds and checks, most frequent first. */
export function byFrequency(counts: Record<string, number>): CountEntry[] {
  return nonZero(counts).sort((a, b) => b[1] - a[1] || byKey(a, b));
}

export interface FailedCheck {
  endpoint: string;
  check: string;
  count: number;
}

/** Failed checks per endpoint (where the fix is); the totals' checks when no endpoint lists any. */
/** The recorded failures of one endpoint's check (result.json endpoints[].failures). */
export function samplesOf(result: RunResult, endpoint: string, check: string): FailureSample[] {
  return (result.endpoints.find((e) => e.name === endpoint)?.failures ?? []).filter((s) => s.check === check);
}

/** `expected 2 (number), got "2" (string) · status 200` */
export function sampleText(s: FailureSample): string {
  return `expected ${s.expected}, got ${s.actual} · status ${s.status}`;
}

export function failedChecks(result: RunResult): FailedCheck[] {
  const perEndpoint = result.endpoints.flatMap((e) =>
    byFrequency(e.checks ?? {}).map(([check, count]) => ({ endpoint: e.name, check, count })),
  );
  if (perEndpoint.length > 0) return perEndpoint;
  return byFrequency(result.totals.checks ?? {}).map(([check, count]) => ({ endpoint: 'TOTAL', check, count }));
}

function nonZero(counts: Record<string, number> | undefined): CountEntry[] {
  return Object.entries(counts ?? {}).filter(([, n]) => n > 0);
}
