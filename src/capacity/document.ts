// capacity.json: the search's result document, its one-line verdicts and its exit code. Pure.
import type { SloResult } from '../types.js';
import { VERSION } from '../version.js';
import { ABSOLUTE_METRICS } from '../slo/evaluate.js';
import { formatRate, formatUnitValue } from '../report/format.js';
import type { OutcomeStatus } from './policy.js';
import { generatorHint, type ProbeReport } from './probe.js';
import type { SearchRun, SearchSettings, TargetSearch } from './run.js';

export interface BrokenSlo {
  expr: string;
  endpoint: string | null;
  actual: number | null;
  threshold: number;
  unit: string;
}

export interface CapacityTarget {
  name: string;
  target: string;
  status: OutcomeStatus;
  /** the highest rate the target sustained within its SLOs (confirmed); null when the search could not tell */
  capacity: number | null;
  /** highest passing rate below the ceiling, confirmed or not (the bracket's lower end) */
  bestPass: number | null;
  confirmed: boolean;
  /** lowest rate the target failed its SLOs at, and the SLOs that broke there */
  firstFailure: number | null;
  brokenSlos: BrokenSlo[];
  /** lowest rate the generator could not drive, and why */
  limitedAt: number | null;
  limitedBy: string[];
  hint?: string;
  /** passes above the lowest failure (a noisy or non-monotonic target) */
  passesAboveCeiling: number[];
  /** the verdict in words */
  message: string;
  probes: ProbeReport[];
}

export interface CapacityDocument {
  schemaVersion: 1;
  kind: 'capacity';
  tool: { name: 'bench'; version: string };
  scenario: string;
  startedAt: string;
  durationMs: number;
  settings: {
    fromRate: number;
    maxRate: number;
    precision: number;
    stepMs: number;
    confirmMs: number;
    warmupMs: number;
    coolDownMs: number;
    maxTimeMs: number;
    workers: number;
  };
  /** the scenario's SLOs; `judged: false` for the absolute ones the search does not judge (rps, requests…) */
  slo: Array<{ expr: string; endpoint: string | null; judged: boolean }>;
  sloDefaults: boolean;
  minCapacity: number | null;
  /** the --min-capacity verdict: true/false, null when no minimum was asked or the search could not tell */
  pass: boolean | null;
  verdict: string;
  stopReason?: 'max-time' | 'interrupted';
  targets: CapacityTarget[];
}

export function buildDocument(run: SearchRun, settings: SearchSettings, minCapacity: number | null): CapacityDocument {
  const targets = run.targets.map(targetDocument);
  const doc: CapacityDocument = {
    schemaVersion: 1,
    kind: 'capacity',
    tool: { name: 'bench', version: VERSION },
    scenario: run.plan.name,
    startedAt: new Date(run.startedAt).toISOString(),
    durationMs: run.durationMs,
    settings: {
      fromRate: settings.from,
      maxRate: settings.max,
      precision: settings.precision,
      stepMs: settings.stepSeconds * 1000,
      confirmMs: settings.confirmSeconds * 1000,
      warmupMs: settings.warmupSeconds * 1000,
      coolDownMs: settings.coolDownMs,
      maxTimeMs: settings.maxTimeMs,
      workers: settings.workers,
    },
    slo: run.plan.slo.map((s) => ({ expr: s.expr, endpoint: s.endpoint, judged: !ABSOLUTE_METRICS.has(s.metric) })),
    sloDefaults: run.plan.sloDefaults,
    minCapacity,
    pass: minCapacityVerdict(targets, minCapacity),
    verdict: verdictLine(targets, minCapacity),
    targets,
  };
  if (run.stopReason) doc.stopReason = run.stopReason;
  return doc;
}

function targetDocument(search: TargetSearch): CapacityTarget {
  const { outcome, probes, target } = search;
  const latestAt = (rate: number | null): ProbeReport | undefined => (rate === null ? undefined : probes.filter((p) => p.offeredRate === rate).at(-1));
  const failure = latestAt(outcome.firstFailure);
  const limited = latestAt(outcome.limitedAt);
  const doc: CapacityTarget = {
    name: target.name,
    target: target.url,
    status: outcome.status,
    capacity: outcome.capacity,
    bestPass: outcome.bestPass,
    confirmed: outcome.confirmed,
    firstFailure: outcome.firstFailure,
    brokenSlos: (failure?.failed ?? []).map(brokenSlo),
    limitedAt: outcome.limitedAt,
    limitedBy: limited?.limitedBy ?? [],
    passesAboveCeiling: outcome.passesAboveCeiling,
    message: '',
    probes,
  };
  if (outcome.limitedAt !== null) doc.hint = generatorHint(workersOf(probes));
  doc.message = targetMessage(doc);
  return doc;
}

function workersOf(probes: readonly ProbeReport[]): number {
  return probes[0]?.generatorCores ?? 1;
}

function brokenSlo(s: SloResult): BrokenSlo {
  return { expr: s.expr, endpoint: s.endpoint, actual: s.actual, threshold: s.threshold, unit: s.unit };
}

/** "2,400/s" */
export function rateText(rate: number): string {
  return `${formatRate(rate).replace(/\.0$/, '')}/s`;
}

export function brokenText(slos: readonly BrokenSlo[]): string {
  return slos.map((s) => `${s.endpoint ? `${s.endpoint}: ` : ''}${s.expr} (was ${formatUnitValue(s.actual, s.unit)})`).join(', ');
}

