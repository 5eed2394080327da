// The Aggregator: every completed request lands here; memory stays flat however long the run.
//
// Requests are recorded into the *current interval* (one second). Closing an interval folds it into
// the run's cumulative histograms and finalises that second's timeline point. Worker threads close
// intervals locally and post them encoded; the main thread absorbs them through the same fold, so one
// code path serves one thread and many.
import type { ErrorKind, EndpointStats, Failure, Stats, TimelinePoint } from '../types.js';
import { decodeHistogram, encodeHistogram, HistogramPool, latencyStats, newHistogram, percentileMs, type Histogram } from './histogram.js';
import { addCounters, emptyCounters, toStats, type Counters } from './stats.js';

/** One endpoint's share of an interval. */
export interface EndpointInterval<H> {
  latency: H;
  service: H;
  counters: Counters;
}

/** One second of measurements. H is a live Histogram in-process, an encoded string between threads. */
export interface Interval<H> {
  second: number;
  endpoints: Array<EndpointInterval<H> | null>;
  lag: H;
}

export type EncodedInterval = Interval<string>;

interface SecondAccumulator {
  latency: Histogram;
  requests: number;
  errors: number;
  dropped: number;
}

export interface Summary {
  totals: Stats;
  endpoints: EndpointStats[];
  timeline: TimelinePoint[];
  scheduleLagMs: { mean: number; p50: number; p99: number; max: number };
}


/** Called with each finalised second (the run's totals for it) and its live latency histogram, before it is freed. */
export type SecondListener = (point: TimelinePoint, latency: Histogram) => void;

export class Aggregator {
  private readonly cumulative: Array<EndpointInterval<Histogram>>;
  private readonly lag = newHistogram();
  /** each second's histograms, reused by the next second once folded in */
  readonly pool = new HistogramPool();
  private current: Interval<Histogram>;
  private readonly openSeconds = new Map<number, SecondAccumulator>();
  private readonly timeline: TimelinePoint[] = [];
  /** where each finalised second's point is in `timeline`: a late interval amends it, never adds a second */
  private readonly finalised = new Map<number, number>();
  private finalBefore = Number.NEGATIVE_INFINITY;
  /** last closed second's figures, for the live progress line */
  lastSecond = { second: -1, requests: 0, errors: 0, p95Ms: 0 };
  /** hears every finalised second (the abortOnFail judge keeps its running window from these) */
  onSecond: SecondListener | null = null;
  /** Sees every interval as it is folded in (live streams); must copy what it keeps, synchronously. */
  observer: ((interval: Interval<Histogram>) => void) | null = null;
  /**
   * When the current interval's second ends, on the recording clock (set by the engine that closes
   * intervals). A request completing at or after it closes the interval first: each response is
   * counted in the second it completed in, however late the timer that closes seconds fires.
   */
  rollAt = Number.POSITIVE_INFINITY;
  /** Closes intervals until `atMs` is before `rollAt` again (set with rollAt). */
  onRoll: (atMs: number) => void = () => {};

  /**
   * @param lateSeconds how long a second stays open for late intervals before its timeline point is
   *   final: 0 in one thread; ~2 when worker threads post their seconds a little apart.
   */
  constructor(
    readonly endpointNames: readonly string[],
    private readonly lateSeconds = 0,
  ) {
    this.cumulative = endpointNames.map(() => newEndpointInterval());
    this.current = this.emptyInterval(0);
  }

