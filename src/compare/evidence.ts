// How much each compared value could wobble, as a standard error (SE) with its degrees of freedom, from the
// best data a comparison has (in this order):
// - rounds: A/B alternating rounds, ≥ 2 a side. Rounds are the unit of replication: their spread IS the
//   run-to-run noise (SE = stdev of the per-round values / √rounds, df = rounds − 1).
// - blocks: two single runs of ≥ 5 full seconds. The spread of per-second blocks is noise WITHIN a run only —
//   a lower bound on run-to-run noise (a slower machine today moves every block alike), never the whole of it.
// - sampling: shorter single runs. The values' own sampling error from the histogram (order statistics for
//   percentiles, stdev/√n for the mean, binomial for the error rate) — again a lower bound only.
// max has no sampling error worth the name (one request): without rounds or blocks it is judged on the bound.
import { decodeHistogram, mergeEncoded, type Histogram } from '../metrics/histogram.js';
import type { RunResult, Stats } from '../types.js';
import { MIN_BLOCKS, timelineBlocks, type BlockSeries } from './blocks.js';
import { statsValues, type MetricValues } from './metrics.js';
import type { CompareMetric, TestKind } from './types.js';

export interface SideError {
  /** standard error of the side's value, in the metric's unit */
  se: number;
  /** degrees of freedom of that SE (Infinity for a sampling error) */
  df: number;
}

export interface Rounds {
  base: RunResult[];
  head: RunResult[];
}

export interface Evidence {
  kind: TestKind;
  samples: { base: number; head: number };
  /** `endpoint` null: totals. null: no estimate for this metric (the bound alone decides). */
  error(side: 'base' | 'head', endpoint: string | null, metric: CompareMetric): SideError | null;
  /** how the estimate was made, for the method sentence */
  description: string;
}

/** Fewer rounds a side than this and there is no spread to measure. */
export const MIN_ROUNDS = 2;

export function gatherEvidence(base: RunResult, head: RunResult, rounds?: Rounds): Evidence {
  if (rounds && rounds.base.length >= MIN_ROUNDS && rounds.head.length >= MIN_ROUNDS) return roundsEvidence(rounds);
  const baseBlocks = timelineBlocks(base);
  const headBlocks = timelineBlocks(head);
  if (baseBlocks && headBlocks) return blocksEvidence({ base, head }, { base: baseBlocks, head: headBlocks });
  return samplingEvidence({ base, head });
}

function roundsEvidence(rounds: Rounds): Evidence {
  const valuesOf = (runs: RunResult[], endpoint: string | null): MetricValues[] =>
    runs.map((r) => statsOf(r, endpoint)).filter((s): s is Stats => s !== undefined && s.requests > 0).map(statsValues);
  return {
    kind: 'rounds',
    samples: { base: rounds.base.length, head: rounds.head.length },
    error(side, endpoint, metric) {
      const xs = valuesOf(rounds[side], endpoint).map((v) => v[metric]);
      return xs.length < MIN_ROUNDS ? null : { se: stdev(xs) / Math.sqrt(xs.length), df: xs.length - 1 };
    },
    description: `Welch's t-test on the spread across ${rounds.base.length} base and ${rounds.head.length} head alternating rounds (run-to-run noise)`,
  };
}

/** The timeline has totals only, so an endpoint's SE is the totals' relative SE scaled by √(total/endpoint
 * requests): sampling error shrinks with √n. An approximation that assumes the endpoint wobbles like the whole. */
function blocksEvidence(runs: { base: RunResult; head: RunResult }, blocks: { base: BlockSeries; head: BlockSeries }): Evidence {
  return {
    kind: 'blocks',
    samples: { base: blocks.base.blocks, head: blocks.head.blocks },
    error(side, endpoint, metric) {
      const run = runs[side];
      const samples = blocks[side].samples[metric];
      if (samples.length < 2) return null;
      const df = samples.length - 1;
      const totalSe = stdev(samples) / Math.sqrt(samples.length);
      if (endpoint === null) return { se: totalSe, df };
      const stats = statsOf(run, endpoint);
      if (!stats || stats.requests === 0 || run.totals.requests === 0) return null;
      const scale = Math.sqrt(run.totals.requests / stats.requests);
      if (metric === 'error_rate') return { se: totalSe * scale, df };
      const total = statsValues(run.totals)[metric];
      return total > 0 ? { se: (totalSe / total) * statsValues(stats)[metric] * scale, df } : null;
    },
    description:
      `Welch's t-test on ${describeBlocks(blocks.base)} (base) and ${describeBlocks(blocks.head)} (head): noise within each run only, ` +
      'a lower bound on run-to-run noise, which two single runs cannot measure (use an A/B run with --rounds for that)',
  };
}

function samplingEvidence(runs: { base: RunResult; head: RunResult }): Evidence {
  return {
    kind: 'sampling',
    samples: { base: runs.base.totals.requests, head: runs.head.totals.requests },
    error(side, endpoint, metric) {
      const stats = statsOf(runs[side], endpoint);
      return stats && stats.requests > 0 ? samplingError(stats, metric, runs[side].durationMs) : null;
    },
    description:
      `no run-to-run noise estimate (two single runs shorter than ${MIN_BLOCKS} full seconds): a z-test on the values' own ` +
      'sampling error (order statistics; requests taken as independent), a lower bound on the real noise (use an A/B run with --rounds)',
  };
}

const Z95 = 1.959964;

function samplingError(stats: Stats, metric: CompareMetric, durationMs: number): SideError | null {
  const n = stats.requests;
  // error_rate's denominator is every arrival, dropped ones included (they are users not served)
  const arrivals = n + (stats.dropped ?? 0);
  if (metric === 'error_rate') return { se: Math.sqrt((stats.errorRate * (1 - stats.errorRate)) / arrivals), df: Infinity };
  if (metric === 'rps') return durationMs > 0 ? { se: Math.sqrt(n) / (durationMs / 1000), df: Infinity } : null;
  if (metric === 'max' || !stats.histogram) return null;
  const h = decoded(stats);
  const count = h.totalCount;
  if (count < 2) return null;
  if (metric === 'mean') return { se: h.stdDeviation / 1000 / Math.sqrt(count), df: Infinity };
  const q = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 }[metric];
  // A distribution-free 95% interval for the q-quantile: ranks nq ± z·√(nq(1−q)); SE = its width / 2z.
  const half = Z95 * Math.sqrt(count * q * (1 - q));
  const lo = Math.max(1, Math.floor(count * q - half));
  const hi = Math.min(count, Math.ceil(count * q + half));
  const at = (rank: number): number => h.getValueAtPercentile((100 * rank) / count) / 1000;
  return { se: (at(hi) - at(lo)) / (2 * Z95), df: Infinity };
}

const histograms = new WeakMap<Stats, Histogram>();

function decoded(stats: Stats): Histogram {
  let h = histograms.get(stats);
  if (!h) {
    h = stats.histogram ? decodeHistogram(stats.histogram) : mergeEncoded([]);
    histograms.set(stats, h);
  }
  return h;
}

function stdev(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
}

function describeBlocks(b: BlockSeries): string {
  return b.blockSeconds === 1 ? `${b.blocks} one-second blocks` : `${b.blocks} ${b.blockSeconds}-second blocks`;
}

function statsOf(run: RunResult, endpoint: string | null): Stats | undefined {
  return endpoint === null ? run.totals : run.endpoints.find((e) => e.name === endpoint);
}
