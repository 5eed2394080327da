// Summary + run facts → RunResult (the result.json contract). The verdict comes from src/slo/judge. Pure.
import type { FailureSample, PhaseRun, Plan, RunResult, TimelinePoint } from '../types.js';
import type { Summary } from '../metrics/aggregator.js';
import { ABSOLUTE_METRICS } from '../slo/evaluate.js';
import { judgeRun } from '../slo/judge.js';
import { VERSION } from '../version.js';
import { markPartialSecond } from './partial.js';
import { httpResult, type HttpFacts } from '../engine/http-facts.js';
import { flowStats, type FlowRecord } from '../engine/flow-times.js';

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
  /** the HTTP layer's facts (client, protocol per endpoint, retries, redirects) */
  http?: HttpFacts;
  /** the phases as they ran */
  phases?: PhaseRun[];
  /** per flow: iterations and durations (one record per engine; added here) */
  flows?: readonly FlowRecord[];
  /** the first few failures of each check, by endpoint name */
  failureSamples?: ReadonlyArray<{ endpoint: string; sample: FailureSample }>;
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
  /** every endpoint's name, in the plan's order */
  endpoints: string[];
  /** each endpoint's `tags:`, by index */
  endpointTags?: Array<Record<string, string>>;
  /** true when the scenario named any phase (the timeline then says which phase each second is in) */
  namedPhases: boolean;
}

export function identityOf(plan: Plan): ResultIdentity {
  const inFlows = new Set(plan.flows.flatMap((f) => f.steps.flatMap((s) => (s.kind === 'request' ? [s.endpoint] : []))));
  return {
    name: plan.name,
    target: plan.target,
    model: modelOf(plan),
    slo: plan.slo,
    sloDefaults: plan.sloDefaults,
    measured: [...inFlows].sort((a, b) => a - b),
    endpoints: plan.endpoints,
    ...(plan.endpointTags ? { endpointTags: plan.endpointTags } : {}),
    namedPhases: plan.phases.some((p) => p.name !== undefined),
  };
}

export function resultFrom(plan: ResultIdentity, summary: Summary, facts: RunFacts): RunResult {
  // A segment carries only part of the absolute figures (rps, requests…): `bench merge` judges those.
  const deferMetrics = facts.segment && facts.segment.count > 1 ? ABSOLUTE_METRICS : undefined;
  const measured = new Set(plan.measured);
  const endpoints = withTags(withSamples(summary.endpoints.filter((_, i) => measured.has(i)), facts.failureSamples), plan);
  const flows = facts.flows && facts.flows.length > 0 ? flowStats([facts.flows], facts.durationMs) : undefined;
  const verdict = judgeRun(plan.slo, { totals: summary.totals, endpoints: withTags(summary.endpoints, plan), durationMs: facts.durationMs, flows }, { isDefault: plan.sloDefaults, deferMetrics, stopReason: facts.stopReason, abortedBy: facts.abortedBy });
  const drainMs = round3(Math.max(0, facts.drainMs ?? 0));
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
    endpoints,
    timeline: namePhases(markPartialSecond(summary.timeline, facts.durationMs + drainMs), plan, facts.phases),
    scheduleLagMs: summary.scheduleLagMs,
    slo: verdict.slo,
    sloDefaults: plan.sloDefaults,
    pass: verdict.pass,
    reasons: verdict.reasons,
  };
  if (flows) result.flows = flows;
  if (facts.phases) result.phases = facts.phases.map((p) => ({ ...p, startMs: round3(p.startMs), durationMs: round3(p.durationMs) }));
  if (facts.stopReason) result.stopReason = facts.stopReason;
  if (facts.segment && facts.segment.count > 1) result.segment = facts.segment;
  if (facts.http) result.http = httpResult(facts.http, plan.endpoints, new Set(result.endpoints.map((e) => e.name)));
  if (facts.fingerprint) result.fingerprint = facts.fingerprint;
  if (facts.runId) result.runId = facts.runId;
  return result;
}

export function modelOf(plan: Pick<Plan, 'phases'>): RunResult['model'] {
  const kinds = new Set(plan.phases.map((p) => p.kind));
  if (kinds.size !== 1) return 'mixed';
  return kinds.has('open') ? 'open' : 'closed';
}

/** Each endpoint's `tags:` (by name: measured endpoints are a subset of the plan's). Tagged SLOs select by them. */
export function withTags(endpoints: Summary['endpoints'], plan: Pick<ResultIdentity, 'endpoints' | 'endpointTags'>): Summary['endpoints'] {
  const tags = plan.endpointTags;
  if (!tags) return endpoints;
  return endpoints.map((e) => {
    const mine = tags[plan.endpoints.indexOf(e.name)];
    return mine && Object.keys(mine).length > 0 ? { ...e, tags: mine } : e;
  });
}

/** Each endpoint's failure samples, on its row (only where there are some). */
function withSamples(endpoints: Summary['endpoints'], samples: RunFacts['failureSamples']): Summary['endpoints'] {
  if (!samples || samples.length === 0) return endpoints;
  return endpoints.map((e) => {
    const mine = samples.filter((s) => s.endpoint === e.name).map((s) => s.sample);
    return mine.length === 0 ? e : { ...e, failures: mine };
  });
}

/** When the scenario named its phases, each second of the timeline says which phase it began in. */
function namePhases(timeline: TimelinePoint[], plan: Pick<ResultIdentity, 'namedPhases'>, phases: PhaseRun[] | undefined): TimelinePoint[] {
  if (!phases || !plan.namedPhases) return timeline;
  return timeline.map((point) => {
    const at = point.second * 1000;
    const phase = phases.find((p) => at >= p.startMs && at < p.startMs + p.durationMs) ?? (at >= 0 ? phases[phases.length - 1] : undefined);
    return phase ? { ...point, phase: phase.name } : point;
  });
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