  /**
   * Hot path: one completed request. Times are ms on one monotonic clock; `sentMs` is when the request
   * was written to the socket (NaN: never written). A request that got no response (status 0: refused,
   * reset before any response, a request the client refused to send) has no latency: it is counted, but
   * stays out of the histograms. A timeout and a request cut by a stop keep theirs, as a lower bound.
   */
  record(endpoint: number, intendedMs: number, sentMs: number, endMs: number, status: number, error: ErrorKind | null, failure: Failure | null): void {
    if (endMs >= this.rollAt) this.onRoll(endMs);
    const slot = this.currentSlot(endpoint);
    if (status > 0 || error === null || error === 'timeout' || error === 'interrupted') {
      slot.latency.recordValue(toMicros(endMs - intendedMs));
      if (sentMs === sentMs) slot.service.recordValue(toMicros(endMs - sentMs)); // NaN: never written
    }
    const c = slot.counters;
    c.requests++;
    if (status > 0) c.statusCodes[status] = (c.statusCodes[status] ?? 0) + 1;
    if (error !== null) {
      c.errors++;
      c.errorKinds[error] = (c.errorKinds[error] ?? 0) + 1;
      if (failure !== null) c.checks[failure.check] = (c.checks[failure.check] ?? 0) + 1;
    }
  }

  /** Close the seconds that ended by `nowMs` (see rollAt) before recording what happened at `nowMs`. */
  advanceTo(nowMs: number): void {
    if (nowMs >= this.rollAt) this.onRoll(nowMs);
  }

  /** An arrival the generator could not send (in-flight cap reached). */
  drop(endpoint: number): void {
    this.currentSlot(endpoint).counters.dropped++;
  }

  /** How late an open-model arrival was sent against its schedule. */
  recordLag(lagMs: number): void {
    this.current.lag.recordValue(toMicros(lagMs));
  }

  /** Close the current interval as `second` and start the next; returns the closed interval. */
  closeInterval(second: number): Interval<Histogram> {
    const closed = this.current;
    closed.second = second;
    this.current = this.emptyInterval(second + 1);
    return closed;
  }

  /** Fold a closed interval (own or a worker's) into the run. */
  absorb(interval: Interval<Histogram>): void {
    const second = this.secondAccumulator(interval.second);
    interval.endpoints.forEach((part, i) => {
      if (!part) return;
      const total = this.cumulative[i]!;
      total.latency.add(part.latency);
      total.service.add(part.service);
      addCounters(total.counters, part.counters);
      second.latency.add(part.latency);
      second.requests += part.counters.requests;
      second.errors += part.counters.errors;
      second.dropped += part.counters.dropped;
    });
    this.lag.add(interval.lag);
    this.observer?.(interval);
    destroyInterval(interval, this.pool);
    // Seconds once final stay final: a late interval for one of them is folded in and the point amended now.
    this.finalBefore = Math.max(this.finalBefore, interval.second + 1 - this.lateSeconds);
    this.finaliseSecondsBefore(this.finalBefore);
  }

  /** Finalised timeline points so far, one per second (in the order they were finalised). */
  timelineSoFar(): readonly TimelinePoint[] {
    return this.timeline;
  }

  absorbEncoded(interval: EncodedInterval): void {
    this.absorb(decodeInterval(interval));
  }

  /** Totals so far, for abortOnFail windows and progress: cheap, from counters only. */
  counters(): Counters {
    const total = emptyCounters();
    for (const e of this.cumulative) addCounters(total, e.counters);
    return total;
  }

  /** Final figures; rates over `durationMs`, the load window. Call once, after the last interval was absorbed. */
  summarize(durationMs: number): Summary {
    this.finaliseSecondsBefore(Number.POSITIVE_INFINITY);
    const totalLatency = newHistogram();
    const totalService = newHistogram();
    const totalCounters = emptyCounters();
    const endpoints: EndpointStats[] = [];
    this.cumulative.forEach((e, i) => {
      totalLatency.add(e.latency);
      totalService.add(e.service);
      addCounters(totalCounters, e.counters);
      endpoints.push({ name: this.endpointNames[i]!, ...toStats(e.counters, e.latency, e.service, durationMs) });
    });
    const totals = toStats(totalCounters, totalLatency, totalService, durationMs);
    totalLatency.destroy();
    totalService.destroy();
    const lag = latencyStats(this.lag);
    return {
      totals,
      endpoints,
      timeline: [...this.timeline].sort((a, b) => a.second - b.second),
      scheduleLagMs: { mean: lag.mean, p50: lag.p50, p99: lag.p99, max: lag.max },
    };
  }

  private currentSlot(endpoint: number): EndpointInterval<Histogram> {
    return (this.current.endpoints[endpoint] ??= newEndpointInterval(this.pool));
  }

