// The capacity search policy against simulated targets: a function from the offered rate to a verdict.
import { describe, expect, it } from 'vitest';
import { conclude, nextProbe, roundRate, type Outcome, type ProbeKind, type ProbeRecord, type SearchConfig, type Verdict } from '../src/capacity/policy.js';

type Target = (rate: number, kind: ProbeKind, probeIndex: number) => Verdict;

function search(config: SearchConfig, target: Target): { outcome: Outcome; history: ProbeRecord[] } {
  const history: ProbeRecord[] = [];
  for (let i = 0; i < 200; i++) {
    const next = nextProbe(config, history);
    if (next.type === 'done') return { outcome: next.outcome, history };
    history.push({ rate: next.rate, kind: next.kind, verdict: target(next.rate, next.kind, i) });
  }
  throw new Error('the policy did not conclude in 200 probes');
}

const threshold =
  (capacity: number): Target =>
  (rate) =>
    rate <= capacity ? 'pass' : 'fail';

const CONFIG: SearchConfig = { from: 10, max: 50_000, precision: 0.05 };

describe('capacity policy: clean targets', () => {
  it.each([37, 300, 1_234, 2_400, 9_999])('finds a sharp capacity of %d/s within the precision, confirmed', (capacity) => {
    const { outcome, history } = search(CONFIG, threshold(capacity));
    expect(outcome.status).toBe('found');
    expect(outcome.capacity).not.toBeNull();
    expect(outcome.capacity!).toBeLessThanOrEqual(capacity);
    expect(outcome.capacity!).toBeGreaterThanOrEqual(capacity * 0.95);
    expect(outcome.firstFailure!).toBeGreaterThan(capacity);
    expect((outcome.firstFailure! - outcome.capacity!) / outcome.capacity!).toBeLessThanOrEqual(0.05);
    expect(outcome.confirmed).toBe(true);
    // The last probe is the confirmation of the reported capacity.
    expect(history.at(-1)).toEqual({ rate: outcome.capacity, kind: 'confirm', verdict: 'pass' });
  });

  it('rises geometrically from --from, then bisects between the last pass and the first failure', () => {
    const { history } = search(CONFIG, threshold(300));
    const rates = history.map((p) => `${p.kind}:${p.rate}:${p.verdict}`);
    expect(rates.slice(0, 7)).toEqual(['rise:10:pass', 'rise:20:pass', 'rise:40:pass', 'rise:80:pass', 'rise:160:pass', 'rise:320:fail', 'recheck:320:fail']);
    expect(history[7]).toEqual({ rate: 240, kind: 'bisect', verdict: 'pass' });
    for (const p of history.slice(7, -1)) expect(p.kind).toBe('bisect');
  });

  it('never probes above --max; a target that passes --max is reported at-max (at least --max)', () => {
    const { outcome, history } = search({ ...CONFIG, max: 500 }, threshold(10_000));
    expect(Math.max(...history.map((p) => p.rate))).toBe(500);
    expect(outcome.status).toBe('at-max');
    expect(outcome.capacity).toBe(500);
    expect(outcome.firstFailure).toBeNull();
  });

  it('a target that fails even --from (twice) has never passed', () => {
    const { outcome, history } = search(CONFIG, () => 'fail');
    expect(history).toHaveLength(2);
    expect(outcome.status).toBe('never-passed');
    expect(outcome.capacity).toBeNull();
    expect(outcome.firstFailure).toBe(10);
  });

  it('a confirmation that fails steps down instead of reporting the rate', () => {
    // Short probes pass up to 400, but the longer confirmation run only holds up to 350.
    const target: Target = (rate, kind) => (rate <= (kind === 'confirm' ? 350 : 400) ? 'pass' : 'fail');
    const { outcome, history } = search(CONFIG, target);
    expect(history.some((p) => p.kind === 'confirm' && p.verdict === 'fail')).toBe(true);
    expect(outcome.status).toBe('found');
    expect(outcome.capacity!).toBeLessThanOrEqual(350);
    expect(outcome.capacity!).toBeGreaterThanOrEqual(350 * 0.95);
    expect(outcome.confirmed).toBe(true);
  });
});

