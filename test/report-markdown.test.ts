import { describe, expect, it } from 'vitest';
import { reporters } from '../src/report/index.js';
import { MARKDOWN_TIMELINE_ROWS } from '../src/report/markdown.js';
import { summarizeTimeline } from '../src/report/timeline.js';
import { formatMs, formatPercent, formatRate, formatThresholdValue } from '../src/report/format.js';
import { mergeEncoded, percentileMs } from '../src/metrics/histogram.js';
import { buildResult, failingResult, passingResult } from './fixtures/results/build.js';

function longRun(seconds: number) {
  return buildResult({
    scenario: 'soak',
    target: 'http://127.0.0.1:3000',
    seconds,
    model: 'open',
    endpoints: [{ name: 'get', perSecond: 3, outcome: (i, s) => ({ latencyMs: 1 + ((s * 7 + i) % 50), status: 200 }) }],
  });
}

describe('markdown reporter', () => {
  it('summarises a long run to a bounded timeline and stays far under 1 MiB', () => {
    const result = longRun(3600);
    const md = reporters.md(result, { color: false });
    const timelineRows = md.split('\n').filter((l) => /^\| \d+–\d+ \|/.test(l));
    expect(timelineRows.length).toBeGreaterThan(0);
    expect(timelineRows.length).toBeLessThanOrEqual(MARKDOWN_TIMELINE_ROWS);
    expect(timelineRows[timelineRows.length - 1]).toMatch(/–3600 \|/);
    expect(Buffer.byteLength(md)).toBeLessThan(64 * 1024);
  });

  it('starts with the verdict, scenario and target', () => {
    expect(reporters.md(passingResult(), { color: false }).split('\n')[0]).toBe('## ✅ PASS — catalog-smoke → http://127.0.0.1:3000');
    expect(reporters.md(failingResult(), { color: false }).split('\n')[0]).toMatch(/^## ❌ FAIL — checkout/);
  });

  it('escapes pipes so a name cannot break a table', () => {
    const result = passingResult();
    result.endpoints[0]!.name = 'a|b';
    const row = reporters.md(result, { color: false }).split('\n').find((l) => l.startsWith('| a'))!;
    expect(row.startsWith('| a\\|b |')).toBe(true);
  });
});

describe('summarizeTimeline', () => {
  it('merges histograms per bucket: percentiles are exact, counts add up', () => {
    const result = longRun(125);
    const rows = summarizeTimeline(result.timeline, 60);
    expect(rows).toHaveLength(42); // buckets of 3 s
    expect(rows.reduce((n, r) => n + r.requests, 0)).toBe(result.totals.requests);
    const first = mergeEncoded(result.timeline.slice(0, 3).map((p) => p.histogram));
    expect(rows[0]!.p99Ms).toBe(percentileMs(first, 99));
    expect(rows[0]!.rps).toBeCloseTo(3, 9);
    expect(rows[41]).toMatchObject({ fromSecond: 123, toSecond: 125 });
  });

  it('keeps every second when they fit', () => {
    expect(summarizeTimeline(longRun(5).timeline, 60)).toHaveLength(5);
    expect(summarizeTimeline([], 60)).toEqual([]);
  });
});

describe('number formatting', () => {
  it('uses precision that matches the magnitude', () => {
    expect([formatMs(1.234), formatMs(12.34), formatMs(1234.5)]).toEqual(['1.23', '12.3', '1,235']);
    expect([formatRate(9.876), formatRate(99.97), formatRate(12345.6)]).toEqual(['9.88', '100.0', '12,346']);
    expect([formatPercent(0), formatPercent(0.003), formatPercent(0.125), formatPercent(1)]).toEqual(['0%', '0.30%', '12.5%', '100%']);
    expect([formatThresholdValue(0.01, '%'), formatThresholdValue(200, 'ms'), formatThresholdValue(100, '/s')]).toEqual(['1%', '200ms', '100/s']);
  });
});
