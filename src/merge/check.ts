// What `bench merge` refuses: results that are not the parts of one split run. Pure.
//
// Segments of one run share the plan's fingerprint (the resolved load, flows, SLOs, the scenario's hash,
// N), its run id, and overlapping load windows; every index 0…N-1 appears once, complete. Anything else
// is refused with one line naming the offending segment — unless the user allows a partial merge, in
// which case missing and incomplete segments are listed in the merged result instead.
import { UsageError } from '../errors.js';
import type { RunResult } from '../types.js';

const SUPPORTED_SCHEMA = 1;

export interface MergeCheckOptions {
  /** merge what is there: missing segments, and segments that ended early, are listed, not refused */
  allowPartial?: boolean;
  /** where each result came from (a file name), to name it */
  sources?: readonly string[];
}

export type Partial = NonNullable<RunResult['partial']>;

/**
 * A segment's result without its timeline: everything the checks read and everything merged apart from
 * the per-second points, small (a few encoded histograms per endpoint), so a merge holds one per segment
 * and reads the timelines one segment at a time after the checks.
 */
export type SegmentFacts = Omit<RunResult, 'timeline'>;

/** The facts of a result: the result minus its timeline (which the caller can then let go). */
export function factsOf(result: SegmentFacts & { timeline?: unknown }): SegmentFacts {
  const { timeline: _timeline, ...facts } = result;
  return facts;
}

/** A result without `segment` is the whole load (0/1): merging it with anything else would double count. */
export function segmentOf(result: SegmentFacts): { index: number; count: number } {
  return result.segment ?? { index: 0, count: 1 };
}

/**
 * Throws a one-line UsageError unless the results are distinct segments of one run's split. Returns what a
 * partial merge lacks (null: nothing lacks).
 */
export function checkMergeable(results: readonly SegmentFacts[], options: MergeCheckOptions = {}): Partial | null {
  if (results.length === 0) throw new UsageError('nothing to merge: give at least one result.json');
  const name = (n: number): string => nameOf(results[n]!, options.sources?.[n]);
  for (const [n, r] of results.entries()) {
    if ((r.schemaVersion as number) !== SUPPORTED_SCHEMA) {
      throw new UsageError(`${name(n)} has schemaVersion ${String(r.schemaVersion)}; this bench reads schemaVersion ${SUPPORTED_SCHEMA}`);
    }
  }
  const scenarios = [...new Set(results.map((r) => r.scenario))];
  if (scenarios.length > 1) throw new UsageError(`cannot merge results of different scenarios: ${scenarios.map((s) => `"${s}"`).join(', ')} (${name(oddOneOut(results, (r) => r.scenario))})`);
  const counts = [...new Set(results.map((r) => segmentOf(r).count))];
  if (counts.length > 1) throw new UsageError(`cannot merge results split into different segment counts: ${counts.map((c) => `/${c}`).join(', ')} (${name(oddOneOut(results, (r) => String(segmentOf(r).count)))})`);
  const seen = new Map<number, number>();
  for (const [n, r] of results.entries()) {
    const { index, count } = segmentOf(r);
    const first = seen.get(index);
    if (first !== undefined) throw new UsageError(`segment ${index}/${count} appears twice (${name(first)} and ${options.sources?.[n] ?? `result ${n + 1}`}): each segment's result can be merged only once`);
    seen.set(index, n);
  }
  const planKey = (r: SegmentFacts): string => r.fingerprint ?? '(none)';
  if (new Set(results.map(planKey)).size > 1) {
    const odd = oddOneOut(results, planKey);
    const theirs = results[odd]!.fingerprint;
    throw new UsageError(`${name(odd)} ran a different plan (fingerprint ${theirs ?? 'absent: written by an older bench'} against ${planKey(results[odd === 0 ? 1 : 0]!)}): a different --rate, --duration, scenario file, SLOs or segment count; merge only segments of one run`);
  }
  const runKey = (r: SegmentFacts): string => r.runId ?? '(none)';
  if (new Set(results.map(runKey)).size > 1) {
    const odd = oddOneOut(results, runKey);
    throw new UsageError(`${name(odd)} belongs to another run (run id ${runKey(results[odd]!)}, the others ${runKey(results[odd === 0 ? 1 : 0]!)}): merge only segments that ran together`);
  }
  const apart = windowOutlier(results);
  if (apart !== null) {
    const r = results[apart]!;
    throw new UsageError(`${name(apart)} ran at another time (load window from ${r.startedAt}, ${(r.durationMs / 1000).toFixed(1)} s) that does not overlap the others': merge only segments that ran together`);
  }
  const late = lateStart(results);
  if (late !== null && !options.allowPartial) {
    throw new UsageError(`${name(late.n)} started ${(late.byMs / 1000).toFixed(1)} s ${late.byMs > 0 ? 'after' : 'before'} the others (a pod scheduled late?): its load was not sent with theirs; start segments with --coordinator, or merge with --allow-partial`);
  }
  const count = counts[0]!;
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  const incomplete = results.flatMap((r) => {
    const reason = incompleteReason(r);
    return reason ? [{ index: segmentOf(r).index, reason, n: results.indexOf(r) }] : [];
  });
  if (!options.allowPartial) {
    if (missing.length > 0) {
      const list = missing.map((i) => `${i}/${count}`).join(', ');
      throw new UsageError(`segment${missing.length === 1 ? '' : 's'} ${list} ${missing.length === 1 ? 'is' : 'are'} missing (${results.length} of ${count} given): the merged load would be partial; add ${missing.length === 1 ? 'it' : 'them'}, or merge with --allow-partial`);
    }
    const first = incomplete[0];
    if (first) throw new UsageError(`${name(first.n)} is incomplete: ${first.reason}; merge with --allow-partial to add what it measured`);
  }
  if (missing.length === 0 && incomplete.length === 0) return null;
  return {
    segments: results.length - incomplete.length,
    of: count,
    missing,
    incomplete: incomplete.map(({ index, reason }) => ({ index, reason })),
  };
}

