// Issue 11: an interrupted or aborted run, a run with no success, timeouts and a partial last second are
// said plainly in every report.
import { describe, expect, it } from 'vitest';
import { reporters } from '../src/report/index.js';
import { chartData } from '../src/report/html-data.js';
import { summarizeTimeline } from '../src/report/timeline.js';
import { buildResult as buildRunResult } from '../src/result/build.js';
import { Aggregator } from '../src/metrics/aggregator.js';
import type { RunResult } from '../src/types.js';
import { passingResult } from './fixtures/results/build.js';
import { open, simplePlan } from './helpers/plan.js';

interface Case {
  name: string;
  attrs: Record<string, string>;
  body: string;
}

function testcases(xml: string): Case[] {
  return [...xml.matchAll(/<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g)].map((m) => ({
    name: /name="([^"]*)"/.exec(m[1]!)![1]!,
    attrs: Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
    body: m[3] ?? '',
  }));
}

const stopped = (stopReason: RunResult['stopReason']): RunResult => ({ ...passingResult(), stopReason });

describe('a stopped run is marked in every report (issue 11, hole 4)', () => {
  for (const reason of ['interrupted', 'slo-abort'] as const) {
    const word = reason === 'interrupted' ? /interrupted/i : /aborted/i;
    // The verdicts of the SLO rows all pass: the stop alone must be visible.
    const result = stopped(reason);

    it(`${reason}: report.md's headline says so`, () => {
      const first = reporters.md(result, { color: false }).split('\n')[0]!;
      expect(first).toMatch(word);
      expect(first).not.toMatch(/PASS/);
    });

    it(`${reason}: junit.xml has a failing testcase, never all green`, () => {
      const xml = reporters.junit(result, { color: false });
      const failing = testcases(xml).filter((c) => /<failure|<error/.test(c.body));
      expect(failing.length).toBeGreaterThan(0);
      expect(failing.map((c) => c.body).join(' ')).toMatch(word);
      expect(xml).not.toMatch(/<testsuites name="bench" tests="\d+" failures="0" errors="0"/);
    });

    it(`${reason}: report.html's header says so`, () => {
      const html = reporters.html(result, { color: false });
      const header = /<header[\s\S]*?<\/header>/.exec(html)![0];
      expect(header).toMatch(word);
      expect(header).not.toMatch(/>PASS</);
    });

    it(`${reason}: the terminal's first line says so`, () => {
      const first = reporters.terminal(result, { color: false }).split('\n')[0]!;
      expect(first).toMatch(word);
      expect(first).not.toMatch(/PASS/);
    });
  }
});

describe('a run that failed for a reason outside its SLO rows says why (issue 11, hole 2)', () => {
  const result: RunResult = { ...passingResult(), pass: false, reasons: ['no request succeeded: every one of 40 requests failed (connect ×40)'] };

  it('in report.md, the terminal, report.html and junit.xml', () => {
    expect(reporters.md(result, { color: false })).toMatch(/no request succeeded/);
    expect(reporters.terminal(result, { color: false })).toMatch(/no request succeeded/);
    expect(reporters.html(result, { color: false })).toMatch(/no request succeeded/);
    const failing = testcases(reporters.junit(result, { color: false })).filter((c) => /<failure/.test(c.body));
    expect(failing.map((c) => c.body).join(' ')).toMatch(/no request succeeded/);
  });
});

describe('timeouts and interrupted requests are lower bounds (issue 11, hole 4)', () => {
  const result = passingResult();
  result.totals = { ...result.totals, errors: 3, errorKinds: { timeout: 3 } };

  it('the terminal, report.md and report.html say percentiles at the timeout are lower bounds', () => {
    for (const text of [reporters.terminal(result, { color: false }), reporters.md(result, { color: false }), reporters.html(result, { color: false })]) {
      expect(text).toMatch(/3 requests timed out.*lower bound/);
    }
  });

  it('a run without timeouts says nothing of the kind', () => {
    expect(reporters.md(passingResult(), { color: false })).not.toMatch(/lower bound/);
  });
});

