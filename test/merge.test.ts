import { describe, it, expect } from 'vitest';
import { mergeResults, missingSegments } from '../src/merge/merge.js';
import { combineRounds } from '../src/merge/rounds.js';
import { parseResultJson } from '../src/merge/read.js';
import { UsageError } from '../src/errors.js';
import { decodeHistogram, encodeHistogram, latencyStats, newHistogram, recordMs, type Histogram } from '../src/metrics/histogram.js';
import { emptyCounters, toStats, type Counters } from '../src/metrics/stats.js';
import { evaluateSlos } from '../src/slo/evaluate.js';
import { defaultSlos, parseSlo, type ParsedSlo } from '../src/slo/parse.js';
import type { RunResult, SloSpec, TimelinePoint } from '../src/types.js';

interface Sample {
  second: number;
  endpoint: string;
  ms: number;
  status: number;
}

/** A seeded PRNG (mulberry32), so every run of the test sees the same data. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Segment `index` makes slower requests than the others, so merged percentiles differ from every part's. */
function samplesFor(index: number, seconds = 5, perSecond = 60): Sample[] {
  const next = random(index + 1);
  const samples: Sample[] = [];
  for (let second = 0; second < seconds; second++) {
    for (let n = 0; n < perSecond; n++) {
      const ms = 1 + next() * 20 * (index + 1) + (next() < 0.02 ? 300 : 0);
      samples.push({ second, endpoint: n % 3 === 0 ? 'login' : 'get-product', ms, status: next() < 0.05 ? 503 : 200 });
    }
  }
  return samples;
}

interface Acc {
  counters: Counters;
  latency: Histogram;
  service: Histogram;
}

const acc = (): Acc => ({ counters: emptyCounters(), latency: newHistogram(), service: newHistogram() });

function record(a: Acc, s: Sample): void {
  a.counters.requests++;
  a.counters.statusCodes[String(s.status)] = (a.counters.statusCodes[String(s.status)] ?? 0) + 1;
  if (s.status >= 400) {
    a.counters.errors++;
    a.counters.errorKinds.status = (a.counters.errorKinds.status ?? 0) + 1;
  }
  recordMs(a.latency, s.ms);
  recordMs(a.service, s.ms * 0.8);
}

function timelineOf(samples: Sample[]): TimelinePoint[] {
  const seconds = [...new Set(samples.map((s) => s.second))].sort((a, b) => a - b);
  return seconds.map((second) => {
    const a = acc();
    for (const s of samples.filter((x) => x.second === second)) record(a, s);
    const l = latencyStats(a.latency);
    return { second, requests: a.counters.requests, errors: a.counters.errors, dropped: 0, p50Ms: l.p50, p95Ms: l.p95, p99Ms: l.p99, maxMs: l.max, histogram: encodeHistogram(a.latency) };
  });
}

const spec = (expr: string, endpoint: string | null = null): SloSpec => ({ expr, endpoint, ...(parseSlo(expr) as ParsedSlo), abortOnFail: false, windowMs: 0 });

function resultOf(samples: Sample[], options: { index?: number; count?: number; startedAt?: string; scenario?: string; slo?: SloSpec[] } = {}): RunResult {
  const durationMs = 5000;
  const total = acc();
  const byEndpoint = new Map<string, Acc>();
  for (const s of samples) {
    record(total, s);
    if (!byEndpoint.has(s.endpoint)) byEndpoint.set(s.endpoint, acc());
    record(byEndpoint.get(s.endpoint)!, s);
  }
  const totals = toStats(total.counters, total.latency, total.service, durationMs);
  const endpoints = [...byEndpoint].map(([name, a]) => ({ name, ...toStats(a.counters, a.latency, a.service, durationMs) }));
  const slo = evaluateSlos(options.slo ?? [], { totals, endpoints });
  return {
    schemaVersion: 1,
    tool: { name: 'bench', version: '0.1.0' },
    scenario: options.scenario ?? 'shop',
    target: 'http://127.0.0.1:3000',
    startedAt: options.startedAt ?? '2025-01-01T00:00:00.000Z',
    durationMs,
    model: 'open',
    totals,
    endpoints,
    timeline: timelineOf(samples),
    scheduleLagMs: { mean: 1 + (options.index ?? 0), p99: 5 * (1 + (options.index ?? 0)), max: 10 * (1 + (options.index ?? 0)) },
    slo,
    sloDefaults: false,
    pass: slo.every((r) => r.pass),
    ...(options.count === undefined ? {} : { segment: { index: options.index ?? 0, count: options.count } }),
  };
}

