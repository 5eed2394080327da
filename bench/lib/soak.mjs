// Test 6: the soak. bench's in-process Engine runs the open model at thousands of requests/s for
// minutes in a child process of its own (so its memory and its handles are its own), sampling RSS and
// heap as it goes; after the run and the engine's close, open file descriptors and Node's active
// resources are compared with the baseline taken before the engine existed. A leaked socket shows as an
// extra TCPSocketWrap, a leaked timer as an extra Timeout, a leaked fd as a higher /proc/self/fd count.
//
// This file is both the suite's test (soakTest, run by bench/run.mjs) and the child's entry:
//   node bench/lib/soak.mjs --child <distDir> <target> <rate> <seconds> <sampleSeconds>
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measured, startHelper, stopChild } from './proc.mjs';
import { fmt, int, pct, table } from './stats.mjs';

const MB = 1024 * 1024;
const SELF = new URL(import.meta.url).pathname;

// ───────────────────────────── pure helpers (unit-tested) ─────────────────────────────

/** ['Timeout', 'PipeWrap', 'Timeout'] → { PipeWrap: 1, Timeout: 2 } */
export function countByType(resources) {
  const counts = {};
  for (const type of resources) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Resource types with more instances after than before, and how many more: the suspected leaks. */
export function extraResources(before, after) {
  const extra = {};
  for (const [type, n] of Object.entries(after)) {
    const more = n - (before[type] ?? 0);
    if (more > 0) extra[type] = more;
  }
  return extra;
}

/** Relative change of `key` from the first to the last full-load sample (NaN with fewer than two). */
export function memoryChange(samples, key) {
  if (samples.length < 2) return NaN;
  return samples[samples.length - 1][key] / samples[0][key] - 1;
}

/** The soak's verdict: memory flat within `maxRssGrowth`, fds back to the baseline, no extra resources. */
export function soakVerdict(report, { maxRssGrowth = 0.1 } = {}) {
  const rssGrowth = memoryChange(report.samples, 'rssMb');
  const heapGrowth = memoryChange(report.samples, 'heapUsedMb');
  // fds are closed synchronously by a socket's destroy, so they must be back even at close.
  const fdsBack = Math.max(report.after.fds, report.afterClose?.fds ?? 0) <= report.before.fds;
  const extra = extraResources(report.before.resources, report.after.resources);
  const noExtra = Object.keys(extra).length === 0;
  const flat = Number.isFinite(rssGrowth) && rssGrowth <= maxRssGrowth;
  return { rssGrowth, heapGrowth, fdsBack, extra, noExtra, flat, met: flat && fdsBack && noExtra };
}

const describeCounts = (counts) =>
  Object.keys(counts).length === 0
    ? 'none'
    : Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([type, n]) => `${type} ×${n}`)
        .join(', ');

/** The "6. Soak" section of RESULTS.md. */
export function soakMarkdown(report, { rate, seconds, targetName, cpuSec, maxRssMb, maxRssGrowth = 0.1 }) {
  const v = soakVerdict(report, { maxRssGrowth });
  const memRow = (label, s) => [label, int(s.atS), fmt(s.rssMb, 1), fmt(s.heapUsedMb, 1)];
  const memory = [
    memRow('before the run (after warm-up)', { ...report.before, atS: 0 }),
    ...report.samples.map((s, i) => memRow(`load ${i + 1}`, s)),
    memRow('after close', report.after),
    memRow('after 1 s idle', report.settled),
    memRow('after 1 s idle + full GC', report.collected),
  ];
  const points = [report.beforeWarmup, report.before, report.afterClose, report.after, report.settled];
  const types = [...new Set(points.flatMap((p) => Object.keys(p.resources)))].sort();
  const resources = [
    ['open file descriptors (/proc/self/fd)', ...points.map((p) => p.fds)],
    ...types.map((type) => [`active: ${type}`, ...points.map((p) => p.resources[type] ?? 0)]),
  ];
  const t = report.totals;
  return [
    `### 6. Soak — open model, ${int(rate)}/s for ${seconds} s against ${targetName}, in-process Engine in its own process`,
    '',
    table(['sample', 'at s', 'RSS MB', 'heap used MB'], memory),
    '',
    table(['resource', 'before warm-up', 'before the run', 'at close', 'after close (next loop turn)', 'after 1 s idle'], resources),
    '',
    `- ${int(t.requests)} requests, ${int(t.errors)} errors, ${int(t.dropped)} dropped, ${fmt(t.rps, 1)} req/s over ${fmt(report.durationMs / 1000, 1)} s; process CPU ${fmt(cpuSec, 1)} s, peak RSS ${fmt(maxRssMb, 1)} MB (GNU time).`,
    `- RSS last vs first full-load sample: ${pct(v.rssGrowth)} (target ≤ +${fmt(maxRssGrowth * 100, 0)}%: **${v.flat ? 'met' : 'NOT met'}**); heap used: ${pct(v.heapGrowth)} (between two points of the GC sawtooth); heap still live after a full GC: ${fmt(report.collected.heapUsedMb, 1)} MB after the run vs ${fmt(report.before.heapUsedMb, 1)} MB before (${pct(report.collected.heapUsedMb / report.before.heapUsedMb - 1)}).`,
    `- File descriptors after close: ${report.after.fds} vs ${report.before.fds} before (**${v.fdsBack ? 'back to the baseline' : 'NOT released'}**); extra active resources after close: **${describeCounts(v.extra)}**.`,
    '- Columns: "before the run" is after a 1-s warm-up run in the same process (so what a process opens once, e.g. libuv\'s reserve fd on /dev/null, is in the baseline); "at close" is read as soon as `await engine.run()` returns (it ends with the client\'s close); "after close" one event-loop turn later, when libuv\'s close callbacks for the destroyed sockets have run. The verdict compares "before the run" with "after close".',
    `- Target (memory flat, fds released, nothing leaked): **${v.met ? 'met' : 'NOT met'}**.`,
  ].join('\n');
}

