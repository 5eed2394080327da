// What live streams send: the run so far, folded from the intervals the Aggregator absorbs.
// Counters and latency are cumulative since the start (so a lost batch loses nothing: the next one
// carries everything); quantile gauges cover the stream interval just ended.
import type { Interval } from '../metrics/aggregator.js';
import { newHistogram, type Histogram } from '../metrics/histogram.js';
import { distributionOf, type Distribution } from './buckets.js';

export interface EndpointSnapshot {
  name: string;
  requests: number;
  errors: Record<string, number>;
  dropped: number;
  latency: Distribution;
  /** seconds; null when the interval had no requests */
  window: { p50: number; p95: number; p99: number } | null;
}

export interface LiveSnapshot {
  timeMs: number;
  inFlight: number;
  /** arrivals/s the schedule asks of this generator now; null in a closed phase */
  scheduledRate: number | null;
  /** completed requests/s over the interval just ended */
  achievedRate: number;
  endpoints: EndpointSnapshot[];
}

interface EndpointState {
  name: string;
  index: number;
  requests: number;
  errors: Record<string, number>;
  dropped: number;
  total: Histogram;
  window: Histogram;
}

export class LiveState {
  private readonly endpoints: EndpointState[];
  private windowRequests = 0;
  private windowStartMs: number;

  /** @param measured the endpoints of the load (index into the plan's endpoint names) */
  constructor(names: readonly string[], measured: ReadonlySet<number>, nowMs: number) {
    this.endpoints = names.flatMap((name, index) => (measured.has(index) ? [{ name, index, requests: 0, errors: {}, dropped: 0, total: newHistogram(), window: newHistogram() }] : []));
    this.windowStartMs = nowMs;
  }

  /** Called by the Aggregator's observer: cheap, copies what it keeps. */
  absorb(interval: Interval<Histogram>): void {
    for (const e of this.endpoints) {
      const part = interval.endpoints[e.index];
      if (!part) continue;
      e.total.add(part.latency);
      e.window.add(part.latency);
      e.requests += part.counters.requests;
      e.dropped += part.counters.dropped;
      this.windowRequests += part.counters.requests;
      for (const [kind, n] of Object.entries(part.counters.errorKinds)) e.errors[kind] = (e.errors[kind] ?? 0) + (n ?? 0);
    }
  }

  /** The run so far; starts a new window for the quantile gauges. */
  snapshot(nowMs: number, inFlight: number, scheduledRate: number | null): LiveSnapshot {
    const seconds = Math.max(0.001, (nowMs - this.windowStartMs) / 1000);
    const snap: LiveSnapshot = {
      timeMs: nowMs,
      inFlight,
      scheduledRate,
      achievedRate: this.windowRequests / seconds,
      endpoints: this.endpoints.map((e) => ({
        name: e.name,
        requests: e.requests,
        errors: { ...e.errors },
        dropped: e.dropped,
        latency: distributionOf(e.total),
        window:
          e.window.totalCount === 0
            ? null
            : { p50: e.window.getValueAtPercentile(50) / 1e6, p95: e.window.getValueAtPercentile(95) / 1e6, p99: e.window.getValueAtPercentile(99) / 1e6 },
      })),
    };
    for (const e of this.endpoints) e.window.reset();
    this.windowRequests = 0;
    this.windowStartMs = nowMs;
    return snap;
  }

  destroy(): void {
    for (const e of this.endpoints) {
      e.total.destroy();
      e.window.destroy();
    }
  }
}
