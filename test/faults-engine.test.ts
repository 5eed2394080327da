// Hostile targets, in process: each fault of the loopback fault server is classified under its own
// named error kind, the open-model schedule keeps going through all of it, and nothing leaks.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import type { Summary } from '../src/metrics/aggregator.js';
import type { ErrorKind, Plan, RequestStep, Vars } from '../src/types.js';
import { open, simplePlan } from './helpers/plan.js';
import { refusedPort, startFaultServer, type Fault, type FaultServer } from './helpers/fault-server.js';

const RATE = 20;
const DURATION_MS = 400;
const ARRIVALS = (RATE * DURATION_MS) / 1000;
const TIMEOUT_MS = 300;

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer({ hugeBytes: 20 * 1024 * 1024, trickleEveryMs: 30 });
});
afterAll(async () => {
  await server.close();
});

function faultPlan(target: string, overrides: Partial<Plan> = {}): Plan {
  return simplePlan(target, [open(RATE, DURATION_MS)], { http: { timeoutMs: TIMEOUT_MS, maxInFlight: 1000, graphqlPath: '/graphql' }, ...overrides });
}

/** A step whose path is taken from the iteration's vars, so one run can hit several faults. */
function pathStep(readBody = false): RequestStep {
  return {
    kind: 'request',
    endpoint: 0,
    readBody,
    captures: false,
    render: (vars) => ({ method: 'GET', path: String(vars.path), headers: {} }),
    verify: (res) => (res.status < 400 ? null : { kind: 'status', check: 'status 2xx/3xx' }),
  };
}

async function runAgainst(path: string, target = server.url, overrides: Partial<Plan> = {}): Promise<{ summary: Summary; details: Record<string, string> }> {
  const plan = faultPlan(target, {
    flows: [{ name: 'fault', weight: 1, steps: [pathStep()] }],
    iterationVars: (_seq: number, shared: Vars) => Object.assign(Object.create(shared) as Vars, { path }),
    ...overrides,
  });
  const engine = new Engine(plan);
  const run = await engine.run();
  return { summary: engine.aggregator.summarize(run.durationMs), details: run.errorDetails };
}

const NAMED_KINDS: readonly ErrorKind[] = ['timeout', 'connect', 'reset', 'status', 'check', 'protocol'];

describe('each fault is classified under its own named kind, never "other"', () => {
  const cases: Array<{ fault: Fault; kind: ErrorKind; detail: RegExp }> = [
    { fault: 'reset', kind: 'reset', detail: /^connection reset/ },
    { fault: 'cut-headers', kind: 'protocol', detail: /response cut short/ },
    { fault: 'hang', kind: 'timeout', detail: /no complete response/ },
    { fault: 'garbage', kind: 'protocol', detail: /does not match the HTTP\/1\.1 protocol/ },
    { fault: 'short-body', kind: 'protocol', detail: /response cut short/ },
    { fault: 'trickle', kind: 'timeout', detail: new RegExp(`no complete response within ${TIMEOUT_MS} ms`) },
  ];
  for (const { fault, kind, detail } of cases) {
    it(`/${fault} → every arrival sent and counted as ${kind}`, async () => {
      const { summary, details } = await runAgainst(`/${fault}`);
      expect(summary.totals.requests).toBe(ARRIVALS);
      expect(summary.totals.dropped).toBe(0);
      expect(summary.totals.errorKinds).toEqual({ [kind]: ARRIVALS });
      expect(details[kind]).toMatch(detail);
      expect(server.hits(fault)).toBeGreaterThanOrEqual(ARRIVALS);
    });
  }

  it('/status-503 → status errors with the 503s counted', async () => {
    const { summary } = await runAgainst('/status-503');
    expect(summary.totals.errorKinds).toEqual({ status: ARRIVALS });
    expect(summary.totals.statusCodes).toEqual({ '503': ARRIVALS });
  });

  it('a refused port → connect errors, detail names the address', async () => {
    const port = await refusedPort();
    const { summary, details } = await runAgainst('/', `http://127.0.0.1:${port}`);
    expect(summary.totals.errorKinds).toEqual({ connect: ARRIVALS });
    expect(details.connect).toBe(`connection refused at 127.0.0.1:${port}`);
  });

  it('the total deadline cuts a trickling body that never goes idle (latency ≈ the timeout, not the body time)', async () => {
    const { summary } = await runAgainst('/trickle');
    expect(summary.totals.errorKinds.timeout).toBe(ARRIVALS);
    // The body would take ~30 s and undici's idle body timeout never fires: without the total deadline these
    // requests would still be running at the end and be aborted unrecorded, not counted as timeouts.
    expect(summary.totals.serviceTimeMs.min).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
  });
});

