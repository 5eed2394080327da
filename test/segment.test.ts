import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseSegment, segmentPlan, usersInSegment } from '../src/segment/segment.js';
import { arrivalCount, arrivalTimeMs, phaseSchedule } from '../src/engine/pacer.js';
import { UsageError } from '../src/errors.js';
import type { ClosedPhase, OpenPhase, Phase, Plan, Vars } from '../src/types.js';

function planWith(phases: Phase[], maxRate?: number): Plan {
  return {
    name: 'seg',
    file: '',
    target: 'http://127.0.0.1:1',
    http: { timeoutMs: 1000, maxInFlight: 100, graphqlPath: '/graphql' },
    phases,
    flows: [],
    endpoints: [],
    setup: [],
    slo: [],
    sloDefaults: true,
    // One data row per global iteration number, layered over `shared` as the real loader does.
    iterationVars: (seq: number, shared: Vars): Vars => Object.assign(Object.create(shared) as Vars, { row: seq }),
    secrets: [],
    ...(maxRate === undefined ? {} : { maxRate }),
  };
}

const open = (rate: number, rampTo: number, durationMs: number): OpenPhase => ({ kind: 'open', rate, rampTo, durationMs });
const closed = (vus: number): ClosedPhase => ({ kind: 'closed', vus, durationMs: 5000, thinkMinMs: 0, thinkMaxMs: 0 });

/** All intended send times of a plan's open phase `p`, as one generator would send them. */
function times(plan: Plan, p = 0): number[] {
  const schedule = phaseSchedule(plan.phases[p] as OpenPhase);
  return Array.from({ length: schedule.count }, (_, j) => schedule.timeMs(j));
}

function unionOfSegments(plan: Plan, count: number): number[] {
  const all: number[] = [];
  for (let i = 0; i < count; i++) all.push(...times(segmentPlan(plan, i, count)));
  return all.sort((a, b) => a - b);
}

