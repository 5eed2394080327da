// The capacity search policy. Pure: the probe history in, the next probe (or the conclusion) out.
//
//   rise     from --from, ×growth per probe, until a probe does not pass (or --max is reached)
//   recheck  a rise probe that failed is probed once more, a generator-limited one up to twice more:
//            one unlucky probe on a noisy target (or a stall of a shared machine) must not end the rise
//   bisect   between the best pass and the lowest non-passing rate above it, until within --precision
//   confirm  the best pass, by a longer run; if it fails there, that rate becomes the ceiling (step down)
//
// A rate's verdict is its latest probe's. The ceiling is the LOWEST rate that did not pass, and the
// capacity is the highest pass below it: a pass above a failure (a noisy or non-monotonic target) never
// raises the capacity past that failure. A probe the generator could not drive ('limited') bounds the
// search like a failure but is never the target's capacity.

export type Verdict = 'pass' | 'fail' | 'limited';
export type ProbeKind = 'rise' | 'recheck' | 'bisect' | 'confirm';

export interface ProbeRecord {
  rate: number;
  verdict: Verdict;
  kind: ProbeKind;
}

export interface SearchConfig {
  /** first rate, per second */
  from: number;
  /** highest rate ever probed, per second */
  max: number;
  /** stop bisecting once (ceiling − best pass) / best pass ≤ precision (0.05 = 5%) */
  precision: number;
  /** rise factor per probe (default 2) */
  growth?: number;
  /** hard bound on the number of probes (default 60) */
  maxProbes?: number;
}

export type OutcomeStatus =
  /** the best pass below the lowest failure, confirmed */
  | 'found'
  /** --max passed, confirmed: the capacity is at least --max */
  | 'at-max'
  /** not even --from passed */
  | 'never-passed'
  /** the ceiling is the generator's, not the target's */
  | 'generator-limited'
  /** stopped before the search concluded (--max-time, Ctrl-C, the probe bound): the bracket so far */
  | 'stopped';

export interface Outcome {
  status: OutcomeStatus;
  /** the target's capacity at SLO; null unless status is 'found' or 'at-max' */
  capacity: number | null;
  /** highest passing rate below the ceiling (the lower end of the bracket), confirmed or not */
  bestPass: number | null;
  /** whether bestPass passed a confirmation run */
  confirmed: boolean;
  /** lowest rate the target failed at (the upper end of the bracket when the target set it) */
  firstFailure: number | null;
  /** lowest rate the generator could not drive */
  limitedAt: number | null;
  /** passes above the ceiling: the target was noisy or non-monotonic there */
  passesAboveCeiling: number[];
}

export type Decision = { type: 'probe'; rate: number; kind: ProbeKind } | { type: 'done'; outcome: Outcome };

const DEFAULT_GROWTH = 2;
/** Probes at one rate before a failure ends the rise, and before a generator limit bounds the search. */
const FAIL_ATTEMPTS = 2;
const LIMITED_ATTEMPTS = 3;
const DEFAULT_MAX_PROBES = 60;

export function nextProbe(config: SearchConfig, history: readonly ProbeRecord[]): Decision {
  const growth = config.growth ?? DEFAULT_GROWTH;
  if (history.length >= (config.maxProbes ?? DEFAULT_MAX_PROBES)) return done(conclude(history, 'stopped'));
  if (history.length === 0) return { type: 'probe', rate: roundRate(Math.min(config.from, config.max)), kind: 'rise' };
  const view = bracket(history);
  const { lo, hi } = view;

  if (hi !== null) {
    const ceiling = view.rates.get(hi)!;
    // Another look at a rise failure or a generator limit before it bounds the search.
    if (ceiling.verdict === 'limited' ? ceiling.count < LIMITED_ATTEMPTS : ceiling.count < FAIL_ATTEMPTS && ceiling.kinds.has('rise')) return { type: 'probe', rate: hi, kind: 'recheck' };
    if (lo === null) return done(conclude(history));
    const mid = roundRate((lo + hi) / 2);
    if ((hi - lo) / lo > config.precision && mid > lo && mid < hi) return { type: 'probe', rate: mid, kind: 'bisect' };
    if (!view.rates.get(lo)!.confirmed) return { type: 'probe', rate: lo, kind: 'confirm' };
    return done(conclude(history));
  }

  // Still rising: every rate so far passed.
  const top = lo!;
  if (top >= config.max) {
    if (!view.rates.get(top)!.confirmed) return { type: 'probe', rate: top, kind: 'confirm' };
    return done(conclude(history));
  }
  return { type: 'probe', rate: roundRate(Math.min(config.max, Math.max(top * growth, top + 1))), kind: 'rise' };
}

