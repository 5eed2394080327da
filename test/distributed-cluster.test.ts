// Issue 17 acceptance: a simulated Kubernetes Indexed Job. Each "pod" is a local process running the
// Job's container command with its env (JOB_COMPLETION_INDEX, BENCH_RUN_ID), exactly as the manifest
// says, with the image's paths mapped to this checkout and the headless Service's name to 127.0.0.1
// (what cluster DNS would do). Their stdout+stderr go to one file per pod: the pod log. `bench collect`
// reads those through a fake kubectl that cats them. Every figure is checked against the server's count.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Job } from 'kubernetes-types/batch/v1.js';
import { k8sManifests } from '../src/k8s/manifest.js';
import { BENCH_BIN, ensureBuilt, readJson, runCli, tempDir } from './helpers/cli.js';
import { startServer, type TestServer } from './helpers/servers.js';
import type { RunResult } from '../src/types.js';

const JOB = 'bench-dist';
const N = 4;
const RATE = 200;

/** Arrivals the server saw, per segment (the x-seg header carries the pod's index). */
interface Seen {
  times: Map<string, number[]>;
}

async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

interface Pod {
  index: number;
  child: ChildProcess;
  log: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The manifest's Job, and a way to start pod i as a cluster would. */
function cluster(dir: string, scenarioText: string, port: number, seconds: number): { startPod(index: number): Pod; job: Job } {
  writeFileSync(join(dir, 'scenario.yml'), scenarioText);
  const text = k8sManifests({ scenarioFile: 'scenario.yml', scenarioText, dataFiles: [], parallelism: N, image: 'slo-bench:latest', name: JOB, planSeconds: seconds, requestTimeoutSeconds: 5, coordinatorPort: port, barrierTimeoutSeconds: 30 });
  const job = (parseAllDocuments(text) as Array<{ toJS(): unknown }>).map((d) => d.toJS() as { kind: string }).find((d) => d.kind === 'Job') as unknown as Job;
  const container = job.spec!.template.spec!.containers[0]!;
  // The image's paths to this checkout and the temp dir (one rule per argument, the first that matches).
  const mapPath = (arg: string): string => {
    if (arg === '/app/bin/bench.js') return BENCH_BIN;
    if (arg.startsWith('/scenario/')) return join(dir, arg.slice('/scenario/'.length));
    if (arg === '/tmp' || arg.startsWith('/tmp/')) return join(dir, 'tmp', arg.slice('/tmp'.length));
    // cluster DNS: <job>-0.<service> is pod 0; here every pod is on 127.0.0.1
    return arg.replace(`${JOB}-0.${JOB}:`, '127.0.0.1:');
  };
  return {
    job,
    startPod(index: number): Pod {
      // The kubelet expands $(VAR) in args from the container's env; fieldRefs are filled from the pod.
      const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: dir };
      for (const e of container.env ?? []) {
        if (e.name === 'JOB_COMPLETION_INDEX') env[e.name] = String(index);
        else if (e.name === 'BENCH_RUN_ID') env[e.name] = 'job-uid-1234';
        else if (e.value !== undefined) env[e.name] = mapPath(e.value);
      }
      const args = (container.args ?? []).map((a) => mapPath(a.replaceAll('$(JOB_COMPLETION_INDEX)', String(index))));
      const [command, ...commandArgs] = container.command!;
      expect(command).toBe('node');
      const log = join(dir, `segment-${index}.log`);
      const fd = openSync(log, 'a');
      const child = spawn(process.execPath, [...commandArgs.map(mapPath), ...args], { env, cwd: dir, stdio: ['ignore', fd, fd] });
      closeSync(fd);
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      return { index, child, log, exit };
    },
  };
}

function fakeKubectl(dir: string): string {
  const path = join(dir, 'kubectl');
  writeFileSync(
    path,
    [
      '#!/bin/sh',
      '# a stand-in for kubectl: the Job has N completions; a pod log is the file the simulated pod wrote',
      'case "$*" in',
      `  *"get job/${JOB}"*) echo ${N} ;;`,
      `  *logs*) i=$(echo "$*" | sed -n 's/.*job-completion-index=\\([0-9]*\\).*/\\1/p'); cat "${dir}/segment-$i.log" ;;`,
      '  *) echo "unexpected: $*" >&2; exit 1 ;;',
      'esac',
      '',
    ].join('\n'),
  );
  chmodSync(path, 0o755);
  return path;
}

