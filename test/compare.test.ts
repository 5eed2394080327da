import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { decodeHistogram, newHistogram, percentileMs, recordMs, type Histogram } from '../src/metrics/histogram.js';
import { emptyCounters, toStats, type Counters } from '../src/metrics/stats.js';
import type { RunResult, TimelinePoint } from '../src/types.js';
import {
  compareResults, defaultRegressionBounds, parseRegressionBounds, renderComparisonHtml, renderComparisonJson,
  renderComparisonMarkdown, renderComparisonTerminal, sideBySideVerdict, type Comparison, type MetricRow,
} from '../src/compare/index.js';
import { verdictSentence } from '../src/compare/sentence.js';
import { uplotAssets } from '../src/report/html.js';

// ───────────── fixture builder: known values recorded into real HDR histograms ─────────────

interface Req { second: number; ms: number; endpoint?: string; error?: boolean }

class Acc {
  counters: Counters = emptyCounters();
  latency: Histogram = newHistogram();
  add(r: Req): void {
    this.counters.requests++;
    if (r.error) this.counters.errors++;
    recordMs(this.latency, r.ms);
  }
}

function buildResult(requests: Req[], durationMs: number, scenario = 'shop'): RunResult {
  const totals = new Acc();
  const endpoints = new Map<string, Acc>();
  const seconds = new Map<number, Acc>();
  for (const r of requests) {
    totals.add(r);
    const name = r.endpoint ?? 'get-product';
    if (!endpoints.has(name)) endpoints.set(name, new Acc());
    endpoints.get(name)!.add(r);
    if (!seconds.has(r.second)) seconds.set(r.second, new Acc());
    seconds.get(r.second)!.add(r);
  }
  const stats = (a: Acc) => toStats(a.counters, a.latency, a.latency, durationMs);
  const timeline: TimelinePoint[] = [...seconds].sort(([a], [b]) => a - b).map(([second, a]) => {
    const s = stats(a);
    return { second, requests: s.requests, errors: s.errors, dropped: 0, p50Ms: s.latencyMs.p50, p95Ms: s.latencyMs.p95,
      p99Ms: s.latencyMs.p99, maxMs: s.latencyMs.max, histogram: s.histogram };
  });
  return {
    schemaVersion: 1, tool: { name: 'bench', version: '0.0.0' }, scenario, target: 'http://127.0.0.1:1',
    startedAt: '2025-01-01T00:00:00.000Z', durationMs, model: 'open', totals: stats(totals),
    endpoints: [...endpoints].map(([name, a]) => ({ name, ...stats(a) })), timeline,
    scheduleLagMs: { mean: 0, p99: 0, max: 0 }, slo: [], sloDefaults: true, pass: true,
  };
}

/** Deterministic PRNG (mulberry32) for tiny jitter. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `perSecond` requests each second; request i of second s takes msAt(s, i / perSecond). */
function steady(seconds: number, perSecond: number, msAt: (second: number, fraction: number) => number, extra: Partial<Req> = {}): Req[] {
  const out: Req[] = [];
  for (let s = 0; s < seconds; s++) for (let i = 0; i < perSecond; i++) out.push({ second: s, ms: msAt(s, i / perSecond), ...extra });
  return out;
}

/** Every second the same spread 50–100 ms, plus ±0.05 ms jitter (its own seed per call: no order dependence). */
const quiet = (shiftMs: number, seed = 42) => {
  const jitter = prng(seed);
  return (_s: number, f: number) => 50 + 50 * f + shiftMs + (jitter() - 0.5) * 0.1;
};
/** Each second sits at its own level (20–120 ms): the whole-run percentiles wobble a lot between runs. */
const LEVELS = [20, 110, 35, 95, 60, 120, 25, 80, 45, 100];
const noisy = (levels: number[], shiftMs: number) => (s: number, f: number) => levels[s % levels.length]! * (0.9 + 0.2 * f) + shiftMs;

const row = (c: Comparison, metric: string, endpoint?: string): MetricRow => {
  const section = endpoint === undefined ? c.totals : c.endpoints.find((e) => e.name === endpoint)!;
  return section.rows.find((r) => r.metric === metric)!;
};
const allRows = (c: Comparison) => [c.totals, ...c.endpoints].flatMap((s) => s.rows);
const bounds10 = parseRegressionBounds('10%');

// ───────────── bounds ─────────────

