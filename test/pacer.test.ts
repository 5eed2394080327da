import { describe, expect, it } from 'vitest';
import { arrivalCount, arrivalTimeMs, phaseSchedule } from '../src/engine/pacer.js';

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
