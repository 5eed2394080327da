// Sentences about how a run was carried out that every human-facing report must state plainly.
import type { RunResult } from '../types.js';
import { formatCount, formatMs, formatRate } from './format.js';

export type VerdictLabel = 'PASS' | 'FAIL' | 'INTERRUPTED' | 'ABORTED' | 'STOPPED';

/**
 * The headline word of every report. A stopped run is named for its stop, never PASS: its figures cover
 * part of the load (result.json's `pass` is false for it too).
 */
export function verdictLabel(result: RunResult): VerdictLabel {
  switch (result.stopReason) {
    case 'interrupted':
      return 'INTERRUPTED';
    case 'slo-abort':
      return 'ABORTED';
    case 'error':
      return 'STOPPED';
    default:
      return result.pass ? 'PASS' : 'FAIL';
  }
}

/** Why the run failed apart from its SLO rows (results written before `reasons` existed: from stopReason). */
export function failureReasons(result: RunResult): string[] {
  if (result.reasons) return result.reasons;
  return result.stopReason ? [`the run stopped early: ${STOP_REASONS[result.stopReason]}`] : [];
}

/**
 * Caveats and context, one sentence each; empty when there is nothing to say. The failure reasons come
 * first, unless the reporter shows them itself (`reasons: false`).
 */
export function runNotes(result: RunResult, options: { reasons?: boolean } = {}): string[] {
  const notes: string[] = options.reasons === false ? [] : failureReasons(result).map((r) => `FAIL: ${r}.`);
  const modelNote = latencyModelNote(result.model);
  if (modelNote) notes.push(modelNote);
  notes.push(...lowerBoundNotes(result));
  if (result.partial) notes.unshift(`${partialNote(result.partial)}; absolute SLOs (rps, requests, errors, dropped) are not judged.`);
  if (result.incomplete) notes.unshift(`incomplete: ${result.incomplete.reason}; its figures cover only what it flushed.`);
  if (result.segment) {
    notes.push(
      `This is segment ${result.segment.index}/${result.segment.count} of a split load; absolute SLOs are judged by "bench merge".`,
    );
  }
  if (result.mergedFrom !== undefined) notes.push(`Merged from ${result.mergedFrom} result files.`);
  notes.push(...httpNotes(result));
  const phases = phasesNote(result);
  if (phases) notes.push(phases);
  const lag = scheduleLagNote(result);
  if (lag) notes.push(lag);
  const flows = flowsNote(result);
  if (flows) notes.push(flows);
  if (result.totals.dropped > 0) {
    notes.push(`${formatCount(result.totals.dropped)} arrivals were dropped: the generator hit its in-flight limit, so the target saw less load than planned (they count as errors in error_rate).`);
  }
  return notes;
}

const PROTOCOLS: Record<string, string> = { h1: 'HTTP/1.1', h2: 'HTTP/2' };

/** Which protocol each endpoint was answered over, retries on fresh connections, redirects followed. */
function httpNotes(result: RunResult): string[] {
  const http = result.http;
  if (!http) return [];
  const byProtocol = new Map<string, string[]>();
  const redirects: string[] = [];
  for (const [name, facts] of Object.entries(http.endpoints)) {
    if (facts.protocol) byProtocol.set(facts.protocol, [...(byProtocol.get(facts.protocol) ?? []), name]);
    if (facts.redirects > 0) redirects.push(`${name} ${formatCount(facts.redirects)}`);
  }
  const notes: string[] = [];
  if (byProtocol.size === 1) notes.push(`Protocol: ${PROTOCOLS[[...byProtocol.keys()][0]!] ?? [...byProtocol.keys()][0]} for every endpoint.`);
  else if (byProtocol.size > 1) notes.push(`Protocol: ${[...byProtocol].map(([p, names]) => `${PROTOCOLS[p] ?? p} for ${names.join(', ')}`).join('; ')}.`);
  if (http.retries > 0) {
    notes.push(`${formatCount(http.retries)} request${http.retries === 1 ? ' was' : 's were'} sent once more on a fresh connection: the server had closed the keep-alive connection they were written to before answering (retried as browsers do; the target saw them twice).`);
  }
  if (redirects.length > 0) notes.push(`Redirects followed (part of each step's latency): ${redirects.join(', ')}.`);
  return notes;
}

/** Beyond this p99 schedule lag the generator fell behind: the target saw bursts instead of the planned arrivals. */
export const LAG_WARNING_MS = 10;