describe('parseRegressionBounds', () => {
  it.each([
    ['10%', 'p99', { value: 10, unit: '%', floorMs: 10 }],
    ['10%', 'p50', { value: 10, unit: '%', floorMs: 2 }],
    ['10%', 'p90', { value: 10, unit: '%', floorMs: 5 }],
    ['10%', 'p95', { value: 10, unit: '%', floorMs: 5 }],
    ['10%', 'error_rate', { value: 1, unit: 'pp' }],
    ['10%', 'max', null],
    ['10%', 'rps', null],
    ['10%+2ms', 'p99', { value: 10, unit: '%', floorMs: 2 }],
    ['10%,error_rate=20%', 'error_rate', { value: 20, unit: '%' }],
    ['p99=15%,error_rate=0.5pp,rps=5%', 'p99', { value: 15, unit: '%', floorMs: 10 }],
    ['p99=15%,error_rate=0.5pp,rps=5%', 'error_rate', { value: 0.5, unit: 'pp' }],
    ['p99=15%,error_rate=0.5pp,rps=5%', 'rps', { value: 5, unit: '%' }],
    ['p99=15%,error_rate=0.5pp,rps=5%', 'p50', null],
    ['p95=50%', 'p95', { value: 50, unit: '%', floorMs: 5 }],
    ['p95=50%', 'p50', null],
    ['p95=50%', 'error_rate', null],
    ['p99=5ms', 'p99', { value: 0, unit: '%', floorMs: 5 }],
    ['p50=10%+0ms', 'p50', { value: 10, unit: '%', floorMs: 0 }],
    ['max=20%+1.5ms', 'max', { value: 20, unit: '%', floorMs: 1.5 }],
    [' 20% , P95 = 3.5% ', 'p95', { value: 3.5, unit: '%', floorMs: 5 }],
    [' 20% , P95 = 3.5% ', 'mean', { value: 20, unit: '%', floorMs: 2 }],
  ] as const)('%s → %s %o', (text, metric, expected) => {
    expect(parseRegressionBounds(text)[metric]).toEqual(expected);
  });

  it('defaults to 10% plus a floor for latencies, 1pp for the error rate; max and rps are not gated', () => {
    const d = defaultRegressionBounds();
    expect(d.p50).toEqual({ value: 10, unit: '%', floorMs: 2 });
    expect(d.p95).toEqual({ value: 10, unit: '%', floorMs: 5 });
    expect(d.p99).toEqual({ value: 10, unit: '%', floorMs: 10 });
    expect(d.error_rate).toEqual({ value: 1, unit: 'pp' });
    expect(d.max).toBeNull();
    expect(d.rps).toBeNull();
  });

  it.each([
    ['', /expected/],
    ['ten', /cannot read bound "ten"/],
    ['10', /cannot read bound "10"/],
    ['-5%', /cannot read bound/],
    ['p42=10%', /unknown metric "p42"/],
    ['p99=2pp', /error_rate only/],
    ['5pp', /error_rate only/],
    ['p99=10%,p99=20%', /p99 is given twice/],
    ['10%,20%', /one bare bound/],
    ['p99=10%,', /expected/],
    ['10%2ms', /cannot read bound/],
    ['+2ms', /cannot read bound/],
    ['rps=5%+2ms', /latency metrics only/],
    ['error_rate=1pp+1ms', /latency metrics only/],
  ])('rejects %j with one clear line', (text, message) => {
    let error: unknown;
    try { parseRegressionBounds(text); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });
});

// ───────────── comparison ─────────────

describe('compareResults', () => {
  const base = buildResult(steady(10, 100, quiet(0)), 10_000);

  it('finds no change when a result is compared with itself', () => {
    const c = compareResults(base, base, { bounds: bounds10 });
    expect(c.overall.regressed).toBe(false);
    expect(allRows(c).map((r) => r.verdict)).toEqual(allRows(c).map(() => 'no significant change'));
    expect(c.overall.summary).toMatch(/^No regression/);
    expect(row(c, 'p50').base).toBeGreaterThan(0);
  });

  it('flags a 15 ms slowdown over a quiet 10 s timeline as a regression', () => {
    const head = buildResult(steady(10, 100, quiet(15)), 10_000);
    const c = compareResults(base, head, { bounds: bounds10, baseLabel: 'v1', headLabel: 'v2' });
    for (const metric of ['p50', 'p90', 'p95', 'p99']) {
      const r = row(c, metric);
      expect(r.verdict, metric).toBe('regression');
      expect(r.delta!).toBeGreaterThan(14);
      expect(r.delta!).toBeLessThan(16);
    }
    // The percentiles come from the histograms, not from the stored latencyMs figures.
    expect(row(c, 'p95').base).toBeCloseTo(percentileMs(decodeHistogram(base.totals.histogram), 95), 6);
    expect(row(c, 'rps').verdict).toBe('no significant change');
    expect(row(c, 'error_rate').verdict).toBe('no significant change');
    expect(c.overall.regressed).toBe(true);
    expect(c.overall.summary).toMatch(/REGRESSION: .*total p95 \+\d+\.\d%/);
    expect(c.method).toContain('10 one-second blocks');
    expect(c.base.label).toBe('v1');
  });

  it('calls a slowdown within the bound "worse", and a speed-up "better"', () => {
    const slightlySlower = buildResult(steady(10, 100, quiet(4)), 10_000); // ≈ +5%
    expect(row(compareResults(base, slightlySlower, { bounds: bounds10 }), 'p50').verdict).toBe('worse');
    const faster = buildResult(steady(10, 100, quiet(-15)), 10_000);
    const c = compareResults(base, faster, { bounds: bounds10 });
    expect(row(c, 'p95').verdict).toBe('better');
    expect(c.overall.regressed).toBe(false);
  });

  it('calls a slowdown past the bound but within a very noisy timeline inconclusive, not a regression', () => {
    const noisyBase = buildResult(steady(10, 100, noisy(LEVELS, 0)), 10_000);
    // Same per-second levels in another order, all 15 ms slower: the same distribution shifted.
    const noisyHead = buildResult(steady(10, 100, noisy([...LEVELS].reverse(), 15)), 10_000);
    const c = compareResults(noisyBase, noisyHead, { bounds: bounds10 });
    for (const metric of ['p95', 'p99']) {
      const r = row(c, metric);
      expect(r.pastBound, metric).toBe(true); // past the bound: only the noise estimate keeps it from failing
      expect(r.noise!).toBeGreaterThan(Math.abs(r.delta!));
      expect(r.verdict).toBe('inconclusive');
    }
    expect(c.overall.regressed).toBe(false);
    expect(c.overall.summary).toMatch(/inconclusive \(past the bound, within the noise: not enough data to tell\)/);
  });

  it('flags an error-rate rise past the default 1pp bound', () => {
    const failing = buildResult([...steady(10, 97, quiet(0)), ...steady(10, 3, quiet(0), { error: true })], 10_000);
    const c = compareResults(base, failing, { bounds: defaultRegressionBounds() });
    const r = row(c, 'error_rate');
    expect(r.head).toBeCloseTo(0.03, 6);
    expect(r.verdict).toBe('regression');
    expect(c.overall.summary).toContain('total error_rate +3.00pp (bound 1pp)');
  });

  it('lists endpoints found in one run only, never dropping them', () => {
    const head = buildResult([...steady(10, 100, quiet(0)), ...steady(10, 20, quiet(0), { endpoint: 'checkout' })], 10_000);
    const oldOnly = buildResult([...steady(10, 100, quiet(0)), ...steady(10, 20, quiet(0), { endpoint: 'legacy' })], 10_000);
    const c = compareResults(oldOnly, head, { bounds: bounds10 });
    expect(c.endpoints.map((e) => [e.name, e.onlyIn])).toEqual([['get-product', undefined], ['legacy', 'base'], ['checkout', 'head']]);
    const checkout = c.endpoints.find((e) => e.name === 'checkout')!;
    expect(checkout.requests).toEqual({ base: null, head: 200 });
    expect(row(c, 'p50', 'checkout').base).toBeNull();
    expect(row(c, 'p50', 'checkout').head).toBeGreaterThan(50);
    expect(row(c, 'p50', 'get-product').verdict).toBe('no significant change');
  });

  it('says so when runs are too short for blocks, and falls back to the values\u2019 own sampling error', () => {
    const short = buildResult(steady(3, 100, quiet(0)), 3_000);
    const slower = buildResult(steady(3, 100, quiet(15)), 3_000);
    const c = compareResults(short, slower, { bounds: parseRegressionBounds('10%,p99=20%,max=10%') });
    expect(c.method).toContain('no run-to-run noise estimate (two single runs shorter than 5 full seconds)');
    expect(c.test).toMatchObject({ kind: 'sampling', samples: { base: 300, head: 300 } });
    expect(row(c, 'p50').test).toBe('sampling');
    expect(row(c, 'p50').verdict).toBe('regression'); // ≈ +20% > 10%, far past its sampling error
    expect(row(c, 'p99').verdict).toBe('worse'); // ≈ +15% < 20%
    // max has no sampling error: the bound alone decides, and the row says so
    expect(row(c, 'max')).toMatchObject({ test: 'bound-only', noise: null, verdict: 'regression' });
    expect(compareResults(short, short, { bounds: bounds10 }).overall.regressed).toBe(false);
  });
});

describe('compareResults with A/B rounds', () => {
  const quietBase = buildResult(steady(10, 100, quiet(0)), 10_000);
  const quietHead = buildResult(steady(10, 100, quiet(15)), 10_000);
  // Each round at its own level: the rounds disagree by far more than 15 ms.
  const round = (level: number, shift: number) => buildResult(steady(5, 50, (_s, f) => level * (0.9 + 0.2 * f) + shift), 5_000);
  const rounds = { base: [40, 80, 120].map((l) => round(l, 0)), head: [120, 40, 80].map((l) => round(l, 15)) };

  it('uses Welch\u2019s t on the spread across rounds instead of the timeline, Bonferroni over the gated metrics', () => {
    const five = parseRegressionBounds('p50=10%,p90=10%,p95=10%,p99=10%,mean=10%');
    expect(row(compareResults(quietBase, quietHead, { bounds: five }), 'p95').verdict).toBe('regression');
    const c = compareResults(quietBase, quietHead, { bounds: five, rounds });
    expect(c.method).toContain('3 base and 3 head alternating rounds');
    // one endpoint: its rows repeat the totals and are not tested again, so the family is the 5 named metrics
    expect(c.test).toEqual({ kind: 'rounds', samples: { base: 3, head: 3 }, family: 5, alpha: 0.05 });
    const r = row(c, 'p95');
    expect(r.verdict).toBe('inconclusive');
    // noise = t(two-sided 0.05/5, df) · √(SE_base² + SE_head²), SE = stdev of the rounds' p95 / √3. Both sides have
    // the same spread, so Welch's df is 3 + 3 − 2 = 4, and the table's t(0.995, 4) is 4.604.
    const se = (runs: RunResult[]) => {
      const xs = runs.map((run) => percentileMs(decodeHistogram(run.totals.histogram), 95));
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) / Math.sqrt(xs.length);
    };
    expect(se(rounds.head) / se(rounds.base)).toBeCloseTo(1, 2); // equal up to HDR bucket rounding
    expect(r.noise! / Math.hypot(se(rounds.base), se(rounds.head))).toBeCloseTo(4.604, 2);
    expect(r.test).toBe('rounds');
  });

  it('finds a regression when the rounds agree with each other', () => {
    const tight = { base: [80, 80].map((l) => round(l, 0)), head: [80, 80].map((l) => round(l, 15)) };
    const merged = (runs: RunResult[]) => runs; // the CLI merges rounds; here the quiet runs stand in
    const c = compareResults(quietBase, quietHead, { bounds: bounds10, rounds: { base: merged(tight.base), head: merged(tight.head) } });
    expect(row(c, 'p95').verdict).toBe('regression');
  });

  it('ignores fewer than two rounds a side and uses the timeline', () => {
    const c = compareResults(quietBase, quietHead, { bounds: bounds10, rounds: { base: rounds.base.slice(0, 1), head: rounds.head } });
    expect(c.method).toContain('one-second blocks');
  });
});