function targetMessage(t: CapacityTarget): string {
  const broke = t.brokenSlos.length ? `: ${brokenText(t.brokenSlos)}` : '';
  switch (t.status) {
    case 'found':
      return `sustains ${rateText(t.capacity!)} within SLOs; at ${rateText(t.firstFailure!)} ${t.brokenSlos.length ? `it broke ${brokenText(t.brokenSlos)}` : 'it failed'}`;
    case 'at-max':
      return `sustains at least ${rateText(t.capacity!)} within SLOs (the --max of the search; raise --max to look further)`;
    case 'never-passed':
      return `never passed, not even the lowest rate ${rateText(t.firstFailure ?? 0)}${broke}; lower --from or look at the target`;
    case 'generator-limited':
      return `limited by the generator at ${rateText(t.limitedAt!)} (${t.limitedBy.join('; ')}): this is bench's limit, not the target's capacity${t.bestPass !== null ? `; the target sustained at least ${rateText(t.bestPass)}` : ''}`;
    case 'stopped': {
      const lo = t.bestPass !== null ? `passed at ${rateText(t.bestPass)}${t.confirmed ? '' : ' (unconfirmed)'}` : 'no rate passed yet';
      const hi = t.firstFailure !== null ? `, failed at ${rateText(t.firstFailure)}${broke}` : t.limitedAt !== null ? `, generator-limited at ${rateText(t.limitedAt)}` : '';
      return `search stopped before it concluded: ${lo}${hi}`;
    }
  }
}

/** The lower bound a target proved: its capacity, or the best pass when the search could not finish. */
function provenAtLeast(t: CapacityTarget): number | null {
  return t.capacity ?? t.bestPass;
}

/** Per target: true (≥ min), false (< min), null (cannot tell). */
export function meetsMinimum(t: CapacityTarget, min: number): boolean | null {
  if (t.status === 'never-passed') return false;
  if (t.capacity !== null) return t.capacity >= min;
  const atLeast = provenAtLeast(t);
  if (atLeast !== null && atLeast >= min) return true;
  if (t.firstFailure !== null && t.firstFailure <= min) return false;
  return null;
}

function minCapacityVerdict(targets: readonly CapacityTarget[], min: number | null): boolean | null {
  if (min === null) return null;
  const verdicts = targets.map((t) => meetsMinimum(t, min));
  if (verdicts.includes(false)) return false;
  if (verdicts.includes(null)) return null;
  return true;
}

/**
 * 0: the capacity is at least --min-capacity (or no minimum was asked); 1: below it, or the target never
 * passed even the lowest rate; 3: the search could not tell (generator-limited below the minimum, or no
 * target figures at all). 130 (interrupted) is the command's.
 */
export function exitCodeOf(doc: CapacityDocument): number {
  if (doc.minCapacity !== null) return doc.pass === true ? 0 : doc.pass === false ? 1 : 3;
  if (doc.targets.some((t) => t.status === 'never-passed')) return 1;
  if (doc.targets.some((t) => t.status === 'generator-limited' || (t.status === 'stopped' && t.bestPass === null))) return 3;
  return 0;
}

/** "monolith sustains 2,400/s within SLOs, microservices 1,900/s (−21%)" — or one target's message. */
export function verdictLine(targets: readonly CapacityTarget[], min: number | null): string {
  const minText = min === null ? '' : minimumText(targets, min);
  if (targets.length === 1) return `${targets[0]!.name} ${targets[0]!.message}${minText}`;
  const [a, b] = targets as [CapacityTarget, CapacityTarget];
  if (a.status === 'found' && b.status === 'found') {
    return `${a.name} sustains ${rateText(a.capacity!)} within SLOs, ${b.name} ${rateText(b.capacity!)} (${signedPercent((b.capacity! - a.capacity!) / a.capacity!)})${minText}`;
  }
  return targets.map((t) => `${t.name} ${shortPhrase(t)}`).join('; ') + minText;
}

function shortPhrase(t: CapacityTarget): string {
  switch (t.status) {
    case 'found':
      return `sustains ${rateText(t.capacity!)} within SLOs`;
    case 'at-max':
      return `sustains at least ${rateText(t.capacity!)} (the --max)`;
    case 'never-passed':
      return `never passed, not even ${rateText(t.firstFailure ?? 0)}`;
    case 'generator-limited':
      return `${t.bestPass !== null ? `sustains at least ${rateText(t.bestPass)}; ` : ''}above, bench was the limit (at ${rateText(t.limitedAt!)}), not the target`;
    case 'stopped':
      return `${t.bestPass !== null ? `passed ${rateText(t.bestPass)}${t.confirmed ? '' : ' (unconfirmed)'}` : 'no pass yet'}${t.firstFailure !== null ? `, failed ${rateText(t.firstFailure)}` : t.limitedAt !== null ? `, generator-limited at ${rateText(t.limitedAt)}` : ''} (search stopped early)`;
  }
}

function minimumText(targets: readonly CapacityTarget[], min: number): string {
  const verdicts = targets.map((t) => meetsMinimum(t, min));
  const word = verdicts.includes(false) ? 'below' : verdicts.includes(null) ? 'undetermined against' : 'meets';
  return ` — ${word} --min-capacity ${rateText(min)}`;
}

function signedPercent(fraction: number): string {
  const pct = Math.round(fraction * 100);
  return pct > 0 ? `+${pct}%` : pct < 0 ? `−${Math.abs(pct)}%` : '±0%';
}

/** Every string of the document through the redactor (target URLs, SLO names, messages): secrets never reach a report. */
export function redactDocument<T>(value: T, redact: (text: string) => string): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDocument(v, redact)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDocument(v, redact)])) as T;
  }
  return value;
}