describe('capacity policy: noisy and non-monotonic targets', () => {
  it('one spurious failure during the rise does not end it (the rise failure is re-probed)', () => {
    let failedOnce = false;
    const target: Target = (rate) => {
      if (rate === 80 && !failedOnce) {
        failedOnce = true;
        return 'fail';
      }
      return rate <= 1_000 ? 'pass' : 'fail';
    };
    const { outcome } = search(CONFIG, target);
    expect(failedOnce).toBe(true);
    expect(outcome.status).toBe('found');
    expect(outcome.capacity!).toBeGreaterThanOrEqual(950);
    expect(outcome.capacity!).toBeLessThanOrEqual(1_000);
  });

  it('a target that fails in a band and passes again above it: the capacity stays below the lowest failure', () => {
    // Fails on 150–170/s only (e.g. a GC pathology), passes up to 2,000/s otherwise.
    const target: Target = (rate) => (rate >= 150 && rate <= 170 ? 'fail' : rate <= 2_000 ? 'pass' : 'fail');
    const { outcome } = search(CONFIG, target);
    expect(outcome.status).toBe('found');
    expect(outcome.capacity!).toBeLessThan(150);
    expect(outcome.capacity!).toBeGreaterThanOrEqual(150 * 0.95);
    expect(outcome.firstFailure!).toBeGreaterThanOrEqual(150);
  });

  it('passes recorded above a lower failure never raise the capacity, and are reported', () => {
    const history: ProbeRecord[] = [
      { rate: 100, kind: 'rise', verdict: 'pass' },
      { rate: 200, kind: 'rise', verdict: 'fail' },
      { rate: 200, kind: 'recheck', verdict: 'fail' },
      { rate: 300, kind: 'bisect', verdict: 'pass' },
    ];
    const next = nextProbe(CONFIG, history);
    expect(next).toEqual({ type: 'probe', rate: 150, kind: 'bisect' });
    expect(conclude(history).passesAboveCeiling).toEqual([300]);
    expect(conclude(history).bestPass).toBe(100);
  });

  it('on a randomly noisy target (5% of probes flip) the result stays near the true capacity', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const capacity = 800;
    const within: number[] = [];
    for (let run = 0; run < 200; run++) {
      const target: Target = (rate) => {
        const truth: Verdict = rate <= capacity ? 'pass' : 'fail';
        if (random() >= 0.05) return truth;
        return truth === 'pass' ? 'fail' : 'pass';
      };
      const { outcome } = search(CONFIG, target);
      // Whatever the noise did, a reported capacity passed its confirmation and lies below a failure.
      if (outcome.capacity !== null) expect(outcome.firstFailure === null || outcome.capacity < outcome.firstFailure).toBe(true);
      if (outcome.capacity !== null && Math.abs(outcome.capacity - capacity) / capacity <= 0.1) within.push(outcome.capacity);
    }
    expect(within.length).toBeGreaterThanOrEqual(150);
  });
});

describe('capacity policy: generator-limited probes', () => {
  it('a generator that cannot drive more than 500/s bounds the search but is never the capacity', () => {
    // The target would sustain 5,000/s; bench can only drive 500/s.
    const target: Target = (rate) => (rate > 500 ? 'limited' : rate <= 5_000 ? 'pass' : 'fail');
    const { outcome, history } = search(CONFIG, target);
    expect(outcome.status).toBe('generator-limited');
    expect(outcome.capacity).toBeNull();
    expect(outcome.limitedAt!).toBeGreaterThan(500);
    expect(outcome.bestPass!).toBeLessThanOrEqual(500);
    expect(outcome.bestPass!).toBeGreaterThanOrEqual(475);
    expect(outcome.firstFailure).toBeNull();
    // The first limited probe was looked at three times before it bounded the search.
    const firstLimited = history.findIndex((p) => p.verdict === 'limited');
    expect(history[firstLimited + 1]).toMatchObject({ rate: history[firstLimited]!.rate, kind: 'recheck' });
    expect(history[firstLimited + 2]).toMatchObject({ rate: history[firstLimited]!.rate, kind: 'recheck' });
    expect(history[firstLimited + 3]!.kind).toBe('bisect');
  });

  it('generator hiccups (limited twice in a row at one rate, then fine) do not stop the rise', () => {
    let hiccups = 0;
    const target: Target = (rate) => {
      if (rate === 160 && hiccups++ < 2) return 'limited';
      return rate <= 1_000 ? 'pass' : 'fail';
    };
    const { outcome } = search(CONFIG, target);
    expect(outcome.status).toBe('found');
    expect(outcome.limitedAt).toBeNull();
    expect(outcome.capacity!).toBeGreaterThanOrEqual(950);
  });

  it('generator-limited at the very first rate: no capacity, no failure blamed on the target', () => {
    const { outcome } = search(CONFIG, () => 'limited');
    expect(outcome.status).toBe('generator-limited');
    expect(outcome.capacity).toBeNull();
    expect(outcome.bestPass).toBeNull();
    expect(outcome.firstFailure).toBeNull();
  });
});

describe('capacity policy: stopping early and bounds', () => {
  it('a search stopped midway reports the bracket so far, without a capacity', () => {
    const history: ProbeRecord[] = [
      { rate: 10, kind: 'rise', verdict: 'pass' },
      { rate: 20, kind: 'rise', verdict: 'pass' },
      { rate: 40, kind: 'rise', verdict: 'fail' },
      { rate: 40, kind: 'recheck', verdict: 'fail' },
    ];
    expect(conclude(history, 'stopped')).toMatchObject({ status: 'stopped', capacity: null, bestPass: 20, firstFailure: 40, confirmed: false });
    expect(conclude([], 'stopped')).toMatchObject({ status: 'stopped', capacity: null, bestPass: null, firstFailure: null });
  });

  it('the probe bound ends any search', () => {
    let n = 0;
    const flapping: Target = () => (n++ % 2 === 0 ? 'pass' : 'fail');
    const { history, outcome } = search({ ...CONFIG, maxProbes: 12 }, flapping);
    expect(history.length).toBeLessThanOrEqual(12);
    expect(['stopped', 'found', 'never-passed']).toContain(outcome.status);
  });

  it('rounds rates to three significant figures', () => {
    expect(roundRate(2_412.7)).toBe(2_413);
    expect(roundRate(137.5)).toBe(138);
    expect(roundRate(45.678)).toBe(45.7);
    expect(roundRate(4.5678)).toBe(4.57);
  });
});