// ───────────── renderers ─────────────

describe('comparison renderers', () => {
  const base = buildResult([...steady(10, 100, quiet(0)), ...steady(10, 20, quiet(0), { endpoint: 'legacy' })], 10_000, 'shop');
  const head = buildResult([...steady(10, 100, quiet(15)), ...steady(10, 20, quiet(0), { endpoint: 'checkout' })], 10_000, 'shop');
  const c = compareResults(base, head, { bounds: parseRegressionBounds('10%,error_rate=0.5pp'), baseLabel: 'v1', headLabel: 'v2 <new>' });

  it('renders markdown as in the golden file', () => {
    const golden = fileURLToPath(new URL('./golden/compare.md', import.meta.url));
    const text = renderComparisonMarkdown(c);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('renders one terminal table naming both labels, the verdict and the method', () => {
    const plain = renderComparisonTerminal(c, { color: false });
    expect(plain).not.toMatch(/\u001b\[/);
    expect(plain).toContain('base: v1 (shop, 1200 requests, 10.0s)');
    expect(plain).toContain('head: v2 <new>');
    expect(plain.match(/┌/g)).toHaveLength(1);
    expect(plain).toMatch(/│   p95 .*│ regression/);
    expect(plain).toMatch(/│ checkout +│ +— │ +200 req │.*│ only in head: v2 <new> +│/);
    expect(plain).toContain('REGRESSION:');
    expect(plain).toContain("test: Welch's t on 10 + 10 within-run blocks (no run-to-run noise estimate: use --rounds) · 11 gated metrics tested · α 5% family-wise (Bonferroni)");
    expect(plain).toContain("method: Welch's t-test on 10 one-second blocks (base)");
    expect(plain).toMatch(/│   max .*│ worse \(not gated\)/);
    expect(renderComparisonTerminal(c, { color: true })).toMatch(/\u001b\[31m/);
  });

  it('renders self-contained html with both curves and the table', () => {
    const html = renderComparisonHtml(c);
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain('v2 &lt;new&gt;');
    expect(html).not.toContain('v2 <new>');
    const data = JSON.parse(/<script type="application\/json" id="compare-data">(.*)<\/script>/.exec(html)![1]!) as {
      percentiles: { nines: number[]; series: Array<{ name: string; ms: number[] }> };
    };
    const { nines, series } = data.percentiles;
    expect(series.map((s) => s.name)).toEqual(['v1', 'v2 <new>']);
    const p90 = nines.indexOf(1); // x is the percentile's "nines": 1 → p90
    expect(series[0]!.ms[p90]).toBeCloseTo(row(c, 'p90').base!, 6);
    expect(series[1]!.ms[p90]).toBeCloseTo(row(c, 'p90').head!, 6);
    // the 100th percentile sits at the end of the axis, as in report.html: the max of each side
    expect(nines.at(-1)).toBe(6);
    expect(series[1]!.ms.at(-1)).toBeCloseTo(row(c, 'max').head!, 6);
    expect(html).toContain('<td class="text regression">regression</td>');
  });

  it('puts the verdict in a sentence at the top: what and why, from the judged rows', () => {
    const html = renderComparisonHtml(c);
    const sentence = /<p class="sentence" id="verdict-sentence">(.*?)<\/p>/.exec(html)![1]!;
    // p95 leads, past its 10%+5ms bound; its Δ is the raw requests' own p95s apart (nearest rank, no histogram)
    expect(sentence).toMatch(/^v2 &lt;new&gt; is slower: p95 \+\d+\.\d\d ms \(\+\d+\.\d%\), beyond the 10%\+5ms bound and outside the noise \(Welch p(=|&lt;)[\d.]+\)\. \d+ more metrics regressed too \(see the table\)\.$/);
    const rawP95 = (reqs: Req[]): number => {
      const sorted = reqs.map((r) => r.ms).sort((a, b) => a - b);
      return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
    };
    const baseReqs = [...steady(10, 100, quiet(0)), ...steady(10, 20, quiet(0), { endpoint: 'legacy' })];
    const headReqs = [...steady(10, 100, quiet(15)), ...steady(10, 20, quiet(0), { endpoint: 'checkout' })];
    expect(Number(/p95 \+([\d.]+) ms/.exec(sentence)![1])).toBeCloseTo(rawP95(headReqs) - rawP95(baseReqs), 0);
    expect(html.indexOf('verdict-sentence')).toBeLessThan(html.indexOf('chart-percentiles'));
  });

  it('says "faster", "inconclusive" or "no significant change" when nothing regressed', () => {
    const base1 = buildResult(steady(10, 100, quiet(0)), 10_000);
    const faster = buildResult(steady(10, 100, quiet(-15)), 10_000);
    const sentence = (a: RunResult, b: RunResult): string => verdictSentence(compareResults(a, b, { bounds: bounds10, baseLabel: 'A', headLabel: 'B' }));
    const fast = sentence(base1, faster);
    expect(fast).toMatch(/^No regression: B is faster: p95 -\d+\.\d\d ms \(-\d+\.\d%\), outside the noise \(Welch p(=|<)[\d.]+\)\.$/);
    expect(Number(/p95 -([\d.]+) ms/.exec(fast)![1])).toBeCloseTo(15, 0);
    expect(sentence(base1, base1)).toBe('No significant change: every metric of B is within the noise or its bound of A.');
    const noisyBase = buildResult(steady(10, 100, noisy(LEVELS, 0)), 10_000);
    const noisyHead = buildResult(steady(10, 100, noisy([...LEVELS].reverse(), 15)), 10_000);
    expect(sentence(noisyBase, noisyHead)).toMatch(/^No regression shown, but inconclusive: B looks slower — p95 \+[\d.]+ ms \(\+[\d.]+%\), beyond the 10%\+5ms bound yet within the noise \(Welch p=[\d.]+\): not enough data to tell \(more rounds would\)\.$/);
  });

  it('renders html as in the golden file (uPlot and times blanked)', () => {
    const golden = fileURLToPath(new URL('./golden/compare.html', import.meta.url));
    const uplot = uplotAssets();
    const text = renderComparisonHtml(c, { reports: { base: '../v1/report.html', head: 'v2 new/report.html' } })
      .replace(uplot.js, '/* uPlot */')
      .replace(uplot.css, '/* uPlot css */')
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?/g, '<TIME>');
    expect(text).toContain('<a href="../v1/report.html">report.html</a>');
    expect(text).toContain('<a href="v2%20new/report.html">report.html</a>');
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
    expect(text).toBe(readFileSync(golden, 'utf8'));
  });

  it('renders comparison.json as the comparison itself', () => {
    const json = renderComparisonJson(c);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(c)));
    expect(json).toBe(JSON.stringify(c, null, 2));
  });
});

describe('side-by-side verdict line', () => {
  const bounds = defaultRegressionBounds();
  const run = (shiftMs: number) => buildResult(steady(10, 100, quiet(shiftMs)), 10_000);

  it('names the slower side, the metrics and their change', () => {
    const line = sideBySideVerdict(compareResults(run(0), run(15), { bounds, baseLabel: 'monolith', headLabel: 'microservices' }));
    expect(line).toMatch(/^Verdict: microservices vs monolith — worse at p50 \(\+\d+\.\d%\), p90/);
    expect(line).toMatch(/no significant difference in rps, error_rate/);
    expect(line).toMatch(/monolith comes out ahead\.$/);
  });

  it('says so when neither side is measurably faster', () => {
    const line = sideBySideVerdict(compareResults(run(0), run(0), { bounds, baseLabel: 'a', headLabel: 'b' }));
    expect(line).toMatch(/Neither is measurably faster\.$/);
    expect(line).not.toMatch(/worse at|better at/);
  });
});

// ───────────── issue 11, hole 6: verdicts that never call noise a regression ─────────────

describe('what --max-regression gates', () => {
  // +20% on the median, +60% on p95 (and both far past their floors): a slow tail and a slower body.
  const base = buildResult(steady(10, 100, (_s, f) => (f < 0.9 ? 50 : 100)), 10_000);
  const head = buildResult(steady(10, 100, (_s, f) => (f < 0.9 ? 60 : 160)), 10_000);

  it('p95=50% gates p95 only: a median 20% slower is reported, not a regression', () => {
    const c = compareResults(base, head, { bounds: parseRegressionBounds('p95=70%') });
    expect(row(c, 'p50').delta).toBeCloseTo(10, 0);
    expect(row(c, 'p50').verdict).not.toBe('regression');
    expect(row(c, 'mean').verdict).not.toBe('regression');
    expect(row(c, 'p95').verdict).toBe('worse'); // +60% < 70%
    expect(c.overall.regressed).toBe(false);
    const gated = compareResults(base, head, { bounds: parseRegressionBounds('p95=50%') });
    expect(row(gated, 'p95').verdict).toBe('regression');
    expect(allRows(gated).filter((r) => r.verdict === 'regression' && !r.sameAs).map((r) => r.metric)).toEqual(['p95']);
    expect(row(gated, 'p95', 'get-product').sameAs).toBe('total p95'); // the only endpoint is the whole run
  });
});

describe('one delta, one verdict', () => {
  it('with 97 requests p99 is max: gating both counts the change once', () => {
    const base = buildResult(steady(1, 97, (_s, f) => 10 + 10 * f), 1_000);
    const head = buildResult(steady(1, 97, (_s, f) => 10 + 10 * f + (f > 0.985 ? 30 : 0)), 1_000);
    const c = compareResults(base, head, { bounds: parseRegressionBounds('p99=10%,max=10%') });
    expect(row(c, 'p99').base).toBe(row(c, 'max').base);
    expect(row(c, 'p99').head).toBe(row(c, 'max').head);
    const regressions = [c.totals, ...c.endpoints].flatMap((s) => s.rows.filter((r) => r.verdict === 'regression' && !r.sameAs));
    expect(regressions.map((r) => r.metric)).toEqual(['p99']);
    expect(row(c, 'max').sameAs).toBe('p99');
    expect(c.overall.summary).toMatch(/^REGRESSION: 1 metric past the bound: total p99/);
  });

  it('by default max is not gated, so a lone slow request is never a second regression', () => {
    const base = buildResult(steady(1, 97, (_s, f) => 10 + 10 * f), 1_000);
    const head = buildResult(steady(1, 97, (_s, f) => 10 + 10 * f + (f > 0.985 ? 30 : 0)), 1_000);
    const c = compareResults(base, head, { bounds: defaultRegressionBounds() });
    expect(row(c, 'max').gated).toBe(false);
    expect(row(c, 'max').verdict).not.toBe('regression');
  });
});

describe('family-wise false alarms on unchanged servers', () => {
  /** One round: a server whose level wobbles from round to round (±20%) and second to second. */
  const serverRound = (rand: () => number, endpoints: number, shiftMs = 0) => {
    const level = 2 * (0.8 + 0.4 * rand());
    const requests: Req[] = [];
    for (let s = 0; s < 2; s++) {
      const secondLevel = level * (0.9 + 0.2 * rand());
      for (let i = 0; i < 60; i++) {
        const tail = rand() < 0.02 ? 5 + 20 * rand() : 0;
        requests.push({ second: s, ms: secondLevel * (0.5 + rand()) + tail + shiftMs, endpoint: `e${i % endpoints}` });
      }
    }
    return buildResult(requests, 2_000);
  };
  const merge = (runs: RunResult[]) => runs[0]!; // the point values; rounds carry the spread

  it('100 A/B comparisons (3 rounds a side, 3 endpoints, every default metric) flag at most 5% — and a 10 ms change is found in every one', () => {
    const rand = prng(7);
    let falseAlarms = 0;
    let found = 0;
    const N = 100;
    for (let n = 0; n < N; n++) {
      const rounds = { base: [0, 1, 2].map(() => serverRound(rand, 3)), head: [0, 1, 2].map(() => serverRound(rand, 3)) };
      const c = compareResults(merge(rounds.base), merge(rounds.head), { bounds: defaultRegressionBounds(), rounds });
      if (c.overall.regressed) falseAlarms++;
      const slower = [0, 1, 2].map(() => serverRound(rand, 3, 10));
      if (compareResults(merge(rounds.base), merge(slower), { bounds: defaultRegressionBounds(), rounds: { base: rounds.base, head: slower } }).overall.regressed) found++;
    }
    if (process.env.BENCH_REPORT_FIGURES) console.log(`false alarms ${falseAlarms}/${N}, found ${found}/${N}`);
    expect(falseAlarms).toBeLessThanOrEqual(N * 0.05);
    expect(found).toBe(N);
  });
});

describe('per-second blocks cover the load window only', () => {
  it('leaves out a partial last second and the drain seconds after the load', () => {
    const base = buildResult(steady(10, 100, quiet(0)), 10_000);
    const head = buildResult([...steady(10, 100, quiet(0)), ...steady(1, 3, () => 50).map((r) => ({ ...r, second: 10 }))], 11_000);
    // 10 full seconds of load, then a stub second with 3 requests: marked partial (a load window that does not
    // end on a whole second), or past the load window (the drain, waiting for the last responses).
    const partial = { ...head, timeline: head.timeline.map((p) => (p.second === 10 ? { ...p, partial: true } : p)) };
    const drained = { ...head, durationMs: 10_000, drainMs: 400 };
    for (const run of [partial, drained]) {
      const c = compareResults(base, run, { bounds: parseRegressionBounds('rps=5%') });
      expect(c.method).toContain('10 one-second blocks (head)');
    }
  });
});
