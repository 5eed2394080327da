// The streaming merge (issue 17): `bench merge` reads each file twice, one at a time — its facts for the
// checks, then its timeline, folded into the merged seconds and let go. It must give exactly what the
// all-in-memory merge gives, to the histogram bucket (checked against hdr-histogram-js adding the same
// histograms itself), and every refusal must come before the first timeline is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { Aggregator, encodeInterval } from '../src/metrics/aggregator.js';
import { newHistogram, recordMs } from '../src/metrics/histogram.js';
import { emptyCounters } from '../src/metrics/stats.js';
import { resultFrom } from '../src/result/build.js';
import { jsonReport } from '../src/report/json.js';
import { encodeFrame } from '../src/distributed/frames.js';
import { factsOf, mergeResults, startMerge } from '../src/merge/merge.js';
import { mergeCommand, writeMerged } from '../src/cli/merge-command.js';
import { readSegmentFile } from '../src/cli/read-segment.js';
import { UsageError } from '../src/errors.js';
import type { Console } from '../src/cli/console.js';
import type { RunResult, TimelinePoint } from '../src/types.js';

/** A seeded PRNG (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const COUNT = 4;
const SECONDS = 6;
const START = Date.parse('2026-01-01T00:00:00.000Z');
const ENDPOINTS = ['login', 'get-product'];
const identity = { name: 'shop', target: 'http://127.0.0.1:3000', model: 'open' as const, slo: [], sloDefaults: false, measured: [0, 1], endpoints: ENDPOINTS, namedPhases: false };

/**
 * Segment `index` as `bench run --segment index/COUNT` writes it (the aggregator's seconds, resultFrom):
 * each segment slower than the one before, so merged percentiles are no part's; segment 3 starts 400 ms
 * late (merged into the same seconds) and segment 1 sends nothing in its second 2 (an empty histogram).
 */
function segment(index: number, over: Partial<Pick<RunResult, 'fingerprint' | 'runId'>> = {}): RunResult {
  const next = random(100 + index);
  const agg = new Aggregator(ENDPOINTS, Number.POSITIVE_INFINITY);
  for (let second = 0; second < SECONDS; second++) {
    const parts = ENDPOINTS.map(() => ({ latency: newHistogram(), service: newHistogram(), counters: emptyCounters() }));
    const n = index === 1 && second === 2 ? 0 : 150 + Math.floor(next() * 50);
    for (let i = 0; i < n; i++) {
      const part = parts[i % 2]!;
      const ms = 1 + next() * 15 * (index + 1) + (next() < 0.02 ? 250 * next() : 0);
      recordMs(part.latency, ms);
      recordMs(part.service, ms * 0.7);
      part.counters.requests++;
      part.counters.statusCodes['200'] = (part.counters.statusCodes['200'] ?? 0) + 1;
    }
    const lag = newHistogram();
    recordMs(lag, next());
    agg.absorbEncoded(encodeInterval({ second, endpoints: parts, lag }));
  }
  const durationMs = SECONDS * 1000;
  return resultFrom(identity, agg.summarize(durationMs), {
    startedAt: START + (index === 3 ? 400 : 0),
    durationMs,
    drainMs: 0,
    segment: { index, count: COUNT },
    fingerprint: over.fingerprint ?? 'plan-a',
    runId: over.runId ?? 'run-1',
  });
}

const quiet = (): Console & { errors: string[] } => {
  const errors: string[] = [];
  return { out: () => {}, err: (t) => errors.push(t), env: {}, stderrIsTTY: false, exitNow: (code) => { throw new Error(`exit ${code}`); }, errors };
};

let dir: string;
let files: string[];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bench-merge-stream-'));
  // three result.json files and one pod log (its RESULT frame), as `bench collect` saves it
  files = Array.from({ length: COUNT }, (_, i) => {
    const result = segment(i);
    if (i === 2) {
      const file = join(dir, `segment-${i}.log`);
      writeFileSync(file, `starting\n${encodeFrame('RESULT', result)}done\n`);
      return file;
    }
    const file = join(dir, `segment-${i}.json`);
    writeFileSync(file, jsonReport(result, { color: false }));
    return file;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const reference = (): hdr.Histogram => hdr.build({ bitBucketSize: 32, autoResize: true, lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3 });
const referenceSum = (encoded: readonly string[]): hdr.Histogram => {
  const sum = reference();
  for (const e of encoded) if (e) sum.add(hdr.decodeFromCompressedBase64(e, 32, false));
  return sum;
};
/** Every bucket's count, by the reference's own iteration (value at the bucket → count). */
const buckets = (h: hdr.Histogram): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  const iter = (h as unknown as { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } } }).recordedValuesIterator;
  iter.reset();
  while (iter.hasNext()) {
    const v = iter.next();
    out.push([v.valueIteratedTo, v.countAtValueIteratedTo]);
  }
  return out;
};

