// A/B rounds: one target's sequential rounds added into one result. Unlike segments (parallel parts of
// one window), rounds follow each other, with the other target's rounds in between: rates are over the
// rounds' own summed duration, and the timeline is the rounds laid end to end. Pure.
import type { RunResult, TimelinePoint } from '../types.js';
import { allPass, evaluateSlos } from '../slo/evaluate.js';
import { addStats, mergeEndpoints, mergeScheduleLag } from './stats.js';
import { slosCarriedBy } from './slo.js';

export function combineRounds(rounds: readonly RunResult[], label: string): RunResult {
  const first = rounds[0];
  if (!first) throw new Error('combineRounds needs at least one round');
  const durationMs = rounds.reduce((sum, r) => sum + r.durationMs, 0);
  const totals = addStats(rounds.map((r) => r.totals), durationMs);
  const endpoints = mergeEndpoints(rounds, durationMs);
  const choice = slosCarriedBy(rounds);
  const slo = evaluateSlos(choice.specs, { totals, endpoints }, { isDefault: choice.isDefault });
  const stopped = rounds.find((r) => r.stopReason)?.stopReason;
  return {
    ...first,
    scenario: first.scenario,
    target: `${label}=${first.target}`,
    durationMs,
    totals,
    endpoints,
    timeline: endToEnd(rounds),
    scheduleLagMs: mergeScheduleLag(rounds),
    slo,
    pass: allPass(slo),
    mergedFrom: rounds.length,
    ...(stopped ? { stopReason: stopped } : {}),
  };
}

function endToEnd(rounds: readonly RunResult[]): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  let offset = 0;
  for (const r of rounds) {
    for (const p of r.timeline) points.push({ ...p, second: p.second + offset });
    offset += Math.max(r.timeline.length, Math.ceil(r.durationMs / 1000));
  }
  return points;
}