describe('the last, partial second (issue 11, hole 10)', () => {
  function ranResult(): RunResult {
    const plan = simplePlan('http://127.0.0.1:1', [open(100, 2000)]);
    const agg = new Aggregator(plan.endpoints);
    for (let s = 0; s < 3; s++) {
      // 100 requests in each full second, 5 in the 40 ms of drain after the load window
      const n = s < 2 ? 100 : 5;
      for (let i = 0; i < n; i++) agg.record(0, s * 1000, s * 1000, s * 1000 + 5, 200, null, null);
      agg.absorb(agg.closeInterval(s));
    }
    return buildRunResult(plan, agg.summarize(2000), { startedAt: Date.UTC(2025, 0, 1), durationMs: 2000, drainMs: 40 });
  }

  it('result.json marks it partial, with its duration; the full seconds are not', () => {
    const result = ranResult();
    expect(result.durationMs).toBe(2000);
    expect(result.drainMs).toBe(40);
    expect(result.totals.rps).toBe(102.5);
    expect(result.timeline.map((p) => p.partial ?? false)).toEqual([false, false, true]);
    expect(result.timeline[2]!.durationMs).toBeCloseTo(40, 6);
  });

  it('report.html does not draw it as a cliff to 0', () => {
    const t = chartData(ranResult()).timeline;
    expect(t.requests.slice(0, 2)).toEqual([100, 100]);
    // no throughput point for 40 ms of drain; latency is still drawn
    expect(t.requests[2]).toBeNull();
    expect(t.p95[2]).toBeGreaterThan(0);
  });

  it('the reports give the load window and the drain apart; the hlog interval is as long as the partial second', () => {
    const result = ranResult();
    for (const text of [reporters.md(result, { color: false }), reporters.terminal(result, { color: false }), reporters.html(result, { color: false })]) {
      expect(text).toContain('2s (+40.0 ms drain)');
    }
    const lines = reporters.hlog(result, { color: false }).trimEnd().split('\n').filter((l) => /^\d/.test(l));
    expect(lines.map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['0.000,1.000', '1.000,1.000', '2.000,0.040']);
  });

  it('the timeline table counts it by its duration, not as a full second', () => {
    const rows = summarizeTimeline(ranResult().timeline, 1);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.requests).toBe(205);
    expect(rows[0]!.rps).toBeCloseTo(205 / 2.04, 6);
  });
});

describe('no latency is shown as no latency, dropped arrivals as part of the error rate (issue 11)', () => {
  // 20 refused connections: requests and errors, not one latency sample.
  function deadTarget(): RunResult {
    const plan = simplePlan('http://127.0.0.1:1', [open(20, 1000)]);
    const agg = new Aggregator(plan.endpoints);
    for (let i = 0; i < 20; i++) agg.record(0, 0, 0, 1, 0, 'connect', null);
    agg.absorb(agg.closeInterval(0));
    const summary = agg.summarize(1000);
    // as the engine records them once a request without a response stays out of the histograms
    const empty = { ...summary.totals, latencyMs: { min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0 } };
    return { ...buildRunResult(plan, { ...summary, totals: empty, endpoints: [{ ...summary.endpoints[0]!, latencyMs: empty.latencyMs }] }, { startedAt: 0, durationMs: 1000 }) };
  }

  it('tables show "–", not 0.00 ms, for latency that does not exist', () => {
    const result = deadTarget();
    const row = reporters.md(result, { color: false }).split('\n').find((l) => l.startsWith('| **TOTAL**'))!;
    expect(row).toBe('| **TOTAL** | 20 | 20.0 | 100% | – | – | – | – | – |');
    expect(reporters.terminal(result, { color: false })).toMatch(/TOTAL\s*│\s*20\s*│\s*20\.0\s*│\s*100%\s*│\s*–/);
    expect(reporters.html(result, { color: false })).toMatch(/<div class="label">p99<\/div><div class="value">no data<\/div>/);
  });

  it('a second without a response is a gap in the latency chart, not a drop to 0 ms', () => {
    const result = passingResult();
    result.timeline[1] = { ...result.timeline[1]!, requests: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };
    const t = chartData(result).timeline;
    expect(t.p95[1]).toBeNull();
    expect(t.p95[0]).toBeGreaterThan(0);
  });

  it('the summary line does not show the error rate as errors over requests when arrivals were dropped', () => {
    const result = passingResult();
    result.totals = { ...result.totals, errors: 0, dropped: 1800, errorRate: 1800 / (600 + 1800) };
    for (const text of [reporters.md(result, { color: false }), reporters.terminal(result, { color: false })]) {
      expect(text).toContain('0 errors (75.0% with the dropped)');
    }
  });
});
