// The run's last second is usually cut short (the drain ends part-way through it): mark it, so charts
// do not draw it as a cliff and rates do not count it as a whole second. Pure.
import type { TimelinePoint } from '../types.js';

/**
 * `elapsedMs`: from the run's start to its very end (load window + drain). The point of the second that
 * holds the end is partial when the run ended before that second did.
 */
export function markPartialSecond(timeline: readonly TimelinePoint[], elapsedMs: number): TimelinePoint[] {
  const lastSecond = Math.floor(elapsedMs / 1000);
  const coveredMs = Math.round((elapsedMs - lastSecond * 1000) * 1000) / 1000;
  return timeline.map((p) => {
    const { partial: _partial, durationMs: _durationMs, ...point } = p;
    if (p.second < lastSecond) return point;
    // a second past the end (a late interval) covers nothing of the run
    const durationMs = p.second === lastSecond ? coveredMs : 0;
    return durationMs >= 1000 ? point : { ...point, partial: true, durationMs };
  });
}
