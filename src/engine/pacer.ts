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

// ───────── waiting for an arrival: how to spend the time until it is due ─────────
//
// setTimeout wakes on a millisecond clock (up to ~1 ms early, later under load), so on its own it puts
// the generator's lateness into the latency it reports. Far from an arrival the engine sleeps on a
// timer, with the event loop free to read responses. Near it, with nothing in flight, it sleeps the
// thread precisely (Atomics.wait): there is nothing to read meanwhile. Near it with responses still
// outstanding, a sleeping thread would read them late and inflate their latency, so the engine parks:
// the next completed request (or a fallback timer) looks again, and only the last ~0.1 ms is bridged
// by spinning through the event loop (or, past the spin's CPU budget, by a sleep that short).
// The precise sleep ends a little late (the kernel's timer slack); with spin budget left the engine
// wakes that much early and spins the rest, otherwise it sends when the sleep ends.

export type WaitStep =
  /** due: send it now */
  | { kind: 'send' }
  /** far: an event-loop timer of `ms` whole milliseconds (≥ 1) */
  | { kind: 'timer'; ms: number }
  /** near, nothing in flight: sleep the thread `ms`, then look again */
  | { kind: 'block'; ms: number }
  /** near, responses outstanding: look again when a request completes, or after a timer of `ms` whole ms */
  | { kind: 'park'; ms: number }
  /** a few tens of µs to go: one turn of the event loop, then look again */
  | { kind: 'spin' };

export interface WaitTuning {
  /** what an event-loop timer must leave to go when it fires (they fire up to ~1 ms early, and late under load) */
  nearMs: number;
  /** with requests in flight, how close to the arrival the engine stops parking and bridges the rest */
  bridgeMs: number;
  /** how much later than asked a precise sleep typically ends (measured as the run goes) */
  overshootMs: number;
  /** whether spinning is within the CPU budget right now */
  spinAllowed: boolean;
}

export const DEFAULT_WAIT_TUNING: Readonly<WaitTuning> = { nearMs: 2, bridgeMs: 0.1, overshootMs: 0.06, spinAllowed: true };

/** Shorter sleeps than this are not worth a system call: the overshoot alone is longer. */
const MIN_SLEEP_MS = 0.01;

/** The next step while waiting for an arrival `remainingMs` from now (≤ 0: due). Pure. */
export function nextWait(remainingMs: number, inFlight: number, tuning: WaitTuning): WaitStep {
  if (!(remainingMs > 0)) return { kind: 'send' };
  // A timer of n ms fires between ~n − 1 and n (+ scheduling delay) ms from now: still ≥ nearMs − 1 ahead.
  if (remainingMs >= tuning.nearMs + 1) return { kind: 'timer', ms: Math.floor(remainingMs - tuning.nearMs) };
  if (inFlight > 0 && remainingMs > tuning.bridgeMs) return { kind: 'park', ms: Math.max(1, Math.floor(remainingMs)) };
  // With spin budget, wake one overshoot early and spin the rest; without, sleep to the due time.
  const sleepMs = remainingMs - (tuning.spinAllowed ? tuning.overshootMs : 0);
  if (sleepMs < MIN_SLEEP_MS) return tuning.spinAllowed || remainingMs < MIN_SLEEP_MS ? { kind: 'spin' } : { kind: 'block', ms: remainingMs };
  // In flight, a spin bridges the last stretch (a sleep would read their responses late), while the budget lasts.
  if (inFlight > 0 && tuning.spinAllowed) return { kind: 'spin' };
  return { kind: 'block', ms: sleepMs };
}
