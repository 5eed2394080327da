// One probe's figures and verdict, from the run's measured summary. Pure.
//
// The figures cover the measured window only (the warm-up seconds were discarded by the engine), and
// the achieved rate is counted here over that window's seconds — never taken from `rps`, whose
// denominator includes the drain after the load ends.
import type { Plan, SloResult } from '../types.js';
import type { Summary } from '../metrics/aggregator.js';
import { ABSOLUTE_METRICS, evaluateSlos } from '../slo/evaluate.js';
import { withTags } from '../result/build.js';
import { isLatencyMetric } from '../slo/parse.js';
import type { ProbeKind, Verdict } from './policy.js';

export interface ProbeFigures {
  /** arrivals per second the schedule offered (each starts one iteration of a flow) */
  offeredRate: number;
  /** in the offered rate's unit: responses per second within the measured window ÷ requestsPerArrival */
  achievedRate: number;
  /** the same, counting only responses without an error */
  goodRate: number;
  /** responses per second within the measured window, as counted */
  responsesPerSecond: number;
  /** requests one arrival sends when its flow runs to the end (weighted over the flows; 1 for one-request flows) */
  requestsPerArrival: number;
  /** measured window, ms (the warm-up before it is not counted) */
  windowMs: number;
  warmupMs: number;
  /** every response of the measured part (including the drain after the window) */
  requests: number;
  errors: number;
  errorRate: number;
  /** arrivals not sent because the in-flight cap was reached */
  dropped: number;
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number };
  scheduleLagMs: { p99: number; max: number };
  /** the generator process's CPU time over the probe's wall time (1 = one core busy) */
  generatorCpu: number;
  /** cores the generator could use (main thread, or its worker threads), for the CPU check */
  generatorCores: number;
}

export interface ProbeJudgement {
  verdict: Verdict;
  slo: SloResult[];
  /** the SLOs that broke (empty when the probe passed) */
  failed: SloResult[];
  /** why the probe says nothing about the target: bench itself could not keep up */
  limitedBy: string[];
}

export interface ProbeReport extends ProbeFigures, ProbeJudgement {
  index: number;
  kind: ProbeKind;
  pass: boolean;
  generatorLimited: boolean;
  /** when the probe started (ms since the search began) */
  atMs: number;
}

/** Figures of the measured window, from the summary of a run whose seconds before `warmupSeconds` were discarded. */
export function probeFigures(
  summary: Summary,
  facts: { offeredRate: number; warmupSeconds: number; windowSeconds: number; cpuMs: number; wallMs: number; cores: number; requestsPerArrival?: number },
): ProbeFigures {
  const perArrival = facts.requestsPerArrival ?? 1;
  const inWindow = summary.timeline.filter((p) => p.second >= facts.warmupSeconds && p.second < facts.warmupSeconds + facts.windowSeconds);
  const completed = inWindow.reduce((sum, p) => sum + p.requests, 0);
  const failed = inWindow.reduce((sum, p) => sum + p.errors, 0);
  const t = summary.totals;
  return {
    offeredRate: facts.offeredRate,
    achievedRate: round2(completed / facts.windowSeconds / perArrival),
    goodRate: round2((completed - failed) / facts.windowSeconds / perArrival),
    responsesPerSecond: round2(completed / facts.windowSeconds),
    requestsPerArrival: round2(perArrival),
    windowMs: facts.windowSeconds * 1000,
    warmupMs: facts.warmupSeconds * 1000,
    requests: t.requests,
    errors: t.errors,
    errorRate: t.errorRate,
    dropped: t.dropped,
    latencyMs: { p50: t.latencyMs.p50, p90: t.latencyMs.p90, p95: t.latencyMs.p95, p99: t.latencyMs.p99, max: t.latencyMs.max },
    scheduleLagMs: { p99: summary.scheduleLagMs.p99, max: summary.scheduleLagMs.max },
    generatorCpu: facts.wallMs > 0 ? round2(facts.cpuMs / facts.wallMs) : 0,
    generatorCores: facts.cores,
  };
}

