// Runs a plan in this thread or across worker threads and returns the merged figures.
// Both paths feed one Aggregator through the same interval fold, so one thread and N give one result.
import { mergeFacts } from './http-facts.js';
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { youngGenerationKeptSmall } from './young-generation.js';
import { RunError } from '../errors.js';
import type { AbortJudge, Plan, SloSpec, Vars } from '../types.js';
import type { LoadOverrides } from '../scenario/overrides.js';
import { Aggregator, destroyInterval, type EncodedInterval, type Interval, type Summary } from '../metrics/aggregator.js';
import type { Histogram } from '../metrics/histogram.js';
import { Engine, epochNow, type EngineResult, type Progress, type StopReason } from './engine.js';
import { warmUpMetrics } from './warm-up.js';
import { mergeSamples } from './failure-samples.js';
import { NotReadyError, StartBarrier, type StartMessage } from './barrier.js';

export interface LiveView {
  progress(): Progress;
  totals(): { requests: number; errors: number; dropped: number };
  lastSecond(): { requests: number; p95Ms: number };
}

export interface Execution {
  /** becomes available once the run started; used by the progress line */
  view: LiveView;
  stop(reason: StopReason): void;
  /** one listener for every interval the run folds in (src/stream); null removes it */
  observe(listener: ((interval: Interval<Histogram>) => void) | null): void;
  done: Promise<{ summary: Summary; engine: EngineResult; abortedBy?: SloSpec }>;
}

/** What a worker thread needs to rebuild its part of the plan (plans hold closures, so they do not cross threads). */
export interface WorkerJob {
  file: string;
  env: Record<string, string | undefined>;
  overrides: LoadOverrides;
  segment: { index: number; count: number };
  /** the young generation is kept small in this process (young-generation.ts): the worker does so too */
  smallYoung?: boolean;
}

/** A run across worker threads: what each worker rebuilds its plan from, and the fixed start (--start-at), if any. */
export interface WorkersJob extends Omit<WorkerJob, 'segment'> {
  segment?: { index: number; count: number };
  startAt?: number;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'interval'; interval: EncodedInterval }
  | { type: 'progress'; inFlight: number }
  | { type: 'done'; result: EngineResult }
  | { type: 'error'; message: string; runError: boolean };

/**
 * A start decided outside this process (a rendezvous of segments, src/distributed): called once this
 * process is ready to send; resolves with the start (epoch ms). Stopping before it resolves calls cancel.
 */
export interface StartGate {
  wait(): Promise<number>;
  cancel(): void;
}

export interface ExecuteOptions {
  /** judges abortOnFail SLOs from each finalised second (src/slo/abort.ts); none: nothing to judge */
  abort?: AbortJudge;
  /**
   * Seconds before this one are run but not measured (a warm-up, e.g. `bench capacity`'s probes):
   * their intervals are discarded instead of folded into the figures. Default 0: every second counts.
   */
  measureFromSecond?: number;
  /** a start decided outside this process (a rendezvous of segments) */
  gate?: StartGate;
}

export function executeInProcess(plan: Plan, startAt?: number, options: ExecuteOptions = {}): Execution {
  const { abort, gate } = options;
  let abortedBy: SloSpec | undefined;
  const skip = options.measureFromSecond ?? 0;
  const engine: Engine = new Engine(plan, {
    startAt,
    onInterval: skip > 0 ? (interval) => (interval.second < skip ? destroyInterval(interval, engine.aggregator.pool) : engine.aggregator.absorb(interval)) : undefined,
    onSecond: () => {
      const failing = abort?.failing() ?? null;
      if (!failing) return null;
      abortedBy = failing;
      return 'slo-abort';
    },
  });
  const agg = engine.aggregator;
  if (abort) agg.onSecond = (point, latency) => abort.addSecond(point, latency);
  let stoppedEarly = false;
  const done = (async () => {
    await engine.setup();
    const at = gate && !stoppedEarly ? await gate.wait() : undefined;
    const result = await engine.run(at);
    return { summary: agg.summarize(result.durationMs), engine: result, abortedBy };
  })();
  return {
    view: {
      progress: () => engine.progress(),
      totals: () => agg.counters(),
      lastSecond: () => agg.lastSecond,
    },
    stop: (reason) => {
      stoppedEarly = true;
      gate?.cancel();
      engine.stop(reason);
    },
    observe: (listener) => {
      agg.observer = listener;
    },
    done,
  };
}

const SETUP = 'the setup steps';

/**
 * N worker threads, each running segment i/N of the plan (composed with an outer segment, if any).
 * A start barrier: this thread runs the setup steps once while the workers load their plans; when
 * the setup is done and every worker reported ready, it chooses the start (or keeps --start-at) and
 * sends it with the setup's captures. Each worker posts its closed intervals, encoded, once a
 * second; this thread absorbs them.
 */
