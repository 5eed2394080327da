// `bench merge`: segment results (pods, CI matrix jobs, machines) added into one result, SLOs judged once.
// Pure: results in, result out; reading files and exit codes belong to the CLI.
import type { RunResult, SloSpec } from '../types.js';
import { withHttp } from './http.js';
import { judgeRun } from '../slo/judge.js';
import { slosCarriedBy } from '../slo/carried.js';
import { markPartialSecond } from '../result/partial.js';
import { ABSOLUTE_METRICS } from '../slo/evaluate.js';
import { checkMergeable, type MergeCheckOptions, type Partial } from './check.js';
import { addStats } from '../metrics/add-stats.js';
import { mergeEndpoints, mergeScheduleLag } from './stats.js';
import { mergeTimelines } from './timeline.js';

export { checkMergeable, missingSegments, type MergeCheckOptions } from './check.js';

/**
 * Add results into one. `slo`: the SLOs to judge (e.g. from the scenario file); null judges the SLOs the
 * results carry. Throws UsageError for results that are not distinct segments of one scenario.
 */
export function mergeResults(results: RunResult[], slo: { specs: SloSpec[]; isDefault: boolean } | null, options: MergeCheckOptions = {}): RunResult {
  const partial = checkMergeable(results, options);
  const window = unionWindow(results);
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
    timeline: markPartialSecond(mergeTimelines(results, window.startMs), window.drainEndMs - window.startMs),
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
function unionWindow(results: readonly RunResult[]): { startMs: number; endMs: number; drainEndMs: number } {
  const starts = results.map((r) => Date.parse(r.startedAt));
  const ends = results.map((r, n) => starts[n]! + r.durationMs);
  const endMs = Math.max(...ends);
  const drainEndMs = Math.max(endMs, ...results.map((r, n) => ends[n]! + (r.drainMs ?? 0)));
  return { startMs: Math.min(...starts), endMs, drainEndMs };
}

// The most serious reason any part stopped early: a failed part makes the whole run suspect.
const STOP_SEVERITY = ['error', 'interrupted', 'slo-abort'] as const;

function mergedStopReason(results: readonly RunResult[]): RunResult['stopReason'] {
  return STOP_SEVERITY.find((reason) => results.some((r) => r.stopReason === reason));
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function sameOr<T>(values: readonly T[], otherwise: T): T {
  const unique = distinct(values);
  return unique.length === 1 ? unique[0]! : otherwise;
}
