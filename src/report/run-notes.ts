// Sentences about how a run was carried out that every human-facing report must state plainly.
import type { RunResult } from '../types.js';
import { formatCount } from './format.js';

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
  if (result.totals.dropped > 0) {
    notes.push(`${formatCount(result.totals.dropped)} arrivals were dropped: the generator hit its in-flight limit, so the target saw less load than planned (they count as errors in error_rate).`);
  }
  return notes;
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
