// Summary + run facts → RunResult (the result.json contract), SLOs judged once here. Pure.
import type { Plan, RunResult } from '../types.js';
import type { Summary } from '../metrics/aggregator.js';
import { ABSOLUTE_METRICS, allPass, evaluateSlos } from '../slo/evaluate.js';
import { VERSION } from '../version.js';

export interface RunFacts {
  startedAt: number;
  durationMs: number;
  stopReason?: RunResult['stopReason'];
  segment?: { index: number; count: number };
}

export function buildResult(plan: Plan, summary: Summary, facts: RunFacts): RunResult {
  // A segment carries only part of the absolute figures (rps, requests…): `bench merge` judges those.
  const deferMetrics = facts.segment && facts.segment.count > 1 ? ABSOLUTE_METRICS : undefined;
  const slo = evaluateSlos(plan.slo, summary, { isDefault: plan.sloDefaults, deferMetrics });
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'bench', version: VERSION },
    scenario: plan.name,
    target: plan.target,
    startedAt: new Date(facts.startedAt).toISOString(),
    durationMs: round3(facts.durationMs),
    model: modelOf(plan),
    totals: summary.totals,
    endpoints: measuredEndpoints(plan, summary),
    timeline: summary.timeline,
    scheduleLagMs: summary.scheduleLagMs,
    slo,
    sloDefaults: plan.sloDefaults,
    // An interrupted run has incomplete data: its verdict stands for what was measured.
    pass: allPass(slo),
  };
  if (facts.stopReason) result.stopReason = facts.stopReason;
  if (facts.segment && facts.segment.count > 1) result.segment = facts.segment;
  return result;
}

/** Endpoints of the load: a step that only runs in `setup:` is not measured, so it gets no row. */
function measuredEndpoints(plan: Plan, summary: Summary): Summary['endpoints'] {
  const inFlows = new Set(plan.flows.flatMap((f) => f.steps.flatMap((s) => (s.kind === 'request' ? [s.endpoint] : []))));
  return summary.endpoints.filter((_, i) => inFlows.has(i));
}

export function modelOf(plan: Pick<Plan, 'phases'>): RunResult['model'] {
  const kinds = new Set(plan.phases.map((p) => p.kind));
  if (kinds.size !== 1) return 'mixed';
  return kinds.has('open') ? 'open' : 'closed';
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