const segments = (count = 3, slo?: SloSpec[]): RunResult[] =>
  Array.from({ length: count }, (_, index) => resultOf(samplesFor(index), { index, count, ...(slo ? { slo } : {}) }));

describe('mergeResults: exact sums', () => {
  const parts = segments();
  const all = [0, 1, 2].flatMap((i) => samplesFor(i));
  const merged = mergeResults(parts, null);

  it('adds the latency histograms: count is the sum, percentiles are those of one histogram fed every value', () => {
    const one = acc();
    for (const s of all) record(one, s);
    expect(decodeHistogram(merged.totals.histogram).totalCount).toBe(900);
    expect(merged.totals.latencyMs).toEqual(latencyStats(one.latency));
    expect(merged.totals.serviceTimeMs).toEqual(latencyStats(one.service));
    // and not what averaging the parts' p99 would give
    const averagedP99 = parts.reduce((s, p) => s + p.totals.latencyMs.p99, 0) / 3;
    expect(merged.totals.latencyMs.p99).not.toBeCloseTo(averagedP99, 1);
  });

  it('merges endpoints by name, histograms and counters', () => {
    expect(merged.endpoints.map((e) => e.name)).toEqual(['login', 'get-product']);
    for (const endpoint of merged.endpoints) {
      const one = acc();
      for (const s of all.filter((x) => x.endpoint === endpoint.name)) record(one, s);
      expect(endpoint.requests).toBe(one.counters.requests);
      expect(endpoint.errors).toBe(one.counters.errors);
      expect(endpoint.latencyMs).toEqual(latencyStats(one.latency));
    }
  });

  it('sums counters exactly and recomputes rates over the union window', () => {
    const sum = (f: (r: RunResult) => number): number => parts.reduce((n, r) => n + f(r), 0);
    expect(merged.totals.requests).toBe(900);
    expect(merged.totals.errors).toBe(sum((r) => r.totals.errors));
    expect(merged.totals.errors).toBeGreaterThan(0);
    expect(merged.totals.statusCodes['503']).toBe(sum((r) => r.totals.statusCodes['503'] ?? 0));
    expect(merged.totals.statusCodes['200']).toBe(sum((r) => r.totals.statusCodes['200'] ?? 0));
    expect(merged.totals.errorKinds.status).toBe(merged.totals.errors);
    expect(merged.totals.errorRate).toBeCloseTo(merged.totals.errors / 900, 12);
    expect(merged.durationMs).toBe(5000);
    expect(merged.totals.rps).toBe(180);
  });

  it('has no segment, says what it merged, and bounds the schedule lag', () => {
    expect(merged.segment).toBeUndefined();
    expect(merged.mergedFrom).toBe(3);
    expect(merged.scheduleLagMs).toEqual({ mean: (1 * 300 + 2 * 300 + 3 * 300) / 900, p99: 15, max: 30 });
  });
});

