// abortOnFail over a finished timeline: the same judge the live run uses (abort.ts), fed the timeline's
// seconds. For tests and tools that hold a timeline; the engine feeds the judge second by second.
import type { SloSpec, Stats, TimelinePoint } from '../types.js';
import { decodeHistogram, mergeEncoded, newHistogram } from '../metrics/histogram.js';
import { emptyCounters, toStats } from '../metrics/stats.js';
import { abortJudge } from './abort.js';

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

/** The first abortOnFail SLO that fails over its window at the end of `timeline`, or null. */
export function failingAbortSlo(specs: readonly SloSpec[], timeline: readonly TimelinePoint[]): SloSpec | null {
  const judge = abortJudge(specs);
  if (!judge) return null;
  for (const point of timeline) {
    const latency = point.histogram ? decodeHistogram(point.histogram) : newHistogram();
    judge.addSecond(point, latency);
    latency.destroy();
  }
  return judge.failing();
}
