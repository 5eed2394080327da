// The benchmark suite's pure parts: the stall test's analytic truth, RESULTS.md rotation and the
// profile's grouping of call frames. (The suite itself runs generators for minutes: `npm run bench`.)
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain-JS script module without type declarations
import { analyticPercentile, percentile, trueLatencies } from '../bench/lib/truth.mjs';
// @ts-expect-error plain-JS script module without type declarations
import { renderResults } from '../bench/lib/results.mjs';
// @ts-expect-error plain-JS script module without type declarations
import { areaOf, selfTimes } from '../bench/lib/profile.mjs';
// @ts-expect-error plain-JS script module without type declarations
import { percentileOf, serverLateness } from '../bench/lib/lateness.mjs';

const stall = { cycleMs: 5000, stallMs: 1000, serviceMs: 1 };

describe('stall test truth', () => {
  it('gives p90 ≈ 501 ms and p99 ≈ 951 ms for 1 s stalls every 5 s (closed form)', () => {
    expect(analyticPercentile(50, stall)).toBe(1);
    expect(analyticPercentile(90, stall)).toBeCloseTo(501, 6);
    expect(analyticPercentile(99, stall)).toBeCloseTo(951, 6);
  });

  it('computes the exact latencies of a 200/s schedule and agrees with the closed form', () => {
    // The run starts 300 ms into a cycle: whole cycles still hold exactly 20% stalled arrivals.
    const sorted = trueLatencies({ startMs: 10_300, rate: 200, durationMs: 10_000, originMs: 10_000, ...stall });
    expect(sorted.length).toBe(2000);
    expect(sorted.filter((x: number) => x > 1).length).toBe(400);
    expect(percentile(sorted, 50)).toBe(1);
    expect(percentile(sorted, 90)).toBeCloseTo(501, -1);
    expect(percentile(sorted, 99)).toBeCloseTo(951, -1);
    expect(sorted[sorted.length - 1]).toBe(1001);
  });

  it('uses nearest-rank percentiles', () => {
    expect(percentile(Float64Array.from([1, 2, 3, 4]), 50)).toBe(2);
    expect(percentile(Float64Array.from([1, 2, 3, 4]), 51)).toBe(3);
    expect(percentile(new Float64Array(0), 99)).toBe(0);
  });
});

describe('RESULTS.md rotation', () => {
  it('moves the latest run to "previous", drops the older one and keeps the notes', () => {
    const first = renderResults('', '### 1. CPU\nrun A');
    expect(first).toContain('run A');
    expect(first).toContain('_none yet_');
    const withNotes = first.replace('<!-- notes: kept as written by hand -->\n', '<!-- notes: kept as written by hand -->\n\n## Analysis\nhand-written\n');
    const second = renderResults(withNotes, '### 1. CPU\nrun B');
    const third = renderResults(second, '### 1. CPU\nrun C');
    const latest = third.slice(third.indexOf('## Latest run'), third.indexOf('## Previous run'));
    const previous = third.slice(third.indexOf('## Previous run'), third.indexOf('<!-- notes'));
    expect(latest).toContain('run C');
    expect(previous).toContain('run B');
    expect(previous).toContain('#### 1. CPU');
    expect(third).not.toContain('run A');
    expect(third).toContain('## Analysis\nhand-written');
  });
});

describe('profile summary', () => {
  it('groups call frames by area', () => {
    expect(areaOf('(garbage collector)', '')).toBe('garbage collection');
    expect(areaOf('writeLatin1String', '')).toBe('socket syscalls (write/read)');
    expect(areaOf('_resume', 'file:///x/node_modules/undici/lib/dispatcher/client.js')).toMatch(/^undici/);
    expect(areaOf('record', 'file:///x/.bench-tmp/snapshot/dist/metrics/aggregator.js')).toBe('bench engine + metrics');
    expect(areaOf('onStreamRead', 'node:internal/stream_base_commons')).toMatch(/^node core/);
  });

  it('sums self time per frame from samples and time deltas', () => {
    const frame = (id: number, functionName: string) => ({ id, callFrame: { functionName, url: '', lineNumber: 0 } });
    const profile = { nodes: [frame(1, '(idle)'), frame(2, '(garbage collector)')], samples: [1, 2, 2, 1], timeDeltas: [1000, 2000, 3000, 500] };
    const byName = Object.fromEntries(selfTimes(profile).map((f: { fn: string; ms: number }) => [f.fn, f.ms]));
    expect(byName).toEqual({ '(idle)': 1.5, '(garbage collector)': 5 });
  });
});

describe('send precision: lateness from the server\'s arrival times', () => {
  it('is zero for arrivals exactly on an evenly spaced schedule, whatever the start offset and order', () => {
    const arrivals = [3, 1, 0, 2, 4].map((k) => 1_700_000_000_123.25 + k * 5);
    expect([...serverLateness(arrivals, 200)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('measures each arrival above the earliest, sorted', () => {
    // 5 ms apart (200/s); the third is 0.5 ms late, the fifth 2 ms, the first is the earliest
    const arrivals = [1000, 1005.1, 1010.5, 1015.1, 1022];
    const late = [...serverLateness(arrivals, 200)].map((x) => Math.round(x * 1000) / 1000);
    expect(late).toEqual([0, 0.1, 0.1, 0.5, 2]);
    expect(percentileOf(Float64Array.from(late), 50)).toBe(0.1);
    expect(percentileOf(Float64Array.from(late), 99)).toBe(2);
  });
});