const scenario = (target: string, seconds: number): string =>
  [
    'name: dist',
    `target: ${target}`,
    'load:',
    `  - { duration: ${seconds}s, rate: ${RATE}/s }`,
    'flows:',
    '  - name: main',
    '    steps:',
    '      - name: root',
    '        get: /',
    '        headers: { x-seg: "${JOB_COMPLETION_INDEX}" }',
    'slo:',
    '  - error_rate < 1%',
    `  - rps >= ${RATE * 0.99}`,
    '',
  ].join('\n');

describe('a simulated Indexed Job (issue 17 acceptance)', () => {
  let server: TestServer;
  const seen: Seen = { times: new Map() };
  const pods: Pod[] = [];
  beforeAll(async () => {
    await ensureBuilt();
    server = await startServer((req, res) => {
      const seg = String(req.headers['x-seg']);
      const list = seen.times.get(seg) ?? [];
      list.push(Date.now());
      seen.times.set(seg, list);
      res.end('ok');
    });
  });
  afterAll(async () => {
    for (const pod of pods) if (pod.child.exitCode === null && pod.child.signalCode === null && pod.child.pid) process.kill(pod.child.pid, 'SIGKILL');
    await server.close();
  });

  it('four pods, one 5 s late, start their load within 100 ms of each other; the merged rate is the plan', async () => {
    seen.times.clear();
    const dir = tempDir('bench-cluster-');
    try {
      const seconds = 3;
      const sim = cluster(dir.path, scenario(server.url, seconds), await freePort(), seconds);
      for (let i = 0; i < N - 1; i++) pods.push(sim.startPod(i));
      await new Promise((r) => setTimeout(r, 5000)); // pod 3 is scheduled late (a slow image pull)
      pods.push(sim.startPod(N - 1));
      const exits = await Promise.all(pods.slice(-N).map((p) => p.exit));
      const logs = pods.slice(-N).map((p) => readFileSync(p.log, 'utf8'));
      for (const [i, e] of exits.entries()) expect(e.code, logs[i]).toBe(0);

      // The server's own clock: the first request of each segment.
      const firsts = Array.from({ length: N }, (_, i) => Math.min(...(seen.times.get(String(i)) ?? [Number.NaN])));
      const spread = Math.max(...firsts) - Math.min(...firsts);
      console.log(`first arrivals per segment (ms after the earliest): ${firsts.map((t) => t - Math.min(...firsts)).join(', ')}`);
      expect(spread).toBeLessThanOrEqual(100);
      // Nobody started before the late pod arrived: every first request is after pod 3 was started.
      const total = [...seen.times.values()].reduce((n, l) => n + l.length, 0);
      expect(total).toBe(RATE * seconds);

      // bench collect through kubectl: every segment's framed result, merged.
      const out = join(dir.path, 'merged');
      const collected = await runCli(['collect', `job/${JOB}`, '--kubectl', fakeKubectl(dir.path), '--out', out, '--quiet'], { timeoutMs: 30_000 });
      expect(collected.code, collected.stderr).toBe(0);
      const merged = readJson<RunResult>(join(out, 'result.json'));
      expect(merged.totals.requests).toBe(total);
      expect(merged.durationMs).toBe(seconds * 1000);
      expect(merged.totals.rps).toBe(RATE);
      expect(merged.runId).toBe('job-uid-1234');
      expect(merged.partial).toBeUndefined();
      expect(merged.slo.find((s) => s.metric === 'rps')).toMatchObject({ pass: true, actual: RATE });
      // bench merge reads the same logs
      const viaMerge = await runCli(['merge', ...pods.slice(-N).map((p) => p.log), '--out', join(dir.path, 'm2'), '--quiet'], { timeoutMs: 30_000 });
      expect(viaMerge.code, viaMerge.stderr).toBe(0);
      expect(readJson<RunResult>(join(dir.path, 'm2', 'result.json')).totals.requests).toBe(total);
      // 3 of 4: refused, naming the missing one
      const three = await runCli(['merge', ...pods.slice(-N, -1).map((p) => p.log), '--out', join(dir.path, 'm3'), '--quiet'], { timeoutMs: 30_000 });
      expect(three.code).toBe(2);
      expect(three.stderr.trim()).toMatch(/^bench: segment 3\/4 is missing \(3 of 4 given\)/);
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('a pod killed with SIGKILL mid-run: collect names it; with --allow-partial it merges what the pod flushed', async () => {
    seen.times.clear();
    const dir = tempDir('bench-cluster-');
    try {
      const seconds = 6;
      const sim = cluster(dir.path, scenario(server.url, seconds), await freePort(), seconds);
      const started = Array.from({ length: N }, (_, i) => sim.startPod(i));
      pods.push(...started);
      const victim = started[2]!;
      // Kill it once it has flushed two seconds (counted in its log, not timed).
      const deadline = Date.now() + 30_000;
      while ((readFileSync(victim.log, 'utf8').match(/-----END BENCH INTERVAL-----/g) ?? []).length < 2) {
        if (Date.now() > deadline) throw new Error(`segment 2 never flushed: ${readFileSync(victim.log, 'utf8')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      process.kill(victim.child.pid!, 'SIGKILL');
      const exits = await Promise.all(started.map((p) => p.exit));
      expect(exits[2]!.signal).toBe('SIGKILL');
      for (const i of [0, 1, 3]) expect(exits[i]!.code, readFileSync(started[i]!.log, 'utf8')).toBe(0);
      const kubectl = fakeKubectl(dir.path);

      const strict = await runCli(['collect', `job/${JOB}`, '--kubectl', kubectl, '--out', join(dir.path, 'strict'), '--quiet'], { timeoutMs: 30_000 });
      expect(strict.code).toBe(2);
      expect(strict.stderr).toMatch(/^bench: segment 2\/4 \(.*segment-2\.log\) is incomplete: its log ends after \d+ s of 6 s without a result/m);

      const out = join(dir.path, 'partial');
      const partial = await runCli(['collect', `job/${JOB}`, '--kubectl', kubectl, '--out', out, '--allow-partial', '--quiet'], { timeoutMs: 30_000 });
      expect([0, 1]).toContain(partial.code);
      expect(partial.stderr).toMatch(/partial: 3 of 4 segments \(segment 2\/4 incomplete: /);
      const merged = readJson<RunResult>(join(out, 'result.json'));
      expect(merged.partial).toMatchObject({ segments: 3, of: 4, missing: [] });
      expect(merged.slo.find((s) => s.metric === 'rps')).toMatchObject({ deferred: true, notJudged: 'partial: 3 of 4 segments' });
      for (const file of ['summary.md', 'report.html']) {
        if (existsSync(join(out, file))) expect(readFileSync(join(out, file), 'utf8')).toContain('partial: 3 of 4 segments');
      }
      // Against the server: the complete segments exactly; the killed one, what it flushed (whole seconds).
      const complete = [0, 1, 3].reduce((n, i) => n + (seen.times.get(String(i))?.length ?? 0), 0);
      expect(complete).toBe((RATE * seconds * 3) / 4);
      const killedSeen = seen.times.get('2')?.length ?? 0;
      const flushed = merged.totals.requests - complete;
      const flushedSeconds = Number(/after (\d+) s of/.exec(merged.partial!.incomplete[0]!.reason)![1]);
      expect(flushedSeconds).toBeGreaterThanOrEqual(2);
      console.log(`killed segment: the server saw ${killedSeen} of its requests, its log kept ${flushed} (${flushedSeconds} whole seconds)`);
      expect(flushed).toBeGreaterThan(0);
      expect(flushed).toBeLessThanOrEqual(killedSeen);
      // each flushed second holds that second's arrivals of this segment: RATE / N per second (±1 at the edges)
      expect(Math.abs(flushed - (flushedSeconds * RATE) / N)).toBeLessThanOrEqual(2);
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('an --out collect cannot write to is one line naming the file and why, exit 3 — not an internal error', async () => {
    await ensureBuilt();
    const dir = tempDir('bench-cluster-');
    try {
      writeFileSync(join(dir.path, 'segment-0.log'), 'a pod log\n');
      const blocker = join(dir.path, 'a-file');
      writeFileSync(blocker, 'a file, not a folder\n');
      const run = await runCli(['collect', `job/${JOB}`, '--kubectl', fakeKubectl(dir.path), '--out', join(blocker, 'out'), '--quiet'], { timeoutMs: 30_000 });
      expect(run.code).toBe(3);
      expect(run.stderr.trim()).toMatch(/^bench: could not write .*a-file\/out\/segment-0\.log: .*\((EEXIST|ENOTDIR)\)$/);
      expect(run.stderr).not.toMatch(/internal error/);
    } finally {
      dir.remove();
    }
  });
});