describe('mergeResults: timeline', () => {
  it('aligns seconds on the earliest start and adds each second exactly', () => {
    const a = resultOf(samplesFor(0), { index: 0, count: 2, startedAt: '2025-01-01T00:00:00.000Z' });
    // started 1.004 s later (clock skew of a few ms): its second 0 is the merged second 1
    const b = resultOf(samplesFor(1), { index: 1, count: 2, startedAt: '2025-01-01T00:00:01.004Z' });
    const merged = mergeResults([b, a], null);
    expect(merged.startedAt).toBe('2025-01-01T00:00:00.000Z');
    expect(merged.durationMs).toBe(6004);
    expect(merged.timeline.map((p) => p.second)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(merged.timeline.map((p) => p.requests)).toEqual([60, 120, 120, 120, 120, 60]);
    const second1 = merged.timeline[1]!;
    const one = acc();
    for (const s of [...samplesFor(0).filter((x) => x.second === 1), ...samplesFor(1).filter((x) => x.second === 0)]) record(one, s);
    expect(decodeHistogram(second1.histogram).totalCount).toBe(120);
    expect(second1.p99Ms).toBe(latencyStats(one.latency).p99);
    expect(second1.maxMs).toBe(latencyStats(one.latency).max);
    expect(second1.errors).toBe(one.counters.errors);
    expect(merged.totals.rps).toBeCloseTo(600 / 6.004, 2);
  });
});

describe('mergeResults: SLOs judged once, on the merged data', () => {
  it('judges the given specs', () => {
    const merged = mergeResults(segments(), { specs: [spec('rps >= 150'), spec('p50 < 1ms', 'login')], isDefault: false });
    expect(merged.slo.map((s) => [s.expr, s.actual, s.pass])).toEqual([
      ['rps >= 150', 180, true],
      ['p50 < 1ms', merged.endpoints[0]!.latencyMs.p50, false],
    ]);
    expect(merged.pass).toBe(false);
  });

  it('without specs, re-judges the SLOs the segments carried', () => {
    const parts = segments(3, [spec('rps >= 150'), spec('error_rate < 50%')]);
    expect(parts.every((p) => !p.pass)).toBe(true); // 60/s each: only the sum reaches 150/s
    const merged = mergeResults(parts, null);
    expect(merged.slo).toHaveLength(2);
    expect(merged.slo[0]).toMatchObject({ expr: 'rps >= 150', actual: 180, pass: true, isDefault: false });
    expect(merged.pass).toBe(true);
  });

  it('keeps the defaults flag of default SLOs', () => {
    const merged = mergeResults(segments(), { specs: defaultSlos(), isDefault: true });
    expect(merged.sloDefaults).toBe(true);
    expect(merged.slo.every((s) => s.isDefault)).toBe(true);
  });
});

describe('mergeResults: refusals', () => {
  const refuses = (results: RunResult[], pattern: RegExp): void => {
    expect(() => mergeResults(results, null)).toThrow(UsageError);
    expect(() => mergeResults(results, null)).toThrow(pattern);
  };
  const [s0, s1, s2] = segments();

  it('refuses results of different scenarios', () => {
    refuses([s0!, resultOf(samplesFor(1), { index: 1, count: 3, scenario: 'other' })], /different scenarios: "shop", "other"/);
  });

  it('refuses duplicate segments and overlapping whole runs', () => {
    refuses([s0!, s1!, s1!], /segment 1\/3 appears twice/);
    refuses([resultOf(samplesFor(0)), resultOf(samplesFor(1))], /segment 0\/1 appears twice/);
  });

  it('refuses different segment counts', () => {
    refuses([s0!, resultOf(samplesFor(1), { index: 1, count: 2 })], /different segment counts/);
    refuses([s0!, resultOf(samplesFor(1))], /different segment counts/);
  });

  it('refuses an unsupported schemaVersion and an empty list', () => {
    refuses([s0!, { ...s1!, schemaVersion: 2 as unknown as 1 }], /schemaVersion 2/);
    refuses([], /nothing to merge/);
  });

  it('names the segments nobody ran', () => {
    expect(missingSegments([s0!, s2!])).toEqual([1]);
    expect(missingSegments([s0!, s1!, s2!])).toEqual([]);
  });
});

// Issue 17: a merge of segments that are not one whole run is refused, naming the segment.
describe('strict merge (issue 17)', () => {
  const withIdentity = (r: RunResult, fingerprint = 'f1', runId = 'run-1'): RunResult => ({ ...r, fingerprint, runId });
  const four = (): RunResult[] => segments(4).map((r) => withIdentity(r));
  const names = ['s0.json', 's1.json', 's2.json', 's3.json'];

  it('refuses 3 of 4 segments, naming the missing one', () => {
    const [a, b, , d] = four();
    expect(() => mergeResults([a!, b!, d!], null, { sources: names })).toThrow(/^segment 2\/4 is missing \(3 of 4 given\).*--allow-partial/);
  });

  it('refuses a segment of another plan (another --rate), naming it', () => {
    const parts = four();
    parts[2] = withIdentity(parts[2]!, 'f2');
    expect(() => mergeResults(parts, null, { sources: names })).toThrow(UsageError);
    expect(() => mergeResults(parts, null, { sources: names })).toThrow(/^segment 2\/4 \(s2\.json\) ran a different plan/);
  });

  it('refuses a segment of another run, and one without identity among ones with it', () => {
    const parts = four();
    parts[1] = withIdentity(parts[1]!, 'f1', 'run-2');
    expect(() => mergeResults(parts, null, { sources: names })).toThrow(/^segment 1\/4 \(s1\.json\) belongs to another run/);
    const old = four();
    const { fingerprint: _f, ...bare } = old[3]!;
    old[3] = bare as RunResult;
    expect(() => mergeResults(old, null, { sources: names })).toThrow(/^segment 3\/4 \(s3\.json\) ran a different plan \(fingerprint absent/);
  });

  it('refuses a segment from an hour earlier (windows that do not overlap)', () => {
    const parts = four();
    parts[0] = { ...parts[0]!, startedAt: '2024-12-31T23:00:00.000Z' };
    expect(() => mergeResults(parts, null, { sources: names })).toThrow(/^segment 0\/4 \(s0\.json\) ran at another time/);
  });

  it('refuses a segment that started 3.2 s late (its window overlaps, its load was not sent with the others)', () => {
    const parts = four();
    parts[3] = { ...parts[3]!, startedAt: '2025-01-01T00:00:03.200Z' };
    expect(() => mergeResults(parts, null, { sources: names })).toThrow(/^segment 3\/4 \(s3\.json\) started 3\.2 s after the others/);
    expect(() => mergeResults(parts, null, { allowPartial: true })).not.toThrow();
  });

  it('refuses an interrupted or incomplete segment, naming it', () => {
    const parts = four();
    parts[3] = { ...parts[3]!, stopReason: 'interrupted', durationMs: 2000 };
    expect(() => mergeResults(parts, null, { sources: names })).toThrow(/^segment 3\/4 \(s3\.json\) is incomplete: it was interrupted .* after 2\.0 s/);
    parts[3] = { ...four()[3]!, incomplete: { reason: 'killed' } };
    expect(() => mergeResults(parts, null, { sources: names })).toThrow(/^segment 3\/4 \(s3\.json\) is incomplete: killed/);
  });

  it('--allow-partial: merges what is there, says so, and judges no absolute SLO', () => {
    const slos = [spec('rps >= 1'), spec('requests >= 1'), spec('p50 < 10s')];
    const parts = segments(4, slos).map((r) => withIdentity(r));
    const merged = mergeResults([parts[0]!, parts[1]!, parts[3]!], null, { allowPartial: true });
    expect(merged.partial).toEqual({ segments: 3, of: 4, missing: [2], incomplete: [] });
    expect(merged.totals.requests).toBe(900);
    const byMetric = Object.fromEntries(merged.slo.map((r) => [r.metric, r]));
    expect(byMetric.rps).toMatchObject({ deferred: true, notJudged: 'partial: 3 of 4 segments' });
    expect(byMetric.requests).toMatchObject({ deferred: true, notJudged: 'partial: 3 of 4 segments' });
    expect(byMetric.p50!.deferred).toBeUndefined();
    expect(merged.fingerprint).toBe('f1');
    expect(merged.runId).toBe('run-1');
  });

  it('--allow-partial with an interrupted segment: merged, listed as incomplete, the merge not stopped', () => {
    const parts = four();
    parts[1] = { ...parts[1]!, stopReason: 'interrupted' };
    const merged = mergeResults(parts, null, { allowPartial: true });
    expect(merged.partial).toMatchObject({ segments: 3, of: 4, missing: [] });
    expect(merged.partial!.incomplete[0]!.index).toBe(1);
    expect(merged.stopReason).toBeUndefined();
  });
});

describe('parseResultJson', () => {
  it('reads a result back and refuses anything else in one line', () => {
    const [s0] = segments(1);
    expect(parseResultJson(JSON.stringify(s0), 'a.json')).toEqual(s0);
    expect(() => parseResultJson('{', 'a.json')).toThrow(/^a\.json: not JSON/);
    expect(() => parseResultJson('[]', 'b.json')).toThrow('b.json: not a bench result: expected a JSON object');
    expect(() => parseResultJson(JSON.stringify({ ...s0, schemaVersion: 3 }), 'c.json')).toThrow(/schemaVersion 3 is not supported/);
    expect(() => parseResultJson(JSON.stringify({ ...s0, startedAt: 'yesterday' }), 'd.json')).toThrow(UsageError);
  });
});

// Issue 11: rates over the load window, the drain apart; the full SLO spec survives a merge.
describe('merged and combined load windows (issue 11)', () => {
  it('a merge measures rates over the union of the load windows and reports the drain apart', () => {
    const a = { ...resultOf(samplesFor(0), { index: 0, count: 2 }), drainMs: 40 };
    // started 1 s later, its load window ends at 6 s; its last response came 250 ms later
    const b = { ...resultOf(samplesFor(1), { index: 1, count: 2, startedAt: '2025-01-01T00:00:01.000Z' }), drainMs: 250 };
    const merged = mergeResults([a, b], null);
    expect(merged.durationMs).toBe(6000);
    expect(merged.drainMs).toBe(250);
    // 600 requests sent in a 6 s load window: exactly 100/s
    expect(merged.totals.rps).toBe(100);
  });

  it("A/B rounds: rates over the sum of the rounds' load windows, drains apart", () => {
    const rounds = [0, 1, 2].map((i) => ({ ...resultOf(samplesFor(i)), drainMs: 30 + i }));
    const combined = combineRounds(rounds, 'A');
    expect(combined.durationMs).toBe(15_000);
    expect(combined.drainMs).toBe(30 + 31 + 32);
    expect(combined.totals.rps).toBe(900 / 15);
  });

  it('re-judging carried SLOs keeps abortOnFail and window (the full spec travels in the result)', () => {
    const abortSlo: SloSpec = { ...spec('error_rate < 50%'), abortOnFail: true, windowMs: 10_000 };
    const merged = mergeResults(segments(3, [abortSlo]), null);
    expect(merged.slo[0]).toMatchObject({ expr: 'error_rate < 50%', abortOnFail: true, windowMs: 10_000 });
    const combined = combineRounds([resultOf(samplesFor(0), { slo: [abortSlo] })], 'A');
    expect(combined.slo[0]).toMatchObject({ abortOnFail: true, windowMs: 10_000 });
  });

  it('a merge where no request succeeded fails, whatever the SLOs say', () => {
    const failing = (index: number): RunResult => resultOf(samplesFor(index).map((s) => ({ ...s, status: 503 })), { index, count: 2, slo: [spec('p99 < 10s')] });
    const merged = mergeResults([failing(0), failing(1)], null);
    expect(merged.slo[0]!.pass).toBe(true);
    expect(merged.pass).toBe(false);
    expect(merged.reasons?.join(' ')).toMatch(/no request succeeded/);
    const combined = combineRounds([failing(0)], 'A');
    expect(combined.pass).toBe(false);
  });

  it("a merged second's p95/p99 never exceed its exact max", () => {
    const one = (index: number, startedAt: string): RunResult => {
      const r = resultOf([{ second: 0, endpoint: 'x', ms: 12.345, status: 200 }], { index, count: 2, startedAt });
      return r;
    };
    const merged = mergeResults([one(0, '2025-01-01T00:00:00.000Z'), one(1, '2025-01-01T00:00:00.000Z')], null);
    const [p] = merged.timeline;
    expect(p!.maxMs).toBeCloseTo(12.345, 6);
    expect(p!.p99Ms).toBeLessThanOrEqual(p!.maxMs);
    expect(p!.p95Ms).toBeLessThanOrEqual(p!.maxMs);
  });
});