/** Open phases: how late sends left against the schedule, with a warning when the generator fell behind. */
export function scheduleLagNote(result: RunResult): string | null {
  const lag = result.scheduleLagMs as RunResult['scheduleLagMs'] | undefined;
  if (result.model === 'closed' || result.totals.requests === 0 || !lag) return null;
  const figures = `mean ${formatMs(lag.mean)} ms · p99 ${formatMs(lag.p99)} ms · max ${formatMs(lag.max)} ms`;
  if (lag.p99 > LAG_WARNING_MS) {
    return `WARNING: the generator fell behind its schedule (schedule lag ${figures}): the target saw bursts, not the planned arrivals; give the generator more CPU (--workers) or lower the rate. Latency still counts from the intended send time.`;
  }
  return `Schedule lag (how late sends left against the schedule): ${figures}.`;
}

/** Per flow: iterations and how long they took (k6 iterations and iteration_duration). */
export function flowsNote(result: RunResult): string | null {
  const flows = result.flows ?? [];
  if (flows.length === 0) return null;
  const parts = flows.map((f) => {
    const cut = f.iterations - f.completed;
    const duration = f.completed > 0 ? `, duration p50 ${formatMs(f.durationMs.p50)} ms · p95 ${formatMs(f.durationMs.p95)} ms · max ${formatMs(f.durationMs.max)} ms` : '';
    return `${f.name} ${formatCount(f.iterations)} iterations${cut > 0 ? ` (${formatCount(cut)} ended early)` : ''}${duration}`;
  });
  return `Flows: ${parts.join(' · ')}.`;
}

/** More than one phase, or a named one: what each did, e.g. "Phases: warm-up 0–60 s (closed, 10→100 users, 1,234 iterations)". */
export function phasesNote(result: RunResult): string | null {
  const phases = result.phases ?? [];
  if (phases.length < 2 && !phases.some((p) => !/^phase \d+$/.test(p.name))) return null;
  const seconds = (ms: number): string => `${formatRate(ms / 1000).replace(/\.?0+$/, '')}`;
  const parts = phases.map((p) => {
    const shape =
      p.kind === 'open'
        ? p.rate === undefined ? 'open' : `open, ${formatRate(p.rate)}${p.rampTo !== undefined && p.rampTo !== p.rate ? `→${formatRate(p.rampTo)}` : ''}/s`
        : p.vus === undefined ? 'closed' : `closed, ${p.vus}${p.rampTo !== undefined && p.rampTo !== p.vus ? `→${p.rampTo}` : ''} users`;
    return `${p.name} ${seconds(p.startMs)}–${seconds(p.startMs + p.durationMs)} s (${shape}, ${formatCount(p.iterations)} iterations)`;
  });
  return `Phases: ${parts.join(' · ')}.`;
}

/** "partial: 3 of 4 segments (segment 3/4 missing; segment 1/4 incomplete: killed after 2.0 s)". */
export function partialNote(partial: NonNullable<RunResult['partial']>): string {
  const details = [
    ...partial.missing.map((i) => `segment ${i}/${partial.of} missing`),
    ...partial.incomplete.map((s) => `segment ${s.index}/${partial.of} incomplete: ${s.reason}`),
  ];
  return `partial: ${partial.segments} of ${partial.of} segments${details.length ? ` (${details.join('; ')})` : ''}`;
}

/** A timed-out or cut request is recorded at the time it was given up: its latency is a lower bound. */
function lowerBoundNotes(result: RunResult): string[] {
  const kinds = result.totals.errorKinds;
  const notes: string[] = [];
  const timeouts = kinds.timeout ?? 0;
  if (timeouts > 0) {
    notes.push(`${formatCount(timeouts)} request${timeouts === 1 ? '' : 's'} timed out: each is recorded at the timeout, so latency percentiles at or above the timeout are lower bounds.`);
  }
  const cut = kinds.interrupted ?? 0;
  if (cut > 0) {
    notes.push(`${formatCount(cut)} request${cut === 1 ? ' was' : 's were'} cut by the stop: each is recorded at the time it was cut, a lower bound of its latency.`);
  }
  return notes;
}

// Why this matters: in a closed loop a slow server slows the senders, so queueing delay never shows up in latency.
function latencyModelNote(model: RunResult['model']): string | null {
  if (model === 'closed') {
    return 'Closed model: latency here is service time under back-pressure (coordinated omission is not corrected).';
  }
  if (model === 'mixed') {
    return 'Mixed model: in the closed phases latency is service time under back-pressure (coordinated omission is not corrected there).';
  }
  return null;
}

const STOP_REASONS: Record<NonNullable<RunResult['stopReason']>, string> = {
  interrupted: 'interrupted',
  'slo-abort': 'aborted because an SLO marked abortOnFail failed',
  error: 'an error',
};
