// A/B rounds: one target's sequential rounds added into one result. Unlike segments (parallel parts of
// one window), rounds follow each other, with the other target's rounds in between: rates are over the
// sum of the rounds' load windows, and the timeline is the rounds laid end to end. Pure.
import type { RunResult, TimelinePoint } from '../types.js';
import { withHttp } from './http.js';
import { judgeRun } from '../slo/judge.js';
import { slosCarriedBy } from '../slo/carried.js';
import { addStats } from '../metrics/add-stats.js';
import { mergeEndpoints, mergeScheduleLag } from './stats.js';

export function combineRounds(rounds: readonly RunResult[], label: string): RunResult {
  const first = rounds[0];
  if (!first) throw new Error('combineRounds needs at least one round');
  const durationMs = rounds.reduce((sum, r) => sum + r.durationMs, 0);
  const drainMs = rounds.reduce((sum, r) => sum + (r.drainMs ?? 0), 0);
  const totals = addStats(rounds.map((r) => r.totals), durationMs);
  const endpoints = mergeEndpoints(rounds, durationMs);
  const choice = slosCarriedBy(rounds);
  const stopped = rounds.find((r) => r.stopReason)?.stopReason;
  const verdict = judgeRun(choice.specs, { totals, endpoints }, { isDefault: choice.isDefault, stopReason: stopped });
  return {
    ...first,
    scenario: first.scenario,
    target: `${label}=${first.target}`,
    durationMs,
    drainMs,
    totals,
    endpoints,
    timeline: endToEnd(rounds),
    scheduleLagMs: mergeScheduleLag(rounds),
    slo: verdict.slo,
    pass: verdict.pass,
    reasons: verdict.reasons,
    ...withHttp(rounds),
    mergedFrom: rounds.length,
    ...(stopped ? { stopReason: stopped } : {}),
  };
}

function endToEnd(rounds: readonly RunResult[]): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  let offset = 0;
  for (const r of rounds) {
    for (const p of r.timeline) points.push({ ...p, second: p.second + offset });
    offset += Math.max(r.timeline.length, Math.ceil((r.durationMs + (r.drainMs ?? 0)) / 1000));
  }
  return points;
}
