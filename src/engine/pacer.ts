// The open-model pacer: when should arrival k of a phase be sent? Pure, so it tests without a clock.
//
// With a linear ramp from r0 to r1 arrivals/s over T seconds, the expected number of arrivals by time t
// is the integral of the rate: N(t) = r0·t + (r1 − r0)·t² / (2T). Arrival k (0-based) is due when
// N(t) = k, so the first is at t = 0 and a constant 200/s × 5 s phase has exactly 1000 arrivals.
import type { OpenPhase } from '../types.js';

/** Number of arrivals in the full schedule of a phase: the integers k ≥ 0 with k < N(T). */
export function arrivalCount(rate: number, rampTo: number, durationMs: number): number {
  const total = ((rate + rampTo) / 2) * (durationMs / 1000);
  // Guard float noise (200/s × 5 s must be 1000, not 1000.0000000001 → 1001).
  return Math.max(0, Math.ceil(total - 1e-9));
}

/** Time (ms since phase start) of arrival k of the full schedule, or null when it falls past the end. */
export function arrivalTimeMs(rate: number, rampTo: number, durationMs: number, k: number): number | null {
  if (k >= arrivalCount(rate, rampTo, durationMs)) return null;
  if (k === 0) return 0;
  const seconds = durationMs / 1000;
  const a = (rampTo - rate) / (2 * seconds);
  // Root of a·t² + r0·t − k = 0 in the numerically stable form (no cancellation when a → 0).
  const t = (2 * k) / (rate + Math.sqrt(rate * rate + 4 * a * k));
  return Math.min(t * 1000, durationMs);
}

/** What one generator sends of an open phase: every arrival, or every count-th from index (a segment). */
export interface PhaseSchedule {
  /** arrivals this generator sends in the phase */
  count: number;
  /** intended send time (ms since phase start) of this generator's j-th arrival */
  timeMs(j: number): number;
}

export function phaseSchedule(phase: OpenPhase): PhaseSchedule {
  const { rate, rampTo, durationMs } = phase;
  const index = phase.stride?.index ?? 0;
  const step = phase.stride?.count ?? 1;
  const full = arrivalCount(rate, rampTo, durationMs);
  const count = full > index ? Math.ceil((full - index) / step) : 0;
  return { count, timeMs: (j) => arrivalTimeMs(rate, rampTo, durationMs, index + j * step) ?? durationMs };
}
