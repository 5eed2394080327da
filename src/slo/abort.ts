// abortOnFail, judged while the run goes: a running window per window length, fed one finalised second at
// a time. Adding a second and dropping the oldest is O(one histogram); nothing re-reads the timeline.
import type { AbortJudge, SloSpec, Stats, TimelinePoint } from '../types.js';
import { latencyStats, newHistogram, type Histogram } from '../metrics/histogram.js';
import { errorRateOf } from '../metrics/stats.js';
import { passes } from './evaluate.js';

type SecondCounts = Pick<TimelinePoint, 'second' | 'requests' | 'errors' | 'dropped'>;

interface Counts {
  requests: number;
  errors: number;
  dropped: number;
}

/** The last `seconds` seconds (all of them when 0), as counters and one histogram kept up to date. */
class RunningWindow {
  private readonly latency = newHistogram();
  private readonly counts: Counts = { requests: 0, errors: 0, dropped: 0 };
  private readonly kept: Array<{ counts: Counts; latency: Histogram }> = [];
  private seen = 0;

  constructor(
    private readonly windowMs: number,
    private readonly seconds: number,
  ) {}

  add(second: SecondCounts, latency: Histogram): void {
    this.seen++;
    const counts = { requests: second.requests, errors: second.errors, dropped: second.dropped };
    this.latency.add(latency);
    addInto(this.counts, counts, 1);
    if (this.seconds === 0) return;
    const copy = newHistogram();
    copy.add(latency);
    this.kept.push({ counts, latency: copy });
    if (this.kept.length > this.seconds) {
      const oldest = this.kept.shift()!;
      this.latency.subtract(oldest.latency);
      addInto(this.counts, oldest.counts, -1);
      oldest.latency.destroy();
    }
  }

  /** A window is judged only once it is full: two bad requests in the first second must not end a 10 s-window run. */
  get full(): boolean {
    return this.seen * 1000 >= this.windowMs;
  }

  get empty(): boolean {
    return this.counts.requests + this.counts.dropped === 0;
  }

  get histogram(): Histogram {
    return this.latency;
  }

  /** The window's figures, without encoding anything (the evaluator reads the live histogram). */
  stats(): Stats {
    const spanMs = (this.seconds === 0 ? this.seen : Math.min(this.seen, this.seconds)) * 1000;
    const latency = latencyStats(this.latency);
    return {
      ...this.counts,
      errorRate: errorRateOf(this.counts),
      rps: spanMs > 0 ? this.counts.requests / (spanMs / 1000) : 0,
      statusCodes: {},
      errorKinds: {},
      checks: {},
      latencyMs: latency,
      serviceTimeMs: latency,
      histogram: '',
      serviceHistogram: '',
    };
  }
}

function addInto(into: Counts, from: Counts, sign: 1 | -1): void {
  into.requests += sign * from.requests;
  into.errors += sign * from.errors;
  into.dropped += sign * from.dropped;
}

/** Whole seconds of a window (0: the whole run so far). */
function windowSeconds(windowMs: number): number {
  return windowMs > 0 ? Math.max(1, Math.round(windowMs / 1000)) : 0;
}

/**
 * The judge for a plan's abortOnFail SLOs; undefined when it has none. The live figures are totals only,
 * so endpoint and tagged SLOs are judged at the end of the run, not live (the totals are not theirs).
 */
export function abortJudge(specs: readonly SloSpec[]): AbortJudge | undefined {
  const live = specs.filter((s) => s.abortOnFail && s.endpoint === null && !s.tags);
  if (live.length === 0) return undefined;
  const windows = new Map<number, RunningWindow>();
  for (const spec of live) {
    const seconds = windowSeconds(spec.windowMs);
    if (!windows.has(seconds)) windows.set(seconds, new RunningWindow(spec.windowMs, seconds));
  }
  return {
    addSecond(second, latency) {
      for (const w of windows.values()) w.add(second, latency);
    },
    failing() {
      for (const spec of live) {
        const w = windows.get(windowSeconds(spec.windowMs))!;
        if (spec.windowMs > 0 && !w.full) continue;
        if (w.empty) continue;
        if (!passes(spec, w.stats(), w.histogram)) return spec;
      }
      return null;
    },
  };
}