// ───────────────────────────── the suite's side ─────────────────────────────

/** The soak against nginx, or (without nginx) against a minimal Node server in another process. */
export async function soakTest({ cli, nginx, seconds, rate = 3000, sampleSeconds = 10 }) {
  const server = nginx ? null : await startHelper(['env', 'STALL_MS=0', 'node', join(dirname(SELF), 'stall-server.mjs')], { core: 0 });
  const target = nginx ? nginx.url : `http://127.0.0.1:${server.info.port}`;
  const targetName = nginx ? 'nginx' : 'a minimal Node server (nginx unavailable)';
  try {
    process.stderr.write(`soak: ${seconds} s at ${rate}/s …\n`);
    const distDir = join(dirname(cli), '..', 'dist'); // <build>/bin/bench.js
    const r = await measured(['node', '--expose-gc', SELF, '--child', distDir, target, String(rate), String(seconds), String(sampleSeconds)]);
    if (r.code !== 0 || !r.stdout.trim().startsWith('{')) throw new Error(`soak child failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    const report = JSON.parse(r.stdout);
    const markdown = soakMarkdown(report, { rate, seconds, targetName, cpuSec: r.cpuSec, maxRssMb: r.maxRssMb });
    return { markdown, report, verdict: soakVerdict(report) };
  } finally {
    await stopChild(server?.child);
  }
}

// ───────────────────────────── the child's side ─────────────────────────────

function snapshotResources() {
  const m = process.memoryUsage();
  return {
    fds: readdirSync('/proc/self/fd').length,
    resources: countByType(process.getActiveResourcesInfo()),
    rssMb: m.rss / MB,
    heapUsedMb: m.heapUsed / MB,
  };
}

function soakPlan(target, rate, seconds) {
  const step = {
    kind: 'request',
    endpoint: 0,
    readBody: false,
    render: () => ({ method: 'GET', path: '/', headers: {} }),
    verify: (res) => (res.status < 400 ? null : { kind: 'status', check: 'status 2xx/3xx' }),
  };
  return {
    name: 'soak',
    file: '',
    target,
    http: { timeoutMs: 5000, maxInFlight: 10_000, graphqlPath: '/graphql' },
    phases: [{ kind: 'open', rate, rampTo: rate, durationMs: seconds * 1000 }],
    flows: [{ name: 'get', weight: 1, steps: [step] }],
    endpoints: ['GET /'],
    setup: [],
    slo: [],
    sloDefaults: false,
    iterationVars: (_seq, shared) => Object.create(shared),
    secrets: [],
  };
}

const nextLoopTurn = () => new Promise((resolve) => setTimeout(resolve, 0));

async function child([distDir, target, rateText, secondsText, sampleText]) {
  // The process as the CLI sets it up (bin/bench.js), then the engine.
  const { keepYoungGenerationSmall } = await import(pathToFileURL(join(distDir, 'engine/young-generation.js')).href);
  keepYoungGenerationSmall();
  const { Engine } = await import(pathToFileURL(join(distDir, 'engine/engine.js')).href);
  const [rate, seconds, sampleSeconds] = [Number(rateText), Number(secondsText), Number(sampleText)];
  // stdout/stderr handles are created on first use: touch both so they are part of the baseline.
  process.stderr.write(`soak child: ${rate}/s for ${seconds} s\n`);
  process.stdout.write('');
  await nextLoopTurn();
  const beforeWarmup = snapshotResources();
  // A 1-s warm-up run first: what is opened once per process (libuv's reserve fd on /dev/null, lazily
  // loaded modules) then belongs to the baseline, and only what grows with the run counts as a leak.
  await new Engine(soakPlan(target, rate, 1)).run();
  await nextLoopTurn();
  // Started with --expose-gc: heap figures before and after the run are of live objects only.
  globalThis.gc?.();
  const before = snapshotResources();
  const engine = new Engine(soakPlan(target, rate, seconds));
  const started = performance.now();
  const atS = () => Math.round((performance.now() - started) / 1000);
  const samples = [];
  const sampler = setInterval(() => {
    const { rssMb, heapUsedMb } = snapshotResources();
    samples.push({ atS: atS(), rssMb, heapUsedMb });
  }, sampleSeconds * 1000);
  const result = await engine.run(); // run() ends with the client's close
  clearInterval(sampler);
  // Right after close, destroyed sockets are still "closing" handles until libuv's close callbacks
  // run later in the same loop turn (their fds are already closed); the verdict looks one turn later.
  const afterClose = { ...snapshotResources(), atS: atS() };
  await nextLoopTurn();
  const after = { ...snapshotResources(), atS: atS() };
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const settled = { ...snapshotResources(), atS: atS() };
  globalThis.gc?.();
  const collected = { ...snapshotResources(), atS: atS() };
  const { totals } = engine.aggregator.summarize(result.durationMs);
  // A sample taken while the run was draining is not full load.
  const loadSamples = samples.filter((s) => s.atS <= seconds);
  const report = {
    durationMs: result.durationMs,
    totals: { requests: totals.requests, errors: totals.errors, dropped: totals.dropped, rps: totals.rps },
    samples: loadSamples,
    beforeWarmup,
    before,
    afterClose,
    after,
    settled,
    collected,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

if (process.argv[2] === '--child' && process.argv[1] === SELF) {
  child(process.argv.slice(3)).catch((err) => {
    process.stderr.write(`soak child: ${err.message}\n`);
    process.exitCode = 1;
  });
}