/** What the history shows so far; `stopped` when the search ends before the policy concluded. */
export function conclude(history: readonly ProbeRecord[], forced?: 'stopped'): Outcome {
  const { lo, hi, rates, passesAboveCeiling } = bracket(history);
  const ceiling = hi === null ? null : rates.get(hi)!;
  const firstFailure = lowest(rates, 'fail');
  const limitedAt = lowest(rates, 'limited');
  const confirmed = lo !== null && rates.get(lo)!.confirmed;
  const base = { bestPass: lo, confirmed, firstFailure, limitedAt, passesAboveCeiling };
  if (forced || (lo !== null && !confirmed)) return { status: 'stopped', capacity: null, ...base };
  if (lo === null) {
    if (ceiling?.verdict === 'limited') return { status: 'generator-limited', capacity: null, ...base };
    return { status: ceiling ? 'never-passed' : 'stopped', capacity: null, ...base };
  }
  if (ceiling === null) return { status: 'at-max', capacity: lo, ...base };
  if (ceiling.verdict === 'limited') return { status: 'generator-limited', capacity: null, ...base };
  return { status: 'found', capacity: lo, ...base };
}

interface RateView {
  verdict: Verdict;
  count: number;
  kinds: Set<ProbeKind>;
  /** the latest probe here was a passing confirmation */
  confirmed: boolean;
}

function bracket(history: readonly ProbeRecord[]): { lo: number | null; hi: number | null; rates: Map<number, RateView>; passesAboveCeiling: number[] } {
  const rates = new Map<number, RateView>();
  for (const probe of history) {
    const view = rates.get(probe.rate) ?? { verdict: probe.verdict, count: 0, kinds: new Set<ProbeKind>(), confirmed: false };
    view.verdict = probe.verdict;
    view.count++;
    view.kinds.add(probe.kind);
    view.confirmed = probe.kind === 'confirm' && probe.verdict === 'pass';
    rates.set(probe.rate, view);
  }
  let hi: number | null = null;
  for (const [rate, view] of rates) if (view.verdict !== 'pass' && (hi === null || rate < hi)) hi = rate;
  let lo: number | null = null;
  const passesAboveCeiling: number[] = [];
  for (const [rate, view] of rates) {
    if (view.verdict !== 'pass') continue;
    if (hi !== null && rate > hi) passesAboveCeiling.push(rate);
    else if (lo === null || rate > lo) lo = rate;
  }
  return { lo, hi, rates, passesAboveCeiling: passesAboveCeiling.sort((a, b) => a - b) };
}

function lowest(rates: Map<number, RateView>, verdict: Verdict): number | null {
  let min: number | null = null;
  for (const [rate, view] of rates) if (view.verdict === verdict && (min === null || rate < min)) min = rate;
  return min;
}

function done(outcome: Outcome): Decision {
  return { type: 'done', outcome };
}

/** Three significant figures (2,400/s, 137/s, 4.5/s): rates a person can read and re-run. */
export function roundRate(rate: number): number {
  if (rate <= 0) return 0;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(rate)));
  const f = 10 ** digits;
  return Math.round(rate * f) / f;
}