describe('bench merge streams: one file at a time, twice', () => {
  it('equals the all-in-memory merge, and every merged second is the reference sum of its parts to the bucket', async () => {
    const out = join(dir, 'merged');
    const code = await mergeCommand(files, { out, quiet: true, color: false }, quiet());
    expect(code).toBe(0);
    const streamed = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    const parts = files.map(readSegmentFile);
    // the old way: every result in memory, merged at once
    expect(streamed).toEqual(JSON.parse(JSON.stringify(mergeResults(parts, null))));

    // independent: hdr-histogram-js adds the parts' per-second histograms itself
    const bySecond = new Map<number, Array<{ point: TimelinePoint }>>();
    for (const part of parts) {
      const offset = Math.round((Date.parse(part.startedAt) - START) / 1000);
      for (const point of part.timeline) {
        const list = bySecond.get(point.second + offset) ?? [];
        list.push({ point });
        bySecond.set(point.second + offset, list);
      }
    }
    expect(streamed.timeline.map((p) => p.second)).toEqual([...bySecond.keys()].sort((a, b) => a - b));
    expect(streamed.timeline).toHaveLength(SECONDS);
    for (const point of streamed.timeline) {
      const inputs = bySecond.get(point.second)!;
      expect(inputs).toHaveLength(COUNT);
      const truth = referenceSum(inputs.map((i) => i.point.histogram));
      const merged = hdr.decodeFromCompressedBase64(point.histogram, 32, false);
      expect(merged.totalCount).toBe(truth.totalCount);
      expect(buckets(truth).length).toBeGreaterThan(50);
      expect(buckets(merged)).toEqual(buckets(truth));
      expect(point.requests).toBe(inputs.reduce((n, i) => n + i.point.requests, 0));
      expect(point.requests).toBe(truth.totalCount);
    }
    // the totals too: the reference sum of the parts' totals, every request once
    const totals = referenceSum(parts.map((p) => p.totals.histogram));
    expect(buckets(hdr.decodeFromCompressedBase64(streamed.totals.histogram, 32, false))).toEqual(buckets(totals));
    expect(streamed.totals.requests).toBe(totals.totalCount);
    expect(streamed.totals.requests).toBe(streamed.timeline.reduce((n, p) => n + p.requests, 0));
  });

  it('window by window (2 s windows: every timeline read once per window) gives the same result', async () => {
    const { readSegmentTimeline } = await import('../src/cli/read-segment.js');
    const facts = files.map((f) => factsOf(readSegmentFile(f)));
    const reads: number[] = [];
    const out = join(dir, 'windowed');
    const set = { facts, sources: files, timeline: (n: number) => (reads.push(n), readSegmentTimeline(files[n]!, facts[n]!)) };
    expect(writeMerged(set, { out, quiet: true, color: false }, quiet(), 2)).toBe(0);
    // seconds 0–5 in windows [0,2) [2,4) [4,6): each file read three times, in order
    expect(reads).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    const windowed = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    expect(windowed).toEqual(JSON.parse(JSON.stringify(mergeResults(files.map(readSegmentFile), null))));
    expect(windowed.timeline.map((p) => p.second)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses before it reads any timeline: the same one-line errors, and no fold', () => {
    const facts = files.map((f) => factsOf(readSegmentFile(f)));
    const reads: number[] = [];
    const set = (given: typeof facts) => ({ facts: given, sources: files.slice(0, given.length), timeline: (n: number) => (reads.push(n), [] as TimelinePoint[]) });
    const flags = { out: join(dir, 'refused'), quiet: true, color: false };

    const otherPlan = [...facts];
    otherPlan[2] = factsOf(segment(2, { fingerprint: 'plan-b' }));
    expect(() => writeMerged(set(otherPlan), flags, quiet())).toThrow(UsageError);
    expect(() => writeMerged(set(otherPlan), flags, quiet())).toThrow(/^segment 2\/4 \(.*segment-2\.log\) ran a different plan \(fingerprint plan-b against plan-a\)/);

    const otherRun = [...facts];
    otherRun[1] = factsOf(segment(1, { runId: 'run-2' }));
    expect(() => writeMerged(set(otherRun), flags, quiet())).toThrow(/^segment 1\/4 \(.*segment-1\.json\) belongs to another run \(run id run-2/);

    expect(() => writeMerged(set(facts.slice(0, 3)), flags, quiet())).toThrow(/^segment 3\/4 is missing \(3 of 4 given\).*--allow-partial/);
    expect(() => startMerge(facts.slice(0, 3), null)).toThrow(/^segment 3\/4 is missing/);
    expect(reads).toEqual([]);

    // allowed partial: now the three timelines are read, each once, in order
    const io = quiet();
    writeMerged(set(facts.slice(0, 3)), { ...flags, allowPartial: true }, io);
    expect(reads).toEqual([0, 1, 2]);
    expect(io.errors.join('\n')).toContain('partial: 3 of 4 segments');
  });

  it('a file rewritten between the two reads is one clear line', async () => {
    const copy = files.map((f, i) => {
      const to = join(dir, `copy-${i}${f.endsWith('.log') ? '.log' : '.json'}`);
      writeFileSync(to, readFileSync(f));
      return to;
    });
    const facts = copy.map((f) => factsOf(readSegmentFile(f)));
    writeFileSync(copy[1]!, jsonReport(segment(1, { runId: 'run-9' }), { color: false }));
    const { readSegmentTimeline } = await import('../src/cli/read-segment.js');
    expect(() => readSegmentTimeline(copy[1]!, facts[1]!)).toThrow(/copy-1\.json: changed while it was being merged; merge again/);
    expect(readSegmentTimeline(copy[0]!, facts[0]!)).toHaveLength(SECONDS);
  });
});