/** Why a segment's figures cover less than its share of the load, or null. An SLO's abort is a real end. */
function incompleteReason(r: SegmentFacts): string | null {
  if (r.incomplete) return r.incomplete.reason;
  if (r.stopReason === 'interrupted') return `it was interrupted (SIGTERM or Ctrl-C) after ${(r.durationMs / 1000).toFixed(1)} s`;
  if (r.stopReason === 'error') return `it stopped on an error after ${(r.durationMs / 1000).toFixed(1)} s`;
  return null;
}

/** "segment 2/4 (results/segment-2/result.json)". */
export function nameOf(r: SegmentFacts, source: string | undefined): string {
  const { index, count } = segmentOf(r);
  const what = r.segment ? `segment ${index}/${count}` : 'an unsplit result';
  return source ? `${what} (${source})` : what;
}

/** The first result outside the largest group of equal keys (ties: the group of the first result wins). */
function oddOneOut(results: readonly SegmentFacts[], key: (r: SegmentFacts) => string): number {
  const sizes = new Map<string, number>();
  for (const r of results) sizes.set(key(r), (sizes.get(key(r)) ?? 0) + 1);
  let majority = key(results[0]!);
  for (const [k, size] of sizes) if (size > sizes.get(majority)!) majority = k;
  return results.findIndex((r) => key(r) !== majority);
}

/** The result whose load window overlaps the fewest others, if any fails to overlap another; else null. */
function windowOutlier(results: readonly SegmentFacts[]): number | null {
  const windows = results.map((r) => {
    const start = Date.parse(r.startedAt);
    return { start, end: start + Math.max(r.durationMs, 1) };
  });
  const overlaps = windows.map((a, i) => windows.filter((b, j) => j !== i && a.start < b.end && b.start < a.end).length);
  const fewest = Math.min(...overlaps);
  if (fewest === results.length - 1) return null;
  return overlaps.indexOf(fewest);
}

/** Segments start together (a barrier, or one --start-at): more than 1 s from the median start is late. */
const START_TOLERANCE_MS = 1000;

function lateStart(results: readonly SegmentFacts[]): { n: number; byMs: number } | null {
  const starts = results.map((r) => Date.parse(r.startedAt));
  const sorted = [...starts].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  let worst: { n: number; byMs: number } | null = null;
  starts.forEach((s, n) => {
    const byMs = s - median;
    if (Math.abs(byMs) > START_TOLERANCE_MS && (!worst || Math.abs(byMs) > Math.abs(worst.byMs))) worst = { n, byMs };
  });
  return worst;
}

/** Segment indexes of the split that none of the results covers. */
export function missingSegments(results: readonly SegmentFacts[]): number[] {
  const count = results[0] ? segmentOf(results[0]).count : 0;
  const present = new Set(results.map((r) => segmentOf(r).index));
  return Array.from({ length: count }, (_, i) => i).filter((i) => !present.has(i));
}
