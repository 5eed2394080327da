// abortOnFail: SLOs judged during the run over a trailing window of the per-second timeline. Pure.
import type { SloSpec, Stats, TimelinePoint } from '../types.js';
import { mergeEncoded } from '../metrics/histogram.js';
import { emptyCounters, toStats } from '../metrics/stats.js';
import { evaluateSlos } from './evaluate.js';

/** Totals over the last `windowMs` of the timeline (all of it when windowMs is 0). */
export function windowStats(timeline: readonly TimelinePoint[], windowMs: number): Stats {
  const seconds = windowMs > 0 ? Math.max(1, Math.round(windowMs / 1000)) : timeline.length;
  const points = timeline.slice(-seconds);
  const counters = emptyCounters();
  for (const p of points) {
    counters.requests += p.requests;
    counters.errors += p.errors;
    counters.dropped += p.dropped;
  }
  const latency = mergeEncoded(points.map((p) => p.histogram));
  return toStats(counters, latency, latency, points.length * 1000);
}

/**
 * The first abortOnFail SLO that fails over its window, or null. The live timeline holds totals only,
 * so endpoint SLOs are judged at the end of the run, not live.
 */
export function failingAbortSlo(specs: readonly SloSpec[], timeline: readonly TimelinePoint[]): SloSpec | null {
  for (const spec of specs) {
    if (!spec.abortOnFail || spec.endpoint !== null) continue;
    // Judge a full window only: two bad requests in the first second must not end a 10 s-window run.
    if (timeline.length * 1000 < spec.windowMs) continue;
    const stats = windowStats(timeline, spec.windowMs);
    if (stats.requests === 0) continue;
    const [verdict] = evaluateSlos([spec], { totals: stats, endpoints: [] });
    if (verdict && !verdict.pass) return spec;
  }
  return null;
}