describe('parseSegment', () => {
  it('reads i/N', () => {
    expect(parseSegment('0/1')).toEqual({ index: 0, count: 1 });
    expect(parseSegment('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseSegment(' 7 / 16 ')).toEqual({ index: 7, count: 16 });
  });

  it.each(['3/3', '-1/2', '1/0', 'a/b', '1.5/3', '1', '', '1/2/3'])('refuses "%s" with a one-line usage error', (text) => {
    expect(() => parseSegment(text)).toThrow(UsageError);
    try {
      parseSegment(text);
    } catch (e) {
      expect((e as Error).message).toContain(`"${text}"`);
      expect((e as Error).message).not.toContain('\n');
    }
  });
});

describe('segmentPlan: closed phases', () => {
  it('stripes the remainder: 7 users over 3 segments → 3, 2, 2', () => {
    const plan = planWith([closed(7)]);
    const vus = [0, 1, 2].map((i) => (segmentPlan(plan, i, 3).phases[0] as ClosedPhase).vus);
    expect(vus).toEqual([3, 2, 2]);
  });

  it('keeps a phase with 0 users so the segment idles through it', () => {
    const plan = planWith([closed(2), open(10, 10, 1000)]);
    const last = segmentPlan(plan, 2, 3);
    expect(last.phases[0]).toEqual({ ...closed(2), vus: 0 });
    expect(last.phases).toHaveLength(2);
  });

  it('never loses or adds a user, for any split', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 64 }), (vus, count) => {
        const parts = Array.from({ length: count }, (_, i) => usersInSegment(vus, i, count));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(vus);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('segmentPlan: open phases', () => {
  it('100/s over 3 segments: the union of their arrivals is the single schedule, exactly', () => {
    const plan = planWith([open(100, 100, 10_000)]);
    const counts = [0, 1, 2].map((i) => phaseSchedule(segmentPlan(plan, i, 3).phases[0] as OpenPhase).count);
    expect(counts).toEqual([334, 333, 333]);
    expect(unionOfSegments(plan, 3)).toEqual(times(plan));
    expect(times(plan)).toHaveLength(1000);
  });

  it('a ramp 10→100/s over 10 s: 550 arrivals, the k-th at the analytic inverse of the integral', () => {
    const plan = planWith([open(10, 100, 10_000)]);
    const union = unionOfSegments(plan, 3);
    expect(Math.abs(union.length - 550)).toBeLessThanOrEqual(1);
    // N(t) = 10t + 4.5t² (t in s) → t_k = (−10 + √(100 + 18k)) / 9
    union.forEach((ms, k) => expect(ms).toBeCloseTo(((-10 + Math.sqrt(100 + 18 * k)) / 9) * 1000, 6));
    // and each segment sends its own residue class of k
    const seg1 = times(segmentPlan(plan, 1, 3));
    seg1.forEach((ms, j) => expect(ms).toBe(arrivalTimeMs(10, 100, 10_000, 1 + 3 * j)));
  });

  it('composes a nested split (--workers inside --segment) into one stride', () => {
    const plan = planWith([open(100, 100, 1000)]);
    const nested = segmentPlan(segmentPlan(plan, 1, 3), 1, 2);
    expect((nested.phases[0] as OpenPhase).stride).toEqual({ index: 4, count: 6 });
    const all: number[] = [];
    for (let s = 0; s < 3; s++) for (let w = 0; w < 2; w++) all.push(...times(segmentPlan(segmentPlan(plan, s, 3), w, 2)));
    expect(all.sort((a, b) => a - b)).toEqual(times(plan));
  });

  it('for any rate, ramp, duration and split, the segments reproduce the schedule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 0, max: 300 }),
        fc.integer({ min: 1, max: 3000 }),
        fc.integer({ min: 1, max: 9 }),
        (rate, rampTo, durationMs, count) => {
          const plan = planWith([open(rate, rampTo, durationMs)]);
          const union = unionOfSegments(plan, count);
          expect(union).toHaveLength(arrivalCount(rate, rampTo, durationMs));
          expect(union).toEqual(times(plan));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('divides the maxRate ceiling and leaves the input plan untouched', () => {
    const plan = planWith([open(90, 90, 1000)], 300);
    const part = segmentPlan(plan, 0, 3);
    expect(part.maxRate).toBe(100);
    expect(plan.maxRate).toBe(300);
    expect((plan.phases[0] as OpenPhase).stride).toBeUndefined();
    expect(segmentPlan(planWith([open(1, 1, 1)]), 0, 3).maxRate).toBeUndefined();
  });

  it('splits the in-flight cap and explicit connections, keeping at least one each', () => {
    const plan = { ...planWith([open(90, 90, 1000)]), http: { timeoutMs: 1000, maxInFlight: 100, connections: 8, graphqlPath: '/graphql' } };
    const parts = [0, 1, 2].map((i) => segmentPlan(plan, i, 3).http);
    expect(parts.map((h) => h.maxInFlight)).toEqual([34, 33, 33]);
    expect(parts.map((h) => h.connections)).toEqual([3, 3, 2]);
    expect(segmentPlan(plan, 5, 16).http.connections).toBe(1);
    expect(segmentPlan(planWith([open(1, 1, 1)]), 0, 2).http.connections).toBeUndefined();
  });

  it('refuses an index outside the segment count', () => {
    const plan = planWith([open(1, 1, 1000)]);
    expect(() => segmentPlan(plan, 3, 3)).toThrow(UsageError);
    expect(() => segmentPlan(plan, 0, 0)).toThrow(UsageError);
  });
});

describe('segmentPlan: data rows', () => {
  it('segments read disjoint rows that together cover every row once', () => {
    const plan = planWith([closed(7)]);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const part = segmentPlan(plan, i, 3);
      for (let local = 0; local < 100; local++) seen.push(part.iterationVars(local, {}).row as number);
    }
    expect(new Set(seen).size).toBe(300);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, n) => n));
  });

  it('nested splits stay disjoint, and shared variables still show through', () => {
    const plan = planWith([closed(12)]);
    const seen = new Set<number>();
    for (let s = 0; s < 2; s++) {
      for (let w = 0; w < 3; w++) {
        const part = segmentPlan(segmentPlan(plan, s, 2), w, 3);
        for (let local = 0; local < 50; local++) {
          const vars = part.iterationVars(local, { token: 'shared' });
          expect(vars.token).toBe('shared');
          seen.add(vars.row as number);
        }
      }
    }
    expect(seen.size).toBe(300);
  });
});