/** Requests one arrival sends when its flow runs to the end, weighted over the flows (think steps send none). */
export function requestsPerArrival(plan: Pick<Plan, 'flows'>): number {
  const weight = plan.flows.reduce((sum, f) => sum + f.weight, 0);
  if (weight <= 0) return 1;
  const requests = plan.flows.reduce((sum, f) => sum + f.weight * f.steps.filter((s) => s.kind === 'request').length, 0);
  return requests > 0 ? requests / weight : 1;
}

/**
 * The scenario's SLOs on one probe. THE one place the capacity search calls the SLO evaluator.
 * Absolute metrics (rps, requests, errors, dropped) describe a run's volume, which the search itself
 * sets, so they are not judged here (they come back as deferred).
 */
export function judgeSlos(plan: Pick<Plan, 'slo' | 'sloDefaults'> & Partial<Pick<Plan, 'endpoints' | 'endpointTags'>>, summary: Summary): SloResult[] {
  // a tagged SLO selects endpoints by their tags, which the summary does not carry: add them, as result.json does
  const tagged = plan.endpoints ? { ...summary, endpoints: withTags(summary.endpoints, { endpoints: plan.endpoints, endpointTags: plan.endpointTags }) } : summary;
  return evaluateSlos(plan.slo, tagged, { isDefault: plan.sloDefaults, deferMetrics: ABSOLUTE_METRICS });
}

/**
 * A schedule lag p99 above this and above LAG_INTERVALS inter-arrival times means bench fell behind its
 * schedule (a backlog that grows over the probe), not a one-off stall: on a shared machine a neighbour
 * can delay one timer by 25 ms while bench itself is mostly idle.
 */
export const LAG_FLOOR_MS = 100;
export const LAG_INTERVALS = 10;
/** Generator CPU at or above this share of its cores means bench was the bottleneck. */
export const CPU_LIMIT = 0.9;

/** Pass, fail, or limited by the generator — which is checked first: a saturated generator's figures say nothing about the target. */
export function judgeProbe(figures: ProbeFigures, slo: SloResult[]): ProbeJudgement {
  const failed = slo.filter((s) => !s.pass && !s.deferred);
  const limitedBy = generatorLimits(figures, failed);
  const verdict: Verdict = limitedBy.length > 0 ? 'limited' : failed.length > 0 ? 'fail' : 'pass';
  return { verdict, slo, failed, limitedBy };
}

function generatorLimits(f: ProbeFigures, failed: readonly SloResult[]): string[] {
  const reasons: string[] = [];
  const interArrivalMs = 1000 / f.offeredRate;
  const lagLimit = Math.max(LAG_FLOOR_MS, LAG_INTERVALS * interArrivalMs);
  if (f.scheduleLagMs.p99 > lagLimit) reasons.push(`schedule lag p99 ${fmt(f.scheduleLagMs.p99)} ms (arrivals are ${fmt(interArrivalMs)} ms apart)`);
  // Drops while the target answered within its latency SLOs: the in-flight cap, not the target, was short.
  // Drops while latency broke are the target's backlog (Little's law), so they count against it.
  const latencyBroke = failed.some((s) => isLatencyMetric(s.metric));
  if (f.dropped > 0 && !latencyBroke) reasons.push(`${f.dropped} arrivals dropped at the in-flight cap (http.maxInFlight) while the target answered within its latency SLOs`);
  if (f.generatorCpu >= CPU_LIMIT * f.generatorCores) reasons.push(`generator CPU at ${Math.round((f.generatorCpu / f.generatorCores) * 100)}% of ${f.generatorCores} core${f.generatorCores === 1 ? '' : 's'}`);
  return reasons;
}

/** What to do about a generator limit. */
export function generatorHint(workers: number): string {
  return workers > 1
    ? `bench could not drive this rate with ${workers} workers: add --workers (up to the cores you have) or split the load over machines (bench run --segment i/N, bench k8s)`
    : 'bench could not drive this rate from one thread: try --workers N (one per core), or split the load over machines (bench run --segment i/N, bench k8s)';
}

function fmt(n: number): string {
  return n >= 10 ? n.toFixed(0) : n.toFixed(2);
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
