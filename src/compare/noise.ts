// How much a metric wobbles from run to run, as a standard error (SE) per side, in the metric's unit.
// Rule applied by verdict.ts: a change is significant when |Δ| > 2·√(SE_base² + SE_head²) (≈ 95% for a normal
// difference); with no estimate it is significant only when it exceeds the regression bound.
import type { RunResult, Stats } from '../types.js';
import { MIN_BLOCKS, timelineBlocks, type BlockSeries } from './blocks.js';
import { statsValues, type MetricValues } from './metrics.js';
import type { CompareMetric } from './types.js';

export interface SideErrors {
  base: number;
  head: number;
}

export interface NoiseModel {
  /** `endpoint` null: totals. null: no estimate for this metric (the bound decides). */
  errors(endpoint: string | null, metric: CompareMetric): SideErrors | null;
  /** how the estimate was made, for the method sentence */
  description: string;
}

export interface Rounds {
  base: RunResult[];
  head: RunResult[];
}

export function noiseModel(base: RunResult, head: RunResult, rounds?: Rounds): NoiseModel {
  if (rounds && rounds.base.length >= 2 && rounds.head.length >= 2) return roundsNoise(rounds);
  const baseBlocks = timelineBlocks(base);
  const headBlocks = timelineBlocks(head);
  if (baseBlocks && headBlocks) return blocksNoise(base, head, baseBlocks, headBlocks);
  return {
    errors: () => null,
    description: `no noise estimate: a run has fewer than ${MIN_BLOCKS} full seconds of timeline, so a change counts only past the bound`,
  };
}

/** Batch means: SE of the whole-run value = stdev of per-round (or per-block) values / √n.
 * For max the whole-run value is the largest sample, not an average, so the stdev itself is used (conservative). */
export function standardError(metric: CompareMetric, samples: number[]): number {
  const n = samples.length;
  const mean = samples.reduce((a, b) => a + b, 0) / n;
  const variance = samples.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
  const sd = Math.sqrt(variance);
  return metric === 'max' ? sd : sd / Math.sqrt(n);
}

function roundsNoise(rounds: Rounds): NoiseModel {
  const valuesOf = (runs: RunResult[], endpoint: string | null): MetricValues[] =>
    runs.map((r) => statsOf(r, endpoint)).filter((s): s is Stats => s !== undefined && s.requests > 0).map(statsValues);
  return {
    errors(endpoint, metric) {
      const base = valuesOf(rounds.base, endpoint).map((v) => v[metric]);
      const head = valuesOf(rounds.head, endpoint).map((v) => v[metric]);
      if (base.length < 2 || head.length < 2) return null;
      return { base: standardError(metric, base), head: standardError(metric, head) };
    },
    description: `SE from the spread across ${rounds.base.length} base and ${rounds.head.length} head alternating rounds`,
  };
}

/** The timeline has totals only, so an endpoint's SE is the totals' relative SE scaled by √(total/endpoint
 * requests): sampling error shrinks with √n. An approximation that assumes the endpoint wobbles like the whole. */
function blocksNoise(base: RunResult, head: RunResult, baseBlocks: BlockSeries, headBlocks: BlockSeries): NoiseModel {
  const totals = { base: statsValues(base.totals), head: statsValues(head.totals) };
  const sideError = (run: RunResult, blocks: BlockSeries, totalValues: MetricValues, endpoint: string | null, metric: CompareMetric): number | null => {
    const samples = blocks.samples[metric];
    if (samples.length < 2) return null;
    const totalSe = standardError(metric, samples);
    if (endpoint === null) return totalSe;
    const stats = statsOf(run, endpoint);
    if (!stats || stats.requests === 0 || run.totals.requests === 0) return null;
    const scale = Math.sqrt(run.totals.requests / stats.requests);
    if (metric === 'error_rate') return totalSe * scale;
    const total = totalValues[metric];
    return total > 0 ? (totalSe / total) * statsValues(stats)[metric] * scale : null;
  };
  return {
    errors(endpoint, metric) {
      const b = sideError(base, baseBlocks, totals.base, endpoint, metric);
      const h = sideError(head, headBlocks, totals.head, endpoint, metric);
      return b === null || h === null ? null : { base: b, head: h };
    },
    description:
      `SE by batch means from ${describeBlocks(baseBlocks)} (base) and ${describeBlocks(headBlocks)} (head); ` +
      'endpoints scale the totals\u2019 SE by \u221a(total/endpoint requests)',
  };
}

function describeBlocks(b: BlockSeries): string {
  return b.blockSeconds === 1 ? `${b.blocks} one-second blocks` : `${b.blocks} ${b.blockSeconds}-second blocks`;
}

function statsOf(run: RunResult, endpoint: string | null): Stats | undefined {
  return endpoint === null ? run.totals : run.endpoints.find((e) => e.name === endpoint);
}
