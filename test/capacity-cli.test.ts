// `bench capacity` end to end against loopback servers of known capacity, through the real CLI.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, readJson, runCli, STACK_LINE, tempDir } from './helpers/cli.js';
import { startRateLimitedServer, startSlotServer, type RateLimitedServer, type SlotServer } from './helpers/capacity-servers.js';
import { startServer, type TestServer } from './helpers/servers.js';
import type { CapacityDocument } from '../src/capacity/document.js';

const ROOT = 'test/fixtures/capacity/root.yml';
const SLOTS = 'test/fixtures/capacity/slots.yml';
// Short probes: 1 s measured after a 1 s warm-up (confirmations: 2 s), 0.5 s apart.
const FAST = ['--step', '1s', '--warm-up', '1s', '--cool-down', '500ms'];
const SEARCH_TIMEOUT = 90_000;

beforeAll(() => ensureBuilt());

describe('bench capacity: a server that admits 300 requests/s and answers 503 beyond', () => {
  const R = 300;
  let server: RateLimitedServer;
  const dir = tempDir('bench-capacity-');

  beforeAll(async () => {
    server = await startRateLimitedServer(R);
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it(
    'reports 285–315/s, names error_rate as the SLO that broke, and writes capacity.json/.md/.html',
    async () => {
      const out = join(dir.path, 'a');
      const before = server.requests();
      const run = await runCli(['capacity', ROOT, '--target', server.url, '--from', '100/s', '--max', '2000/s', ...FAST, '--out', out], { timeoutMs: SEARCH_TIMEOUT });
      expect(run.timedOut).toBe(false);
      expect(run.stderr).not.toMatch(STACK_LINE);
      expect(run.code, run.stderr).toBe(0);
      const doc = readJson<CapacityDocument>(join(out, 'capacity.json'));
      const t = doc.targets[0]!;
      expect(t.status).toBe('found');
      expect(t.capacity!).toBeGreaterThanOrEqual(285);
      expect(t.capacity!).toBeLessThanOrEqual(315);
      expect(t.firstFailure!).toBeGreaterThan(t.capacity!);
      expect(t.brokenSlos.map((s) => s.expr)).toContain('error_rate < 1%');
      expect(t.brokenSlos.every((s) => s.expr.startsWith('error_rate'))).toBe(true);
      // No probe clearly above R passed: a token bucket cannot admit more than R/s plus its small burst.
      // (Below R a stall of this shared machine can make the server itself refuse a burst; the policy
      // re-probes, and the errors bench counted are the server's own refusals — checked next.)
      for (const p of t.probes) if (p.offeredRate >= R * 1.05) expect(p.verdict, `probe at ${p.offeredRate}/s`).not.toBe('pass');
      const errorsSeen = t.probes.reduce((sum, p) => sum + p.errors, 0);
      expect(errorsSeen).toBeGreaterThan(0);
      expect(errorsSeen).toBeLessThanOrEqual(server.refused());
      expect(t.probes.reduce((sum, p) => sum + p.requests - p.errors, 0)).toBeLessThanOrEqual(server.admitted());
      // The probes' responses add up to what the server itself saw (warm-up seconds are not in the figures).
      const measured = t.probes.reduce((sum, p) => sum + p.requests, 0);
      const served = server.requests() - before;
      expect(measured).toBeLessThan(served);
      const offeredInWindows = t.probes.reduce((sum, p) => sum + (p.offeredRate * (p.warmupMs + p.windowMs)) / 1000, 0);
      expect(served).toBeGreaterThanOrEqual(Math.floor(offeredInWindows * 0.99));
      expect(served).toBeLessThanOrEqual(Math.ceil(offeredInWindows * 1.01) + 10);
      // The achieved rate is counted over the window: near the offered rate for a server that answers at once.
      for (const p of t.probes) expect(Math.abs(p.achievedRate - p.offeredRate) / p.offeredRate).toBeLessThan(0.05);
      // Above R, the good (non-error) throughput flattens at about R: the server's own admission limit.
      for (const p of t.probes.filter((q) => q.offeredRate >= R * 1.2)) expect(Math.abs(p.goodRate - R) / R).toBeLessThan(0.1);

      for (const f of ['capacity.json', 'capacity.md', 'capacity.html', 'junit.xml']) expect(existsSync(join(out, f)), f).toBe(true);
      const md = readFileSync(join(out, 'capacity.md'), 'utf8');
      expect(md).toContain('error\\_rate &lt; 1%');
      expect(md).toContain(`${t.capacity}/s`);
      expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('tests="1" failures="0"');
      // One live line per probe on stderr.
      expect(run.stderr.match(/^bench capacity: probe \d+/gm)).toHaveLength(t.probes.length);
      expect(run.stderr).toContain(`sustains ${t.capacity}/s within SLOs`);
    },
    SEARCH_TIMEOUT,
  );

  it(
    '--min-capacity 500/s exits 1 and --min-capacity 200/s exits 0, each with a JUnit testcase',
    async () => {
      const coarse = ['--from', '100/s', '--max', '2000/s', '--precision', '20%', '--step', '1s', '--warm-up', '1s', '--cool-down', '500ms'];
      const high = await runCli(['capacity', ROOT, '--target', server.url, ...coarse, '--min-capacity', '500/s', '--out', join(dir.path, 'high')], { timeoutMs: SEARCH_TIMEOUT });
      expect(high.code, high.stderr).toBe(1);
      expect(high.stderr).toContain('below --min-capacity 500/s');
      const junit = readFileSync(join(dir.path, 'high', 'junit.xml'), 'utf8');
      expect(junit).toContain('tests="1" failures="1"');
      expect(junit).toContain('&gt;= 500/s');

      const summary = join(dir.path, 'step-summary.md');
      const low = await runCli(['capacity', ROOT, '--target', server.url, ...coarse, '--min-capacity', '200/s', '--out', join(dir.path, 'low')], {
        timeoutMs: SEARCH_TIMEOUT,
        env: { GITHUB_STEP_SUMMARY: summary },
      });
      expect(low.code, low.stderr).toBe(0);
      // The job summary gets capacity.md, appended.
      expect(readFileSync(summary, 'utf8')).toBe(readFileSync(join(dir.path, 'low', 'capacity.md'), 'utf8') + '\n');
      expect(low.stderr).toContain('meets --min-capacity 200/s');
      expect(readFileSync(join(dir.path, 'low', 'junit.xml'), 'utf8')).toContain('tests="1" failures="0"');
      expect(readJson<CapacityDocument>(join(dir.path, 'low', 'capacity.json')).pass).toBe(true);
    },
    2 * SEARCH_TIMEOUT,
  );
});

describe('bench capacity: a server of 4 slots × 20 ms with a queue (capacity 200/s)', () => {
  let server: SlotServer;
  const dir = tempDir('bench-capacity-slots-');
  beforeAll(async () => {
    server = await startSlotServer(4, 20);
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it(
    'finds the latency knee within [0.8, 1.0] × 200/s and names the latency SLO',
    async () => {
      const out = join(dir.path, 'b');
      const run = await runCli(['capacity', SLOTS, '--target', server.url, '--from', '100/s', '--max', '1000/s', ...FAST, '--out', out], { timeoutMs: SEARCH_TIMEOUT });
      expect(run.timedOut).toBe(false);
      expect(run.code, run.stderr).toBe(0);
      const t = readJson<CapacityDocument>(join(out, 'capacity.json')).targets[0]!;
      expect(t.status).toBe('found');
      expect(t.capacity!).toBeGreaterThanOrEqual(160);
      expect(t.capacity!).toBeLessThanOrEqual(200);
      expect(t.brokenSlos.map((s) => s.expr)).toContain('p95 < 60ms');
      // Past the knee the server's own queue built up; below it the server never queued much.
      expect(server.maxQueued()).toBeGreaterThan(4);
      // Achieved throughput cannot beat the slots: at most 200/s (plus the rounding of a window's edges).
      for (const p of t.probes) expect(p.achievedRate).toBeLessThanOrEqual(200 * 1.05);
    },
    SEARCH_TIMEOUT,
  );
});

describe('bench capacity: verdicts and bad input', () => {
  let failing: TestServer;
  const dir = tempDir('bench-capacity-misc-');
  beforeAll(async () => {
    failing = await startServer((_req, res) => {
      res.statusCode = 500;
      res.end('down');
    });
  });
  afterAll(async () => {
    await failing.close();
    dir.remove();
  });

  it('a target that never passes even the lowest rate exits 1 with a clear message', async () => {
    const run = await runCli(['capacity', ROOT, '--target', failing.url, '--from', '20/s', '--step', '1s', '--warm-up', '0s', '--cool-down', '100ms', '--json', '--out', join(dir.path, 'never')], { timeoutMs: 30_000 });
    expect(run.code).toBe(1);
    // --json: capacity.json on stdout, everything human on stderr.
    expect(JSON.parse(run.stdout)).toEqual(readJson(join(dir.path, 'never', 'capacity.json')));
    expect(run.stderr).toContain('never passed, not even the lowest rate 20/s');
    expect(run.stderr).not.toMatch(STACK_LINE);
    const doc = readJson<CapacityDocument>(join(dir.path, 'never', 'capacity.json'));
    expect(doc.targets[0]!.status).toBe('never-passed');
    expect(doc.targets[0]!.capacity).toBeNull();
  });

  it('a target that does not answer at all exits 3 before any probe', async () => {
    const run = await runCli(['capacity', ROOT, '--target', 'http://127.0.0.1:9', '--out', join(dir.path, 'dead')], { timeoutMs: 30_000 });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^bench: preflight: /m);
    expect(run.stderr).not.toMatch(/probe 1/);
  });

  it.each([
    [['--from', 'fast'], '--from: cannot read "fast"'],
    [['--from', '100/s', '--max', '50/s'], '--max 50/s is below --from 100/s'],
    [['--step', '1500ms'], '--step: "1500ms" must be whole seconds'],
    [['--precision', '150%'], '--precision: "150%" must be a percentage'],
    [['--max-time', '10'], '--max-time: "10" needs a unit'],
  ])('bad flags %j exit 2 with one line', async (flags, message) => {
    const run = await runCli(['capacity', ROOT, '--target', failing.url, ...flags, '--out', join(dir.path, 'bad')], { timeoutMs: 15_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});

describe('bench capacity: generator limits, two targets, stopping early', () => {
  const dir = tempDir('bench-capacity-more-');
  let slow: TestServer;
  let small: RateLimitedServer;
  let large: RateLimitedServer;
  beforeAll(async () => {
    // Answers every request after 10 ms, however many: this target has no capacity limit bench can reach.
    slow = await startServer((_req, res) => {
      setTimeout(() => res.end('ok'), 10);
    });
    small = await startRateLimitedServer(150);
    large = await startRateLimitedServer(300);
  });
  afterAll(async () => {
    await Promise.all([slow.close(), small.close(), large.close()]);
    dir.remove();
  });

  it(
    'arrivals dropped at the generator’s own in-flight cap are labelled "limited by the generator", never reported as capacity (exit 3)',
    async () => {
      const out = join(dir.path, 'capped');
      const run = await runCli(['capacity', 'test/fixtures/capacity/capped.yml', '--target', slow.url, '--from', '100/s', '--max', '3000/s', '--precision', '20%', ...FAST, '--out', out], { timeoutMs: SEARCH_TIMEOUT });
      expect(run.code).toBe(3);
      const t = readJson<CapacityDocument>(join(out, 'capacity.json')).targets[0]!;
      expect(t.status).toBe('generator-limited');
      expect(t.capacity).toBeNull();
      expect(t.firstFailure).toBeNull();
      expect(t.limitedAt).not.toBeNull();
      expect(t.limitedBy.join(' ')).toContain('dropped at the in-flight cap');
      expect(t.hint).toContain('--workers');
      const limited = t.probes.filter((p) => p.generatorLimited);
      expect(limited.length).toBeGreaterThanOrEqual(2);
      for (const p of limited) expect(p.dropped).toBeGreaterThan(0);
      expect(run.stderr).toContain('limited by the generator');
      expect(run.stderr).toContain("this is bench's limit, not the target's capacity");
      expect(run.stderr).not.toMatch(/sustains [\d,]+\/s within SLOs/);
      expect(readFileSync(join(out, 'capacity.md'), 'utf8')).toContain('limited by the generator');
    },
    SEARCH_TIMEOUT,
  );

  it(
    'two targets are searched interleaved, probe by probe, with one verdict comparing them',
    async () => {
      const out = join(dir.path, 'two');
      const args = ['capacity', ROOT, '--target', `big=${large.url}`, '--target', `small=${small.url}`, '--from', '100/s', '--max', '2000/s', '--precision', '10%', ...FAST, '--out', out];
      const run = await runCli(args, { timeoutMs: 2 * SEARCH_TIMEOUT });
      expect(run.code, run.stderr).toBe(0);
      const doc = readJson<CapacityDocument>(join(out, 'capacity.json'));
      const [big, smallT] = doc.targets as [CapacityDocument['targets'][0], CapacityDocument['targets'][0]];
      expect(big.name).toBe('big');
      expect(big.capacity!).toBeGreaterThanOrEqual(300 * 0.9);
      expect(big.capacity!).toBeLessThanOrEqual(300 * 1.05);
      expect(smallT.capacity!).toBeGreaterThanOrEqual(150 * 0.9);
      expect(smallT.capacity!).toBeLessThanOrEqual(150 * 1.05);
      const pct = Math.round(((smallT.capacity! - big.capacity!) / big.capacity!) * 100);
      expect(doc.verdict).toBe(`big sustains ${big.capacity}/s within SLOs, small ${smallT.capacity}/s (−${Math.abs(pct)}%)`);
      expect(run.stderr).toContain(doc.verdict);
      // Interleaved: while both searches run, no target gets two probes in a row... except mirrored pairs (A B B A).
      const order = run.stderr.match(/^bench capacity: (big|small) probe/gm)!.map((l) => l.split(' ')[2]);
      const both = Math.min(big.probes.length, smallT.probes.length) * 2;
      for (let i = 0; i + 2 < both; i++) expect(order[i] === order[i + 1] && order[i + 1] === order[i + 2]).toBe(false);
    },
    2 * SEARCH_TIMEOUT,
  );

  it('--max-time stops the search with the bracket found so far', async () => {
    const out = join(dir.path, 'short');
    const run = await runCli(['capacity', ROOT, '--target', large.url, '--from', '100/s', ...FAST, '--max-time', '6s', '--out', out], { timeoutMs: 30_000 });
    expect(run.code).toBe(0);
    const doc = readJson<CapacityDocument>(join(out, 'capacity.json'));
    expect(doc.stopReason).toBe('max-time');
    expect(doc.targets[0]!.status).toBe('stopped');
    expect(doc.targets[0]!.capacity).toBeNull();
    expect(doc.targets[0]!.bestPass).not.toBeNull();
    expect(doc.targets[0]!.probes.length).toBeGreaterThanOrEqual(1);
    expect(doc.targets[0]!.probes.length).toBeLessThanOrEqual(3);
    expect(run.stderr).toContain('stopped at --max-time');
  });

  it('Ctrl-C ends the running probe and reports what was probed (exit 130)', async () => {
    const out = join(dir.path, 'interrupted');
    let sent = false;
    const run = await runCli(['capacity', ROOT, '--target', large.url, '--from', '100/s', ...FAST, '--out', out], {
      timeoutMs: 40_000,
      onSpawn: (child) => {
        let seen = '';
        child.stderr!.on('data', (chunk: Buffer | string) => {
          seen += String(chunk);
          // After the second probe's line, interrupt the third probe midway.
          if (!sent && (seen.match(/probe \d+ ·/g) ?? []).length >= 2) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 700);
          }
        });
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    const doc = readJson<CapacityDocument>(join(out, 'capacity.json'));
    expect(doc.stopReason).toBe('interrupted');
    expect(doc.targets[0]!.probes).toHaveLength(2);
    expect(existsSync(join(out, 'capacity.html'))).toBe(true);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });
});
