// The numbers the HTML charts draw, computed at write time so the page needs no histogram decoder.
import type { RunResult } from '../types.js';
import { decodeHistogram, percentileCurve } from '../metrics/histogram.js';

export interface TimelineSeries {
  second: number[];
  /** null for a partial last second: a few ms of counts is no per-second rate, and would draw a cliff to 0 */
  requests: Array<number | null>;
  errors: Array<number | null>;
  /** null for a second without any latency sample */
  p50: Array<number | null>;
  p95: Array<number | null>;
  p99: Array<number | null>;
  max: Array<number | null>;
}

export interface PercentileSeries {
  /** x axis: "nines" = -log10(1 - p/100); the max is drawn at MAX_NINES */
  nines: number[];
  series: Array<{ name: string; ms: Array<number | null> }>;
}

export interface HtmlChartData {
  timeline: TimelineSeries;
  percentiles: PercentileSeries;
}

/** Where the curve's 100th percentile (the max) sits: one step past 99.999%. */
export const MAX_NINES = 6;

export function chartData(result: RunResult): HtmlChartData {
  return { timeline: timelineSeries(result), percentiles: percentileSeries(result) };
}

function timelineSeries(result: RunResult): TimelineSeries {
  const t = result.timeline;
  return {
    second: t.map((p) => p.second),
    requests: t.map((p) => (p.partial ? null : p.requests)),
    errors: t.map((p) => (p.partial ? null : p.errors)),
    // a second without a single response has no latency: a gap, not a drop to 0 ms
    p50: t.map((p) => (p.maxMs > 0 ? p.p50Ms : null)),
    p95: t.map((p) => (p.maxMs > 0 ? p.p95Ms : null)),
    p99: t.map((p) => (p.maxMs > 0 ? p.p99Ms : null)),
    max: t.map((p) => (p.maxMs > 0 ? p.maxMs : null)),
  };
}

function percentileSeries(result: RunResult): PercentileSeries {
  const named = [{ name: 'TOTAL', histogram: result.totals.histogram }, ...result.endpoints.map((e) => ({ name: e.name, histogram: e.histogram }))];
  return percentileSeriesOf(named.map(({ name, histogram }) => ({ name, points: histogram ? percentileCurve(decodeHistogram(histogram)) : [] })));
}

/** Percentile curves ([percentile, ms], as percentileCurve gives them) → the chart's series on one "nines" axis. */
export function percentileSeriesOf(curves: ReadonlyArray<{ name: string; points: ReadonlyArray<readonly [number, number]> }>): PercentileSeries {
  // Every non-empty curve has the same percentiles (percentileCurve's fixed list): one x axis for all.
  const xs = [...new Set(curves.flatMap((c) => c.points.map(([p]) => p)))].sort((a, b) => a - b);
  return {
    nines: xs.map(toNines),
    series: curves.map(({ name, points }) => {
      const byPercentile = new Map(points);
      return { name, ms: xs.map((p) => byPercentile.get(p) ?? null) };
    }),
  };
}

function toNines(percentile: number): number {
  if (percentile >= 100) return MAX_NINES;
  return Math.round(-Math.log10(1 - percentile / 100) * 10_000) / 10_000;
}
