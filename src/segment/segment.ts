// Segments: the i-th of N equal parts of a plan's load (k6's execution segments), for `--segment i/N`
// (separate processes or pods) and `--workers N` (threads). Pure: a Plan in, a new Plan out.
//
// Open phases are split by striding the one full schedule (segment i sends arrivals k ≡ i mod N at their
// full-schedule times), so the segments together send exactly the arrivals one generator would, at the
// same instants: no rounding of rates, no drift between machines. Closed phases split the users.
import { UsageError } from '../errors.js';
import type { ClosedPhase, HttpOptions, OpenPhase, Phase, Plan, Vars } from '../types.js';

export interface Segment {
  index: number;
  count: number;
}

const SEGMENT_TEXT = /^\s*(\d+)\s*\/\s*(\d+)\s*$/;

/** "i/N" with 0 ≤ i < N → { index, count }; anything else is a usage error. */
export function parseSegment(text: string): Segment {
  const m = SEGMENT_TEXT.exec(text);
  if (!m) throw new UsageError(`invalid segment "${text}": expected i/N, e.g. 0/4 (index i from 0 to N-1)`);
  const segment = { index: Number(m[1]), count: Number(m[2]) };
  checkSegment(segment.index, segment.count, text);
  return segment;
}

/** The plan for segment `index` of `count`. Applying it to an already segmented plan splits that segment. */
export function segmentPlan(plan: Plan, index: number, count: number): Plan {
  checkSegment(index, count, `${index}/${count}`);
  if (count === 1) return { ...plan }; // the whole load: nothing to split
  const parentVars = plan.iterationVars;
  return {
    ...plan,
    phases: plan.phases.map((phase) => segmentPhase(phase, index, count)),
    // Segment i's local iteration n is global iteration n·N + i: segments never share a data row.
    iterationVars: (seq: number, shared: Vars): Vars => parentVars(seq * count + index, shared),
    ...(plan.maxRate === undefined ? {} : { maxRate: plan.maxRate / count }),
    http: segmentHttp(plan.http, index, count),
  };
}

/**
 * Caps on concurrency are part of the load too (k6 splits maxVUs the same way): the segments together keep
 * the scenario's in-flight cap and connection count, each segment keeping at least one.
 */
function segmentHttp(http: HttpOptions, index: number, count: number): HttpOptions {
  const part = (n: number): number => Math.max(1, usersInSegment(n, index, count));
  return {
    ...http,
    maxInFlight: part(http.maxInFlight),
    ...(http.connections === undefined ? {} : { connections: part(http.connections) }),
  };
}

/** Users of a closed phase that segment `index` of `count` runs: the remainder goes to the first segments. */
export function usersInSegment(vus: number, index: number, count: number): number {
  return Math.floor(vus / count) + (index < vus % count ? 1 : 0);
}

function segmentPhase(phase: Phase, index: number, count: number): Phase {
  return phase.kind === 'open' ? strideOpenPhase(phase, index, count) : splitClosedPhase(phase, index, count);
}

function strideOpenPhase(phase: OpenPhase, index: number, count: number): OpenPhase {
  // Nested split: the parent sends global arrivals p + m·c; its local arrival m ≡ index (mod count)
  // is global p + (index + j·count)·c = (p + index·c) + j·(c·count).
  const parent = phase.stride ?? { index: 0, count: 1 };
  return { ...phase, stride: { index: parent.index + index * parent.count, count: parent.count * count } };
}

function splitClosedPhase(phase: ClosedPhase, index: number, count: number): ClosedPhase {
  // A segment left with 0 users still keeps the phase, idling through it, so later phases start in step.
  const split: ClosedPhase = { ...phase, vus: usersInSegment(phase.vus, index, count) };
  if (phase.rampTo !== undefined) split.rampTo = usersInSegment(phase.rampTo, index, count);
  // Shared iterations go to the segments that have users (the first min(vus, N)), split like users:
  // together exactly the scenario's users and iterations. Per-user iterations stay per user.
  if (phase.iterations && !phase.iterations.perVu) {
    const withUsers = Math.min(phase.vus, count);
    split.iterations = { ...phase.iterations, count: index < withUsers ? usersInSegment(phase.iterations.count, index, withUsers) : 0 };
  }
  return split;
}

function checkSegment(index: number, count: number, text: string): void {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new UsageError(`invalid segment "${text}": the segment count N must be a whole number of at least 1`);
  }
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new UsageError(`invalid segment "${text}": the index must be from 0 to ${count - 1}`);
  }
}
