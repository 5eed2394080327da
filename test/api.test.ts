// The programmatic API as a user gets it: the BUILT package imported by its own name (a symlinked
// node_modules/slo-bench, resolved through package.json "exports"), in a separate Node process, running
// scenarios against a loopback server; an AbortSignal stops a run with results.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, REPO_ROOT, runNode, tempDir } from './helpers/cli.js';

let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  await ensureBuilt();
  dir = tempDir('bench-api-');
  mkdirSync(join(dir.path, 'node_modules'));
  symlinkSync(REPO_ROOT, join(dir.path, 'node_modules', 'slo-bench'), 'dir');
});
afterAll(() => dir?.remove());

const SCRIPT = `
import http from 'node:http';
import { run, loadScenario, compare, merge, VERSION } from 'slo-bench';
let served = 0;
const server = http.createServer((req, res) => { served++; setTimeout(() => res.end('ok'), 2); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const target = 'http://127.0.0.1:' + server.address().port;
const scenario = { name: 'api', target, load: [{ duration: '1s', rate: 50 }], flows: [{ name: 'f', steps: [{ get: '/x' }] }] };
const out = {};
out.version = VERSION;
const plan = await loadScenario(scenario);
out.planEndpoints = plan.endpoints;
const full = await run(scenario, { quiet: true });
out.full = { requests: full.totals.requests, served, stopReason: full.stopReason ?? null, schemaVersion: full.schemaVersion };
const before = served;
const controller = new AbortController();
const progress = [];
setTimeout(() => controller.abort(), 1500);
const stopped = await run(scenario, { duration: '30s', rate: 40, signal: controller.signal, onProgress: (p) => progress.push(p), quiet: true, out: process.argv[2] });
out.stopped = { requests: stopped.totals.requests, served: served - before, stopReason: stopped.stopReason, durationMs: stopped.durationMs, progressCalls: progress.length, lastProgress: progress.at(-1) };
const cmp = compare(full, full);
out.compare = { regressed: cmp.overall.regressed };
try { merge([full, full]); out.merge = 'accepted'; } catch (e) { out.merge = e.name + ': ' + e.message; }
try { await run({ name: 'bad' }, { quiet: true }); out.invalid = 'accepted'; } catch (e) { out.invalid = e.name; }
const beforeTagged = served;
const tagged = await run({ ...scenario, load: [{ iterations: 5, vus: 1 }] }, { quiet: true, tags: { env: 'staging' } });
out.tagged = { tags: tagged.endpoints.map((e) => e.tags ?? null), requests: tagged.totals.requests, served: served - beforeTagged };
try { await run(scenario, { quiet: true, tags: { 'a=b': 'x' } }); out.badTag = 'accepted'; } catch (e) { out.badTag = e.name + ': ' + e.message; }
server.close();
process.stdout.write(JSON.stringify(out));
`;

describe('programmatic API (built package)', () => {
  it('runs a scenario object, stops on an AbortSignal with results, never exits the process', async () => {
    const script = join(dir.path, 'use.mjs');
    writeFileSync(script, SCRIPT);
    const reports = join(dir.path, 'reports');
    const r = await runNode([script, reports], { cwd: dir.path, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version);
    expect(out.planEndpoints).toEqual(['GET /x']);
    expect(out.full).toEqual({ requests: 50, served: 50, stopReason: null, schemaVersion: 1 });
    // Stopped after ~1.5 s of a 30 s run: results still come, counted against the server.
    expect(out.stopped.stopReason).toBe('interrupted');
    expect(out.stopped.requests).toBe(out.stopped.served);
    expect(out.stopped.requests).toBeGreaterThan(0);
    expect(out.stopped.requests).toBeLessThan(40 * 30);
    expect(out.stopped.progressCalls).toBeGreaterThanOrEqual(1);
    expect(out.stopped.lastProgress).toMatchObject({ totalMs: 30_000 });
    expect(out.stopped.lastProgress.requests).toBeLessThanOrEqual(out.stopped.requests);
    // `out` writes the reports like the CLI does
    expect(JSON.parse(readFileSync(join(reports, 'result.json'), 'utf8')).stopReason).toBe('interrupted');
    expect(out.compare).toEqual({ regressed: false });
    expect(out.merge).toMatch(/^UsageError/); // the same result twice is not two segments
    expect(out.invalid).toBe('ScenarioError');
    // tags: as --tag on the command line, on every endpoint
    expect(out.tagged).toEqual({ tags: [{ env: 'staging' }], requests: 5, served: 5 });
    expect(out.badTag).toMatch(/^UsageError: tags: "a=b"/);
  }, 90_000);

  it('leaves nothing running once a run resolves: an iterations phase that ends early cancels its phase timer', async () => {
    // A closed phase of 3 iterations ends long before its default 10-minute duration. Its end-of-phase timer
    // stayed armed, so a script using run() could not exit for 10 minutes (the CLI hid it behind its own
    // 1.5 s exit deadline). Read as the process's own list of pending handles, not as a time.
    const script = join(dir.path, 'pending.mjs');
    writeFileSync(
      script,
      `import http from 'node:http';
import { run } from 'slo-bench';
let served = 0;
const server = http.createServer((req, res) => { served++; res.end('ok'); });
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const target = 'http://127.0.0.1:' + server.address().port;
const out = {};
for (const load of [{ iterations: 3, vus: 1 }, { iterations: 4, vus: 2, perVu: true, maxDuration: '5m' }, { duration: '300ms', rate: 20 }]) {
  const result = await run({ name: 'pending', target, load: [load], flows: [{ name: 'f', steps: [{ get: '/' }] }] }, { quiet: true });
  out[JSON.stringify(load)] = { requests: result.totals.requests };
}
out.served = served;
// timers only: the test server's own sockets close on their own schedule
out.pending = process.getActiveResourcesInfo().filter((k) => k === 'Timeout' || k === 'Immediate');
process.stdout.write(JSON.stringify(out), () => process.exit(0));
`,
    );
    const r = await runNode([script], { cwd: dir.path, timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pending).toEqual([]);
    expect(out['{"iterations":3,"vus":1}']).toEqual({ requests: 3 });
    expect(out['{"iterations":4,"vus":2,"perVu":true,"maxDuration":"5m"}']).toEqual({ requests: 8 });
    expect(out.served).toBe(3 + 8 + out['{"duration":"300ms","rate":20}'].requests);
  }, 90_000);

  it('ships its types: a TypeScript consumer of the package by name type-checks, and a wrong option does not', async () => {
    const consumer = join(dir.path, 'consumer.ts');
    writeFileSync(
      consumer,
      [
        "import { run, loadScenario, compare, merge, type RunResult, type RunOptions } from 'slo-bench';",
        "const options: RunOptions = { rate: 5, duration: '2s', quiet: true, signal: new AbortController().signal, onProgress: (p) => p.requests + p.inFlight, tags: { env: 'ci' } };",
        "export const a: Promise<RunResult> = run('scenario.yml', options);",
        "export const b = loadScenario({ name: 'x' }).then((plan) => plan.endpoints.length);",
        "export const c = (x: RunResult): boolean => compare(x, x).overall.regressed && merge([x]).pass;",
        "// @ts-expect-error vus is a number or a string",
        "run('s.yml', { vus: true });",
        '',
      ].join('\n'),
    );
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = await runNode([tsc, '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(REPO_ROOT, 'node_modules', '@types'), consumer], { cwd: dir.path, timeoutMs: 60_000 });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 90_000);
});