  private emptyInterval(second: number): Interval<Histogram> {
    return { second, endpoints: this.endpointNames.map(() => null), lag: this.pool.take() };
  }

  private secondAccumulator(second: number): SecondAccumulator {
    let acc = this.openSeconds.get(second);
    if (!acc) {
      acc = this.reopen(second) ?? { latency: this.pool.take(), requests: 0, errors: 0, dropped: 0 };
      this.openSeconds.set(second, acc);
    }
    return acc;
  }

  /**
   * A worker more than `lateSeconds` behind posts a second that is already final: start again from
   * that second's point, so the late requests are folded into it (finalising replaces it in place).
   */
  private reopen(second: number): SecondAccumulator | undefined {
    const at = this.finalised.get(second);
    if (at === undefined) return undefined;
    const point = this.timeline[at]!;
    return { latency: decodeHistogram(point.histogram), requests: point.requests, errors: point.errors, dropped: point.dropped };
  }

  private finaliseSecondsBefore(limit: number): void {
    for (const [second, acc] of this.openSeconds) {
      if (second >= limit) continue;
      // As for the totals: a percentile reads as its bucket's highest value, which can pass the exact max.
      const maxMs = acc.latency.totalCount === 0 ? 0 : acc.latency.maxValue / 1000;
      const point: TimelinePoint = {
        second,
        requests: acc.requests,
        errors: acc.errors,
        dropped: acc.dropped,
        p50Ms: Math.min(percentileMs(acc.latency, 50), maxMs),
        p95Ms: Math.min(percentileMs(acc.latency, 95), maxMs),
        p99Ms: Math.min(percentileMs(acc.latency, 99), maxMs),
        maxMs,
        histogram: encodeHistogram(acc.latency),
      };
      const at = this.finalised.get(second);
      if (at !== undefined) this.timeline[at] = point;
      else {
        this.finalised.set(second, this.timeline.push(point) - 1);
        // The abortOnFail judge hears each second once (a late amendment is for the final figures).
        this.onSecond?.(point, acc.latency);
      }
      if (second >= this.lastSecond.second) this.lastSecond = { second, requests: acc.requests, errors: acc.errors, p95Ms: point.p95Ms };
      this.pool.give(acc.latency);
      this.openSeconds.delete(second);
    }
  }
}

function newEndpointInterval(pool?: HistogramPool): EndpointInterval<Histogram> {
  return { latency: pool ? pool.take() : newHistogram(), service: pool ? pool.take() : newHistogram(), counters: emptyCounters() };
}

/** Free an interval's histograms (after folding it in, or a discarded warm-up second): into `pool` when given. */
export function destroyInterval(interval: Interval<Histogram>, pool?: HistogramPool): void {
  const free = (h: Histogram): void => (pool ? pool.give(h) : h.destroy());
  for (const part of interval.endpoints) {
    if (!part) continue;
    free(part.latency);
    free(part.service);
  }
  free(interval.lag);
}

/** Whole microseconds, at least 1 (HDR histograms cannot tell 0 from the lowest value). */
function toMicros(ms: number): number {
  const us = Math.round(ms * 1000);
  return us > 0 ? us : 1;
}

export function encodeInterval(interval: Interval<Histogram>, pool?: HistogramPool): EncodedInterval {
  const encoded: EncodedInterval = {
    second: interval.second,
    endpoints: interval.endpoints.map((part) =>
      part ? { latency: encodeHistogram(part.latency), service: encodeHistogram(part.service), counters: part.counters } : null,
    ),
    lag: encodeHistogram(interval.lag),
  };
  destroyInterval(interval, pool);
  return encoded;
}

export function decodeInterval(interval: EncodedInterval): Interval<Histogram> {
  return {
    second: interval.second,
    endpoints: interval.endpoints.map((part) =>
      part ? { latency: decodeHistogram(part.latency), service: decodeHistogram(part.service), counters: part.counters } : null,
    ),
    lag: decodeHistogram(interval.lag),
  };
}
