// Totals and per-endpoint stats of several results, added exactly: counters sum and HDR histograms add
// bucket by bucket, so merged percentiles are those of one histogram fed every request (never averaged).
import type { EndpointStats, RunResult, Stats } from '../types.js';
import { addStats } from '../metrics/add-stats.js';


/** Endpoints matched by name, in first-seen order across the results. */
export function mergeEndpoints(results: ReadonlyArray<Pick<RunResult, 'endpoints'>>, durationMs: number): EndpointStats[] {
  const byName = new Map<string, Stats[]>();
  const tags = new Map<string, Record<string, string>>();
  for (const result of results) {
    for (const endpoint of result.endpoints) {
      if (endpoint.tags) tags.set(endpoint.name, endpoint.tags);
      const parts = byName.get(endpoint.name) ?? [];
      parts.push(endpoint);
      byName.set(endpoint.name, parts);
    }
  }
  return [...byName.entries()].map(([name, parts]) => ({ name, ...addStats(parts, durationMs), ...(tags.has(name) ? { tags: tags.get(name)! } : {}) }));
}

/** Generator lateness across results. */
export function mergeScheduleLag(results: ReadonlyArray<Pick<RunResult, 'totals' | 'scheduleLagMs'>>): RunResult['scheduleLagMs'] {
  const requests = results.reduce((n, r) => n + r.totals.requests, 0);
  const weightedMean = results.reduce((sum, r) => sum + r.scheduleLagMs.mean * r.totals.requests, 0);
  return {
    mean: requests === 0 ? 0 : weightedMean / requests,
    // Only each result's p99 is known, not its lag distribution: the largest p99 is an upper bound of the
    // merged p99 (at least 99% of every part, hence of the whole, lies at or below it).
    p99: Math.max(0, ...results.map((r) => r.scheduleLagMs.p99)),
    max: Math.max(0, ...results.map((r) => r.scheduleLagMs.max)),
  };
}
