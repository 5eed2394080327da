// Summary + run facts → RunResult (the result.json contract). The verdict comes from src/slo/judge. Pure.
import type { Plan, RunResult } from '../types.js';
import type { Summary } from '../metrics/aggregator.js';
import { ABSOLUTE_METRICS } from '../slo/evaluate.js';
import { judgeRun } from '../slo/judge.js';
import { VERSION } from '../version.js';
import { markPartialSecond } from './partial.js';

export interface RunFacts {
  startedAt: number;
  /** the load window: first scheduled arrival to the end of the last phase, or to the stop */
  durationMs: number;
  /** waiting for the last responses after the load window */
  drainMs?: number;
  stopReason?: RunResult['stopReason'];
  /** the abortOnFail SLO that stopped the run (its expression) */
  abortedBy?: string;
  segment?: { index: number; count: number };
  /** the whole plan's fingerprint (src/segment/fingerprint.ts) */
  fingerprint?: string;
  runId?: string;
}

export function buildResult(plan: Plan, summary: Summary, facts: RunFacts): RunResult {
  return resultFrom(identityOf(plan), summary, facts);
}

/** What a result needs of its plan: plain data, so a result can be rebuilt from a log (src/distributed). */
export interface ResultIdentity {
  name: string;
  target: string;
  model: RunResult['model'];
  slo: Plan['slo'];
  sloDefaults: boolean;
  /** indexes of the endpoints the flows call (a step only in `setup:` gets no row) */
  measured: number[];
}

export function identityOf(plan: Plan): ResultIdentity {
  const inFlows = new Set(plan.flows.flatMap((f) => f.steps.flatMap((s) => (s.kind === 'request' ? [s.endpoint] : []))));
  return { name: plan.name, target: plan.target, model: modelOf(plan), slo: plan.slo, sloDefaults: plan.sloDefaults, measured: [...inFlows].sort((a, b) => a - b) };
}

export function resultFrom(plan: ResultIdentity, summary: Summary, facts: RunFacts): RunResult {
  // A segment carries only part of the absolute figures (rps, requests…): `bench merge` judges those.
  const deferMetrics = facts.segment && facts.segment.count > 1 ? ABSOLUTE_METRICS : undefined;
  const verdict = judgeRun(plan.slo, summary, { isDefault: plan.sloDefaults, deferMetrics, stopReason: facts.stopReason, abortedBy: facts.abortedBy });
  const drainMs = round3(Math.max(0, facts.drainMs ?? 0));
  const measured = new Set(plan.measured);
  const result: RunResult = {
    schemaVersion: 1,
    tool: { name: 'bench', version: VERSION },
    scenario: plan.name,
    target: plan.target,
    startedAt: new Date(facts.startedAt).toISOString(),
    durationMs: round3(facts.durationMs),
    drainMs,
    model: plan.model,
    totals: summary.totals,
    endpoints: summary.endpoints.filter((_, i) => measured.has(i)),
    timeline: markPartialSecond(summary.timeline, facts.durationMs + drainMs),
    scheduleLagMs: summary.scheduleLagMs,
    slo: verdict.slo,
    sloDefaults: plan.sloDefaults,
    pass: verdict.pass,
    reasons: verdict.reasons,
  };
  if (facts.stopReason) result.stopReason = facts.stopReason;
  if (facts.segment && facts.segment.count > 1) result.segment = facts.segment;
  if (facts.fingerprint) result.fingerprint = facts.fingerprint;
  if (facts.runId) result.runId = facts.runId;
  return result;
}

export function modelOf(plan: Pick<Plan, 'phases'>): RunResult['model'] {
  const kinds = new Set(plan.phases.map((p) => p.kind));
  if (kinds.size !== 1) return 'mixed';
  return kinds.has('open') ? 'open' : 'closed';
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
