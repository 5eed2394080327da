// Per-block samples of a run's metrics from its per-second timeline: the raw material for a batch-means
// standard error (the spread of block values, divided by √blocks, estimates how much the whole-run value wobbles).
import { mergeEncoded } from '../metrics/histogram.js';
import type { RunResult, TimelinePoint } from '../types.js';
import { latencyValues } from './metrics.js';
import { COMPARE_METRICS, LATENCY_METRICS, type CompareMetric } from './types.js';

/** Fewer blocks than this and a spread estimate is itself mostly noise: callers fall back to the bound. */
export const MIN_BLOCKS = 5;
/** Blocks are widened (when the run is long enough) until they hold this many requests on average,
 * so a block's p99 is more than its single slowest request. */
const MIN_BLOCK_REQUESTS = 100;

export interface BlockSeries {
  blockSeconds: number;
  blocks: number;
  samples: Record<CompareMetric, number[]>;
}

/** null when the run has fewer than MIN_BLOCKS full seconds. */
export function timelineBlocks(result: RunResult): BlockSeries | null {
  const seconds = fullSeconds(result);
  if (seconds.length < MIN_BLOCKS) return null;
  const blockSeconds = chooseBlockSeconds(seconds);
  const samples = Object.fromEntries(COMPARE_METRICS.map((m) => [m, [] as number[]])) as Record<CompareMetric, number[]>;
  let blocks = 0;
  // A trailing group shorter than blockSeconds is dropped: its rps would read low for no reason.
  for (let start = 0; start + blockSeconds <= seconds.length; start += blockSeconds) {
    addBlock(samples, seconds.slice(start, start + blockSeconds), blockSeconds);
    blocks++;
  }
  return { blockSeconds, blocks, samples };
}

/** Timeline points for whole seconds of the load window only: the last point of a 10.3 s run covers 0.3 s
 * (marked `partial` by newer results), and seconds after the load (the drain, waiting for the last responses)
 * are not load at all. Either is left out, so an rps block never reads low for no reason. */
function fullSeconds(result: RunResult): TimelinePoint[] {
  const whole = Math.floor(result.durationMs / 1000);
  return [...result.timeline]
    .filter((p) => p.second < whole && (p as TimelinePoint & { partial?: boolean }).partial !== true)
    .sort((a, b) => a.second - b.second);
}

function chooseBlockSeconds(seconds: TimelinePoint[]): number {
  const perSecond = seconds.reduce((n, p) => n + p.requests, 0) / seconds.length;
  const wanted = perSecond > 0 ? Math.ceil(MIN_BLOCK_REQUESTS / perSecond) : 1;
  const mostThatKeepsEnoughBlocks = Math.floor(seconds.length / MIN_BLOCKS);
  return Math.max(1, Math.min(wanted, mostThatKeepsEnoughBlocks));
}

function addBlock(samples: Record<CompareMetric, number[]>, points: TimelinePoint[], blockSeconds: number): void {
  const requests = points.reduce((n, p) => n + p.requests, 0);
  const errors = points.reduce((n, p) => n + p.errors, 0);
  samples.rps.push(requests / blockSeconds);
  if (requests === 0) return; // no latency and no error rate in an empty block
  samples.error_rate.push(errors / requests);
  const latency = latencyValues(mergeEncoded(points.map((p) => p.histogram)));
  for (const metric of LATENCY_METRICS) samples[metric].push(latency[metric as keyof typeof latency]);
}
