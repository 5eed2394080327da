// A segment's figures in its log: written as the run goes, read back by `bench collect` and `bench merge`.
// Pure apart from the `write` the caller hands in (stdout, a pod's log).
import type { RunResult } from '../types.js';
import { Aggregator, encodeInterval, type EncodedInterval, type Interval } from '../metrics/aggregator.js';
import type { Histogram } from '../metrics/histogram.js';
import { resultFrom, type ResultIdentity } from '../result/build.js';
import { decodeFrames, encodeFrame } from './frames.js';

/** Who a segment is, written once at its start: enough to rebuild its result from its intervals alone. */
export interface RunHeader extends ResultIdentity {
  endpoints: string[];
  segment?: { index: number; count: number };
  fingerprint: string;
  runId?: string;
  /** epoch ms of the load's start */
  startedAt: number;
  /** the planned load window, ms */
  plannedMs: number;
}

/** The writer side: the header when the load starts, each interval as it is folded in, the result at the end. */
export class SegmentLog {
  constructor(private readonly write: (text: string) => void) {}

  header(header: RunHeader): void {
    this.write(encodeFrame('RUN', header));
  }

  /** Called from the aggregator's observer: must encode before it returns (the interval is then recycled). */
  interval(interval: Interval<Histogram>): void {
    this.write(encodeFrame('INTERVAL', encodeInterval(interval)));
  }

  result(result: RunResult): void {
    this.write(encodeFrame('RESULT', result));
  }
}

export type LogContent =
  | { kind: 'result'; result: RunResult }
  | { kind: 'recovered'; result: RunResult; seconds: number }
  | { kind: 'empty'; why: string };

/**
 * What a log holds: the final result when the segment got to write it, else its result rebuilt from the
 * intervals it flushed (marked incomplete), else why there is nothing.
 */
export function readSegmentLog(text: string, bad: (line: number, message: string) => void = () => {}): LogContent {
  const frames = decodeFrames(text, bad);
  const final = frames.findLast((f) => f.kind === 'RESULT');
  if (final) return { kind: 'result', result: final.value as RunResult };
  const header = frames.findLast((f) => f.kind === 'RUN')?.value as RunHeader | undefined;
  if (!header) {
    return { kind: 'empty', why: frames.length > 0 ? 'its log has intervals but no start frame' : 'its log has no bench output (it never started its load: see the log for why)' };
  }
  const headerAt = frames.findLastIndex((f) => f.kind === 'RUN');
  const intervals = frames.slice(headerAt + 1).filter((f) => f.kind === 'INTERVAL').map((f) => f.value as EncodedInterval);
  return recoverResult(header, intervals);
}

function recoverResult(header: RunHeader, intervals: readonly EncodedInterval[]): LogContent {
  const agg = new Aggregator(header.endpoints, Number.POSITIVE_INFINITY);
  let last = -1;
  for (const interval of intervals) {
    agg.absorbEncoded(interval);
    last = Math.max(last, interval.second);
  }
  const seconds = last + 1;
  // What it covered: its flushed whole seconds (the one under way when it died is lost with it).
  const durationMs = Math.min(header.plannedMs, seconds * 1000);
  const summary = agg.summarize(durationMs);
  const reason = `its log ends after ${seconds} s of ${(header.plannedMs / 1000).toFixed(0)} s without a result (killed, evicted or out of memory); merged from the ${seconds} second${seconds === 1 ? '' : 's'} it flushed`;
  const result = resultFrom(header, summary, {
    startedAt: header.startedAt,
    durationMs,
    drainMs: 0,
    ...(header.segment ? { segment: header.segment } : {}),
    fingerprint: header.fingerprint,
    ...(header.runId ? { runId: header.runId } : {}),
  });
  return { kind: 'recovered', result: { ...result, incomplete: { reason }, pass: false }, seconds };
}
