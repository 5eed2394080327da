// Sentences about how a run was carried out that every human-facing report must state plainly.
import type { RunResult } from '../types.js';

/** Caveats and context, one sentence each; empty when there is nothing to say. */
export function runNotes(result: RunResult): string[] {
  const notes: string[] = [];
  const modelNote = latencyModelNote(result.model);
  if (modelNote) notes.push(modelNote);
  if (result.stopReason) notes.push(`The run stopped early: ${STOP_REASONS[result.stopReason]}.`);
  if (result.segment) {
    notes.push(
      `This is segment ${result.segment.index}/${result.segment.count} of a split load; absolute SLOs are judged by "bench merge".`,
    );
  }
  if (result.mergedFrom !== undefined) notes.push(`Merged from ${result.mergedFrom} result files.`);
  if (result.totals.dropped > 0) {
    notes.push(`${result.totals.dropped} arrivals were dropped: the generator hit its in-flight limit, so the target saw less load than planned.`);
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
  'slo-abort': 'an SLO marked abortOnFail failed',
  error: 'an error',
};
