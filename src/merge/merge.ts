// `bench merge`: segment results (pods, CI matrix jobs, machines) added into one result, SLOs judged once.
// Pure: results in, result out; reading files and exit codes belong to the CLI. The checks read each
// segment's facts (its result without the timeline); the timelines are then folded in one at a time, so
// the caller need never hold more than one segment's timeline (src/cli/merge-command.ts reads them so).
import type { RunResult, TimelinePoint } from '../types.js';
import { withHttp } from './http.js';
import { judgeRun } from '../slo/judge.js';
import { slosCarriedBy, type SloChoice } from '../slo/carried.js';
import { markPartialSecond } from '../result/partial.js';
import { ABSOLUTE_METRICS } from '../slo/evaluate.js';
import { checkMergeable, factsOf, type MergeCheckOptions, type Partial, type SegmentFacts } from './check.js';
import { addStats } from '../metrics/add-stats.js';
import { mergeEndpoints, mergeScheduleLag } from './stats.js';
import { TimelineFold } from './timeline.js';

export { checkMergeable, factsOf, missingSegments, type MergeCheckOptions, type SegmentFacts } from './check.js';

/**
 * Add results into one. `slo`: the SLOs to judge (e.g. from the scenario file); null judges the SLOs the
 * results carry. Throws UsageError for results that are not distinct segments of one scenario.
 */
export function mergeResults(results: RunResult[], slo: SloChoice | null, options: MergeCheckOptions = {}): RunResult {
  const merge = startMerge(results.map(factsOf), slo, options);
  results.forEach((r, n) => merge.add(n, r.timeline));
  return merge.finish();
}

export interface MergeFold {
  /** Fold segment n's timeline (n as in the facts given to startMerge): every segment once per window. */
  add(n: number, timeline: readonly TimelinePoint[]): void;
  /**
   * Close the window once every segment was added to it: true when some segment has seconds past it, and
   * every segment's timeline must be added again for the next window.
   */
  next(): boolean;
  /** The merged result, once the last window is closed (closes it, if need be). */
  finish(): RunResult;
}

export interface StreamOptions extends MergeCheckOptions {
  /**
   * Merged seconds folded per pass (default: all in one). The pass holds one decoded histogram per merged
   * second of its window; a longer run takes one more read of every timeline per window.
   */
  windowSeconds?: number;
}

/**
 * A merge that takes the segments' timelines one at a time (the streaming merge: `bench merge` and
 * `bench collect` read each file's timeline, fold it and let it go). Every check runs here, on the facts
 * alone, before any timeline is read: a refused merge throws before the first fold.
 */
export function startMerge(facts: readonly SegmentFacts[], slo: SloChoice | null, options: StreamOptions = {}): MergeFold {
  const partial = checkMergeable(facts, options);
  const window = unionWindow(facts);
  const timeline = new TimelineFold(window.startMs);
  const size = options.windowSeconds ?? Number.POSITIVE_INFINITY;
  if (!(size > 0)) throw new Error(`merge: windowSeconds ${size}`);
  let from = Number.NEGATIVE_INFINITY;
  let to = size;
  let beyond = false;
  let done = false;
  const added = new Set<number>();
  const fold: MergeFold = {
    add(n, points) {
      const part = facts[n];
      if (done || !part || added.has(n)) throw new Error(`merge: segment ${n} ${done ? 'added after the end' : part ? 'added twice in one window' : 'unknown'}`);
      added.add(n);
      if (timeline.add(part.startedAt, points, from, to)) beyond = true;
    },
    next() {
      if (added.size !== facts.length) throw new Error(`merge: ${facts.length - added.size} of ${facts.length} timelines not added`);
      timeline.seal();
      added.clear();
      if (!beyond) {
        done = true;
        return false;
      }
      [from, to, beyond] = [to, to + size, false];
      return true;
    },
    finish() {
      if (!done && fold.next()) throw new Error('merge: seconds past the window were not folded');
      return assemble(facts, slo, partial, window, timeline.points());
    },
  };
  return fold;
}

function assemble(results: readonly SegmentFacts[], slo: SloChoice | null, partial: Partial | null, window: Window, points: TimelinePoint[]): RunResult {
  const durationMs = window.endMs - window.startMs;
  const totals = addStats(results.map((r) => r.totals), durationMs);
  const endpoints = mergeEndpoints(results, durationMs);
  const choice = slo ?? slosCarriedBy(results);
  const first = results[0]!;
  // A partial merge lists its incomplete segments instead: the merged run itself was not stopped.
  const stopReason = mergedStopReason(partial ? results.filter((r) => !partial.incomplete.some((i) => i.index === r.segment?.index)) : results);
  // Absolute figures (rps, requests…) of a partial merge lack the missing part: they are not judged.
  const verdict = judgeRun(choice.specs, { totals, endpoints }, { isDefault: choice.isDefault, stopReason, ...(partial ? { deferMetrics: ABSOLUTE_METRICS } : {}) });
  return {
    schemaVersion: 1,
    tool: first.tool,
    scenario: first.scenario,
    target: distinct(results.map((r) => r.target)).join(', '),
    startedAt: new Date(window.startMs).toISOString(),
    durationMs,
    drainMs: window.drainEndMs - window.endMs,
    model: sameOr(results.map((r) => r.model), 'mixed'),
    totals,
    endpoints,
    timeline: markPartialSecond(points, window.drainEndMs - window.startMs),
    scheduleLagMs: mergeScheduleLag(results),
    slo: partial ? verdict.slo.map((r) => (r.deferred ? { ...r, notJudged: partialText(partial) } : r)) : verdict.slo,
    sloDefaults: choice.isDefault,
    pass: verdict.pass,
    reasons: verdict.reasons,
    ...(stopReason ? { stopReason } : {}),
    ...withHttp(results),
    mergedFrom: results.length,
    ...(first.fingerprint ? { fingerprint: first.fingerprint } : {}),
    ...(first.runId ? { runId: first.runId } : {}),
    ...(partial ? { partial } : {}),
  };
}

/** "partial: 3 of 4 segments", as every report says it. */
export function partialText(partial: Partial): string {
  return `partial: ${partial.segments} of ${partial.of} segments`;
}

/**
 * The union of the load windows (earliest start to latest end): rates over the whole time any segment was
 * sending. The drain is what came after it, to the last segment's last response.
 */
interface Window {
  startMs: number;
  endMs: number;
  drainEndMs: number;
}

function unionWindow(results: readonly SegmentFacts[]): Window {
  const starts = results.map((r) => Date.parse(r.startedAt));
  const ends = results.map((r, n) => starts[n]! + r.durationMs);
  const endMs = Math.max(...ends);
  const drainEndMs = Math.max(endMs, ...results.map((r, n) => ends[n]! + (r.drainMs ?? 0)));
  return { startMs: Math.min(...starts), endMs, drainEndMs };
}

// The most serious reason any part stopped early: a failed part makes the whole run suspect.
const STOP_SEVERITY = ['error', 'interrupted', 'slo-abort'] as const;

function mergedStopReason(results: readonly SegmentFacts[]): RunResult['stopReason'] {
  return STOP_SEVERITY.find((reason) => results.some((r) => r.stopReason === reason));
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function sameOr<T>(values: readonly T[], otherwise: T): T {
  const unique = distinct(values);
  return unique.length === 1 ? unique[0]! : otherwise;
}
