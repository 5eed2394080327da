// Ordering of the count maps (status codes, error kinds, failed checks) shared by every reporter.
import type { RunResult } from '../types.js';

export type CountEntry = [key: string, count: number];

/** Status codes in numeric order: the reader scans for 2xx/4xx/5xx. */
export function statusEntries(counts: Record<string, number>): CountEntry[] {
  return nonZero(counts).sort((a, b) => Number(a[0]) - Number(b[0]) || a[0].localeCompare(b[0]));
}

/** Error kinds and checks, most frequent first. */
export function byFrequency(counts: Record<string, number>): CountEntry[] {
  return nonZero(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export interface FailedCheck {
  endpoint: string;
  check: string;
  count: number;
}

/** Failed checks per endpoint (where the fix is); the totals' checks when no endpoint lists any. */
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
