// The run's verdict: its SLOs, plus the rules no SLO list can switch off. Every place that judges a run
// (a run's result, `bench merge`, A/B rounds) calls this, on the same inputs. Pure.
import type { RunResult, SloResult, SloSpec } from '../types.js';
import { successesOf } from '../metrics/stats.js';
import { allPass, evaluateSlos, type EvaluateOptions, type Measured } from './evaluate.js';

export interface JudgeOptions extends EvaluateOptions {
  /** why the run ended early, if it did */
  stopReason?: RunResult['stopReason'];
  /** the abortOnFail SLO that stopped it ("error_rate < 5%") */
  abortedBy?: string;
}

export interface Verdict {
  slo: SloResult[];
  pass: boolean;
  /** why the run failed apart from its SLO rows, one sentence each (empty when nothing but the SLOs decided) */
  reasons: string[];
}

export function judgeRun(specs: readonly SloSpec[], measured: Measured, options: JudgeOptions = {}): Verdict {
  const slo = evaluateSlos(specs, measured, options);
  const reasons = [...noSuccessReason(measured), ...stopReasons(options)];
  return { slo, pass: allPass(slo) && reasons.length === 0, reasons };
}

/** A run in which no request succeeded never passes: latency SLOs alone would pass a dead target. */
function noSuccessReason({ totals }: Measured): string[] {
  if (successesOf(totals) > 0) return [];
  if (totals.requests === 0) {
    const dropped = totals.dropped > 0 ? ` (${totals.dropped} arrivals were dropped)` : '';
    return [`no request succeeded: no request was sent${dropped}`];
  }
  const kinds = Object.entries(totals.errorKinds)
    .filter(([kind, n]) => kind !== 'dropped' && (n ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([kind, n]) => `${kind} ×${n}`);
  return [`no request succeeded: all ${totals.requests} requests failed${kinds.length ? ` (${kinds.join(', ')})` : ''}`];
}

/** A stopped run covers part of its load: its figures cannot vouch for the whole. */
function stopReasons({ stopReason, abortedBy }: JudgeOptions): string[] {
  switch (stopReason) {
    case undefined:
      return [];
    case 'interrupted':
      return ['the run was interrupted (Ctrl-C or SIGTERM): its figures cover only part of the planned load'];
    case 'slo-abort':
      return [`the run was aborted early: ${abortedBy ? `"${abortedBy}"` : 'an SLO marked abortOnFail'} failed over its window`];
    case 'error':
      return ['the run stopped early on an error: its figures cover only part of the planned load'];
  }
}