describe('well-formed but unkind responses are not errors', () => {
  it('/close: Connection: close on every response → no errors, a fresh connection each time', async () => {
    const before = server.connections();
    const { summary } = await runAgainst('/close');
    expect(summary.totals.errors).toBe(0);
    expect(summary.totals.statusCodes).toEqual({ '200': ARRIVALS });
    expect(server.connections() - before).toBe(ARRIVALS);
  });

  it('/huge: 20 MB bodies are consumed, not buffered', async () => {
    const plan = faultPlan(server.url, { phases: [open(200, 50)], http: { timeoutMs: 10_000, maxInFlight: 100, graphqlPath: '/graphql' } });
    plan.flows = [{ name: 'huge', weight: 1, steps: [pathStep(false)] }];
    plan.iterationVars = (_seq, shared) => Object.assign(Object.create(shared) as Vars, { path: '/huge' });
    const baseline = process.memoryUsage().arrayBuffers;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().arrayBuffers)), 5);
    const engine = new Engine(plan);
    const run = await engine.run();
    clearInterval(sampler);
    const summary = engine.aggregator.summarize(run.durationMs);
    expect(summary.totals.requests).toBe(10);
    expect(summary.totals.errors).toBe(0);
    expect(summary.totals.statusCodes).toEqual({ '200': 10 });
    // Ten 20 MB bodies in flight at once hold 160–240 MB when buffered (measured); streamed, about 35 MB.
    expect(peak - baseline).toBeLessThan(100 * 1024 * 1024);
  });
});

describe('a run through every fault at once', () => {
  const MIX: string[] = ['/ok', '/reset', '/hang', '/garbage', '/short-body', '/close', '/status-503', '/cut-headers', '/trickle'];

  it('keeps the open-model schedule: every arrival sent and counted under its kind', async () => {
    const rate = 45;
    const plan = simplePlan(server.url, [open(rate, 1000)], {
      http: { timeoutMs: TIMEOUT_MS, maxInFlight: 1000, graphqlPath: '/graphql' },
      flows: [{ name: 'mix', weight: 1, steps: [pathStep()] }],
      iterationVars: (seq: number, shared: Vars) => Object.assign(Object.create(shared) as Vars, { path: MIX[seq % MIX.length] }),
    });
    const engine = new Engine(plan);
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    const each = rate / MIX.length;
    expect(s.totals.requests).toBe(rate);
    expect(s.totals.dropped).toBe(0);
    expect(s.totals.errorKinds).toEqual({ reset: each, timeout: 2 * each, protocol: 3 * each, status: each });
    expect(s.totals.statusCodes['200']).toBeGreaterThanOrEqual(2 * each);
    for (const kind of Object.keys(s.totals.errorKinds)) expect(NAMED_KINDS).toContain(kind);
  });

  it('replaces a connection that dies mid-run and goes on: a GET reset on a reused connection is retried once on a fresh one, counted', async () => {
    const before = server.connections();
    const hitsBefore = server.hits('flaky');
    const plan = faultPlan(server.url, {
      phases: [open(40, 500)],
      http: { timeoutMs: 1000, maxInFlight: 1000, graphqlPath: '/graphql', connections: 2 },
      flows: [{ name: 'flaky', weight: 1, steps: [pathStep()] }],
      iterationVars: (_seq: number, shared: Vars) => Object.assign(Object.create(shared) as Vars, { path: '/flaky' }),
    });
    const engine = new Engine(plan);
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals.requests).toBe(20);
    // Every 4th request on a connection is reset before any response byte: on a reused connection, so
    // each is sent once more on a fresh one (as browsers and undici do) — counted, never hidden.
    const resets = server.hits('flaky') - hitsBefore - 20; // the server's own count of requests it reset
    expect(resets).toBeGreaterThanOrEqual(3);
    expect(run.http?.retries).toBe(resets);
    expect(s.totals.errors).toBe(0);
    expect(s.totals.statusCodes['200']).toBe(20);
    expect(server.connections() - before).toBeGreaterThanOrEqual(4);
  });

  it('a POST reset on a reused connection is not retried (not idempotent): counted as reset', async () => {
    const hitsBefore = server.hits('flaky');
    const plan = faultPlan(server.url, {
      phases: [open(40, 500)],
      http: { timeoutMs: 1000, maxInFlight: 1000, graphqlPath: '/graphql', connections: 2 },
      flows: [{ name: 'flaky', weight: 1, steps: [{ ...pathStep(), render: () => ({ method: 'POST', path: '/flaky', headers: {}, body: 'x' }) }] }],
    });
    const engine = new Engine(plan);
    const run = await engine.run();
    const s = engine.aggregator.summarize(run.durationMs);
    expect(s.totals.requests).toBe(20);
    expect(server.hits('flaky') - hitsBefore).toBe(20);
    expect(s.totals.errorKinds.reset ?? 0).toBeGreaterThanOrEqual(3);
    expect(run.http?.retries).toBe(0);
    expect(s.totals.requests - s.totals.errors).toBe(s.totals.statusCodes['200']);
  });
});

describe('resources', () => {
  it('releases every file descriptor after a run against hanging, resetting and trickling targets', async () => {
    const fdCount = (): number => readdirSync('/proc/self/fd').length;
    await settle(() => server.openSockets() === 0);
    const before = fdCount();
    for (const path of ['/hang', '/reset', '/trickle', '/ok']) await runAgainst(path);
    // The server's half of each connection lives in this process too: wait for it to see the close.
    await settle(() => server.openSockets() === 0);
    expect(server.openSockets()).toBe(0);
    expect(fdCount()).toBeLessThanOrEqual(before);
  });
});

/** Polls `done` for up to 2 s: closes travel through the event loop, not instantly. */
async function settle(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !done(); i++) await new Promise((r) => setTimeout(r, 20));
}