export function executeInWorkers(plan: Plan, job: WorkersJob, workers: number, options: ExecuteOptions = {}): Execution {
  const { abort, gate } = options;
  const skip = options.measureFromSecond ?? 0;
  const agg = new Aggregator(plan.endpoints, 2);
  if (abort) agg.onSecond = (point, latency) => abort.addSecond(point, latency);
  const outer = job.segment ?? { index: 0, count: 1 };
  const totalMs = plan.phases.reduce((sum, p) => sum + p.durationMs, 0);
  const inFlight = new Array<number>(workers).fill(0);
  const threads: Worker[] = [];
  let abortedBy: SloSpec | undefined;
  let lastJudged = -1;
  const names = Array.from({ length: workers }, (_, i) => `worker ${i + 1} of ${workers}`);
  const barrier = new StartBarrier({ participants: [SETUP, ...names], startAt: job.startAt, now: epochNow });
  let startAt: number | undefined;
  const stopAll = (reason: StopReason): void => {
    for (const t of threads) t.postMessage({ type: 'stop', reason });
    barrier.abort(); // stopped before the start: nothing to wait for
    gate?.cancel();
  };
  let shared: Vars = {};
  setupOnce(plan).then(
    (vars) => {
      shared = vars;
      barrier.ready(SETUP);
    },
    (err: Error) => barrier.fail(err),
  );
  // worker_threads is loaded by runs that use workers only (a plain run keeps its memory).
  const { Worker: WorkerThread } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const results = Array.from({ length: workers }, (_, i) => {
    // Worker i of N inside outer segment s of M runs segment s + i·M of N·M: strides compose exactly.
    const segment = { index: outer.index + i * outer.count, count: outer.count * workers };
    const worker = new WorkerThread(new URL('./worker-main.js', import.meta.url), { workerData: { file: job.file, env: job.env, overrides: job.overrides, segment, smallYoung: youngGenerationKeptSmall() } satisfies WorkerJob });
    threads.push(worker);
    return new Promise<EngineResult>((resolve, reject) => {
      worker.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'ready') barrier.ready(names[i]!);
        else if (msg.type === 'interval') {
          if (msg.interval.second >= skip) agg.absorbEncoded(msg.interval);
          judgeAbort(msg.interval.second);
        } else if (msg.type === 'progress') inFlight[i] = msg.inFlight;
        else if (msg.type === 'done') resolve(msg.result);
        else reject(msg.runError ? new RunError(msg.message) : new Error(`worker ${i}: ${msg.message}`));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => {
        if (code !== 0) reject(new Error(`worker ${i} exited with code ${code}`));
      });
    });
  });
  const judgeAbort = (second: number): void => {
    if (second <= lastJudged || abortedBy) return;
    lastJudged = second;
    const failing = abort?.failing() ?? null;
    if (failing) {
      abortedBy = failing;
      stopAll('slo-abort');
    }
  };
  warmUpMetrics(plan.endpoints, true); // while the workers load
  const all = Promise.all(results);
  all.catch((err: Error) => barrier.fail(err)); // a worker that fails before the start fails the start
  const done = (async () => {
    try {
      try {
        startAt = await barrier.start;
        // Every worker is ready here; across processes the start is the rendezvous' (src/distributed).
        if (gate) startAt = await gate.wait();
      } catch (err) {
        if (err instanceof NotReadyError) throw new RunError(`--start-at ${new Date(err.startAt).toISOString()}: not ready by then: ${err.missing.join(', ')} (choose a later start)`);
        throw err;
      }
      const start: StartMessage = { type: 'start', startAt, shared };
      for (const t of threads) t.postMessage(start);
      const parts = await all;
      const durationMs = Math.max(...parts.map((p) => p.durationMs));
      const drainMs = Math.max(0, Math.max(...parts.map((p) => p.durationMs + p.drainMs)) - durationMs);
      const stopReason = parts.find((p) => p.stopReason)?.stopReason;
      const errorDetails = Object.assign({}, ...parts.map((p) => p.errorDetails)) as Record<string, string>;
      const cutIterations = parts.reduce((sum, p) => sum + p.cutIterations, 0);
      const http = mergeFacts(parts.flatMap((p) => (p.http ? [p.http] : [])));
      const engine: EngineResult = { startedAt: startAt, durationMs, drainMs, stopReason, errorDetails, cutIterations, phases: mergePhases(parts), failureSamples: mergeSamples(parts.map((p) => p.failureSamples)), flows: parts.flatMap((p) => p.flows ?? []), ...(http ? { http } : {}) };
      return { summary: agg.summarize(durationMs), engine, abortedBy };
    } finally {
      await Promise.all(threads.map((t) => t.terminate()));
    }
  })();
  return {
    view: {
      progress: () => {
        const elapsedMs = startAt === undefined ? 0 : Math.max(0, epochNow() - startAt);
        return { elapsedMs, totalMs, phase: phaseAt(plan, elapsedMs), inFlight: inFlight.reduce((a, b) => a + b, 0) };
      },
      totals: () => agg.counters(),
      lastSecond: () => agg.lastSecond,
    },
    stop: stopAll,
    observe: (listener) => {
      agg.observer = listener;
    },
    done,
  };
}

/** The setup steps, run once for all workers; their captures are handed to each. */
async function setupOnce(plan: Plan): Promise<Vars> {
  if (plan.setup.length === 0) return {};
  const engine = new Engine(plan);
  try {
    return await engine.setup();
  } finally {
    await engine.close();
  }
}

/** Each worker ran every phase with part of the users: iterations add up, a phase lasted as long as its longest part. */
function mergePhases(parts: EngineResult[]): EngineResult['phases'] {
  const first = parts[0]?.phases;
  if (!first) return undefined;
  return first.map((phase, i) => {
    const all = parts.map((p) => p.phases?.[i]).filter((p) => p !== undefined);
    const sum = (key: 'rate' | 'vus' | 'rampTo'): number | undefined => (phase[key] === undefined ? undefined : all.reduce((n, p) => n + (p[key] ?? 0), 0));
    const merged = { ...phase, durationMs: Math.max(...all.map((p) => p.durationMs)), iterations: all.reduce((n, p) => n + p.iterations, 0) };
    for (const key of ['rate', 'vus', 'rampTo'] as const) if (phase[key] !== undefined) merged[key] = sum(key)!;
    return merged;
  });
}

function phaseAt(plan: Plan, elapsedMs: number): number {
  let end = 0;
  for (let i = 0; i < plan.phases.length; i++) {
    end += plan.phases[i]!.durationMs;
    if (elapsedMs < end) return i;
  }
  return Math.max(0, plan.phases.length - 1);
}
