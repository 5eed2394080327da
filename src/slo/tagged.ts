// A tagged SLO (`{ expr: p95 < 200ms, tags: { kind: read } }`, k6's sub-metric thresholds) is judged over
// the endpoints that carry every one of its tags, their stats added exactly (histograms bucket by bucket).
import type { Stats } from '../types.js';
import { addStats } from '../metrics/add-stats.js';

export function matchesTags(endpointTags: Record<string, string> | undefined, wanted: Record<string, string>): boolean {
  return Object.entries(wanted).every(([key, value]) => endpointTags?.[key] === value);
}

/** The tagged endpoints' stats added; null when no endpoint carries the tags. Rates over `durationMs`. */
export function taggedStats(endpoints: ReadonlyArray<Stats & { tags?: Record<string, string> }>, wanted: Record<string, string>, durationMs: number): Stats | null {
  const parts = endpoints.filter((e) => matchesTags(e.tags, wanted));
  if (parts.length === 0) return null;
  const stats = addStats(parts, durationMs);
  // Without the load window (an old caller), the rate of the parts is their rates added.
  return durationMs > 0 ? stats : { ...stats, rps: parts.reduce((n, p) => n + p.rps, 0) };
}
