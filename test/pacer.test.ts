import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { arrivalCount, arrivalTimeMs, DEFAULT_WAIT_TUNING, nextWait, phaseSchedule, type WaitTuning } from '../src/engine/pacer.js';

describe('pacer', () => {
  it.each([
    [200, 200, 5000, 1000],
    [1, 1, 1000, 1],
    [100, 100, 10, 1],
    [10, 100, 10_000, 550],
    [100, 10, 10_000, 550],
    [0, 0, 5000, 0],
    [0, 10, 2000, 10],
    [3, 3, 1000, 3],
    [1 / 3, 1 / 3, 9000, 3],
  ])('rate %d → %d over %d ms gives %d arrivals', (rate, rampTo, duration, count) => {
    expect(arrivalCount(rate, rampTo, duration)).toBe(count);
  });

  it('spaces a constant rate evenly from t = 0', () => {
    expect([0, 1, 2, 199].map((k) => arrivalTimeMs(200, 200, 5000, k))).toEqual([0, 5, 10, 995]);
    expect(arrivalTimeMs(200, 200, 5000, 1000)).toBeNull();
  });

  it('follows the integral of a ramp exactly', () => {
    // N(t) = 10 t + 4.5 t² for 10 → 100/s over 10 s; N(t_k) = k.
    for (const k of [1, 10, 100, 275, 549]) {
      const t = arrivalTimeMs(10, 100, 10_000, k)! / 1000;
      expect(10 * t + 4.5 * t * t).toBeCloseTo(k, 6);
    }
    // Down-ramps too.
    const t = arrivalTimeMs(100, 10, 10_000, 500)! / 1000;
    expect(100 * t - 4.5 * t * t).toBeCloseTo(500, 6);
  });

  it('segments stride the full schedule: together they are the single run', () => {
    const phase = { kind: 'open' as const, rate: 100, rampTo: 100, durationMs: 1000 };
    const full = phaseSchedule(phase);
    const parts = [0, 1, 2].map((index) => phaseSchedule({ ...phase, stride: { index, count: 3 } }));
    expect(parts.map((p) => p.count)).toEqual([34, 33, 33]);
    const union = parts.flatMap((p) => Array.from({ length: p.count }, (_, j) => p.timeMs(j))).sort((a, b) => a - b);
    expect(union).toEqual(Array.from({ length: full.count }, (_, j) => full.timeMs(j)));
  });
});

describe('waiting for an arrival (nextWait)', () => {
  const tuning = (over: Partial<WaitTuning> = {}): WaitTuning => ({ ...DEFAULT_WAIT_TUNING, ...over });

  it('sends what is due, never before', () => {
    expect(nextWait(0, 0, tuning())).toEqual({ kind: 'send' });
    expect(nextWait(-3, 5, tuning())).toEqual({ kind: 'send' });
    expect(nextWait(Number.NaN, 0, tuning())).toEqual({ kind: 'send' });
    expect(nextWait(0.001, 0, tuning()).kind).not.toBe('send');
  });

  it('far away: a whole-millisecond timer that still leaves at least nearMs − 1 when it fires a millisecond early', () => {
    for (const remaining of [3, 3.5, 10, 997.3]) {
      const step = nextWait(remaining, 0, tuning({ nearMs: 2 }));
      expect(step.kind).toBe('timer');
      const ms = (step as { ms: number }).ms;
      expect(Number.isInteger(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(1);
      expect(remaining - ms).toBeGreaterThanOrEqual(2); // fires ≥ ms − 1 from now: ≥ 1 ms left
      expect(remaining - ms).toBeLessThan(3);
    }
  });

  it('near with nothing in flight: one precise sleep to the due time, less the overshoot when spin budget is left', () => {
    expect(nextWait(1.5, 0, tuning({ overshootMs: 0.06, spinAllowed: true }))).toEqual({ kind: 'block', ms: 1.44 });
    expect(nextWait(1.5, 0, tuning({ overshootMs: 0.06, spinAllowed: false }))).toEqual({ kind: 'block', ms: 1.5 });
    expect(nextWait(2.9, 0, tuning({ nearMs: 2, overshootMs: 0 }))).toEqual({ kind: 'block', ms: 2.9 });
  });

  it('near with responses outstanding: parks (a completion or a timer looks again) rather than sleeping the thread', () => {
    const step = nextWait(1.5, 3, tuning());
    expect(step).toEqual({ kind: 'park', ms: 1 });
    expect(nextWait(0.5, 1, tuning({ bridgeMs: 0.1 }))).toEqual({ kind: 'park', ms: 1 });
  });

  it('the last stretch is spun while the budget lasts, and slept when it is spent', () => {
    expect(nextWait(0.05, 0, tuning({ overshootMs: 0.06, spinAllowed: true }))).toEqual({ kind: 'spin' });
    expect(nextWait(0.08, 2, tuning({ bridgeMs: 0.1, spinAllowed: true }))).toEqual({ kind: 'spin' });
    expect(nextWait(0.08, 2, tuning({ bridgeMs: 0.1, spinAllowed: false }))).toEqual({ kind: 'block', ms: 0.08 });
    expect(nextWait(0.05, 0, tuning({ spinAllowed: false }))).toEqual({ kind: 'block', ms: 0.05 });
    // below any useful sleep, a turn of the event loop even without budget
    expect(nextWait(0.005, 0, tuning({ spinAllowed: false }))).toEqual({ kind: 'spin' });
  });

  it('walking a simulated clock through the steps reaches the due time and sends only then', () => {
    // Timers fire as late as asked, sleeps end on time, a parked wait is poked by a completion halfway
    // to the arrival, a spin costs 2 µs: the walk must send at the due time (within one spin), never before.
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 50, noNaN: true }), fc.integer({ min: 0, max: 3 }), fc.boolean(), (due, inFlight, spinAllowed) => {
        let now = 0;
        for (let i = 0; i < 10_000; i++) {
          const step = nextWait(due - now, inFlight, tuning({ spinAllowed }));
          if (step.kind === 'send') return now >= due && now - due < 0.01;
          if (step.kind === 'spin') now += 0.002;
          else if (step.kind === 'park') now += Math.min(step.ms, (due - now) / 2);
          else {
            if (step.kind === 'timer' && due - now - step.ms < 1) return false; // a timer a millisecond early must not be needed
            now += step.ms;
          }
        }
        return false;
      }),
    );
  });
});
