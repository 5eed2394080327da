// The core of a run, shared by `bench run` and the programmatic run(): scenario → plan → load (with
// live streams) → RunResult → reports. No process.exit, no signals, no terminal output: the caller
// (CLI or library user) decides what to print and how to stop; it gets the Execution through onStart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Plan, RunResult } from '../types.js';
import { UsageError } from '../errors.js';
import { executeInProcess, executeInWorkers, type Execution, type StartGate } from '../engine/execute.js';
import { epochNow } from '../engine/engine.js';
import { buildResult, identityOf } from '../result/build.js';
import { redactResult } from '../report/redact-result.js';
import { joinRendezvous, parseAddress, type Rendezvous } from '../distributed/rendezvous.js';
import { SegmentLog } from '../distributed/segment-log.js';
import { abortJudge } from '../slo/abort.js';
import { preparePlanAndFingerprint } from '../scenario/prepare.js';
import type { LoadOverrides } from '../scenario/overrides.js';
import { makeRedactor } from '../report/redact.js';
import { reporters } from '../report/index.js';
import { writeReports, type ReportsWritten } from '../cli/write-reports.js';
import { writeFileAtomic } from '../cli/atomic.js';
import { describeTarget, preflight } from '../cli/target.js';
import { prepareOutDir } from '../cli/out-dir.js';
import { streamConfig, type StreamOutput, type StreamSettings } from '../stream/config.js';
import { openStreams, type LiveStreams } from '../stream/live.js';

export interface RunInput {
  /** a scenario file, or the scenario as an object (the YAML's shape) */
  scenario: string | Record<string, unknown>;
  overrides: LoadOverrides;
  env: Record<string, string | undefined>;
  workers: number;
  /** CLI: workers and start time checked once the plan is known (scenario problems come first); overrides workers/startAt */
  timing?: (log: (line: string) => void) => { workers: number; startAt?: number };
  segment?: { index: number; count: number };
  /** epoch ms */
  startAt?: number;
  /** where reports go: a folder, 'default' (reports/<scenario>-<timestamp>), or null for none */
  out: string | 'default' | null;
  preflight?: boolean;
  stream: StreamOutput[];
  streamSettings?: StreamSettings;
  /** write a k6-compatible summary (end-of-test JSON) here */
  summaryExport?: string;
  /** A/B target name (labels the live series) */
  targetName?: string;
  quiet?: boolean;
  /** GitHub job summary and annotations (not for A/B rounds) */
  ciPublish?: boolean;
  /** meet the other segments before any load (src/distributed/rendezvous.ts): "host:port"; needs `segment` */
  coordinator?: { address: string; timeoutMs: number };
  /** this split run's identity (--run-id, BENCH_RUN_ID); default: the coordinator's, or the fixed start's */
  runId?: string;
  /** framed blocks for a log (stdout: the pod log), flushed as the run goes: src/distributed/segment-log.ts */
  logResult?: (text: string) => void;
}

export interface RunHooks {
  /** one line for the user (already redacted) */
  log(line: string): void;
  /** the run is under way: attach progress or a stop; returns a cleanup called when the load ended */
  onStart?(execution: Execution, plan: Plan): () => void;
}

export interface RunOutcome {
  result: RunResult;
  plan: Plan;
  /** null when no reports were written */
  outDir: string | null;
  /** values to redact from anything derived from this run */
  secrets: string[];
  redact: (text: string) => string;
  engine: { errorDetails: Record<string, string>; cutIterations: number };
  abortedBy?: string;
  /** which report files were written and which could not be (a full disk); null when none were asked for */
  reports: ReportsWritten | null;
}

export async function executeRun(input: RunInput, hooks: RunHooks): Promise<RunOutcome> {
  const source = scenarioSource(input.scenario);
  try {
    const { plan, fingerprint } = await preparePlanAndFingerprint(source.file, input.env, input.overrides, input.segment);
    const redact = makeRedactor(plan.secrets);
    const log = (line: string): void => hooks.log(redact(line));
    const { workers, startAt } = input.timing ? input.timing(log) : { workers: input.workers, startAt: input.startAt };
    const config = streamConfig(input.stream, { ...plan.stream, ...input.streamSettings }, input.env);
    const outDir = input.out === null ? null : prepareOutDir(input.out === 'default' ? undefined : input.out, plan.name, Date.now());

    const note = await describeTarget(plan.target);
    if (note && !input.quiet) log(note);
    if (input.preflight) await preflight(plan.target, plan.http.timeoutMs);

    // Exporters load before the load starts, so the observer is in place before the first interval.
    const streams: LiveStreams | null = config ? await openStreams(plan, config, { targetName: input.targetName, segment: input.segment, log }) : null;
    const abort = abortJudge(plan.slo);
    let runId = input.runId ?? (startAt !== undefined ? `at-${new Date(startAt).toISOString()}` : undefined);
    const rendezvous = input.coordinator ? await joinCoordinator(input, startAt, fingerprint, runId, log) : null;
    // Segments that met report their start on the coordinator's clock: one time base for the merge.
    let clockOffsetMs = 0;
    const gate: StartGate | undefined = rendezvous
      ? startGate(rendezvous, (id, offsetMs) => {
          runId = id;
          clockOffsetMs = offsetMs;
        })
      : undefined;
    const execution =
      workers > 1
        ? executeInWorkers(plan, { file: source.file, env: input.env, overrides: { ...input.overrides }, segment: input.segment, startAt }, workers, { abort, gate })
        : executeInProcess(plan, startAt, { abort, gate });
    // One observer per execution: live streams and the log flush share it.
    const segmentLog = input.logResult ? new SegmentLog(input.logResult) : null;
    let streamListener: Parameters<Execution['observe']>[0] = null;
    let headerWritten = false;
    streams?.attach({ ...execution, observe: (listener) => (streamListener = listener) });
    if (segmentLog) {
      execution.observe((interval) => {
        if (!headerWritten) {
          headerWritten = true;
          // The start, on this clock: the run's first interval comes a second after it.
          const startedAt = Math.round(epochNow() - execution.view.progress().elapsedMs + clockOffsetMs);
          const identity = identityOf(plan);
          segmentLog.header({ ...identity, target: redact(identity.target), endpoints: plan.endpoints, ...(input.segment ? { segment: input.segment } : {}), fingerprint, ...(runId ? { runId } : {}), startedAt, plannedMs: plan.phases.reduce((sum, p) => sum + p.durationMs, 0) });
        }
        segmentLog.interval(interval);
        streamListener?.(interval);
      });
    } else if (streams) execution.observe((interval) => streamListener?.(interval));
    const release = hooks.onStart?.(execution, plan);

    let ran;
    try {
      ran = await execution.done;
    } finally {
      // The final flush: after the last interval was folded in, also after a stop (Ctrl-C stays handled meanwhile).
      try {
        await streams?.finish();
      } finally {
        release?.();
      }
    }
    const result = buildResult(plan, ran.summary, { startedAt: gate ? Math.round(ran.engine.startedAt + clockOffsetMs) : ran.engine.startedAt, durationMs: ran.engine.durationMs, drainMs: ran.engine.drainMs, stopReason: ran.engine.stopReason, abortedBy: ran.abortedBy?.expr, phases: ran.engine.phases, failureSamples: ran.engine.failureSamples, flows: ran.engine.flows, segment: input.segment, http: ran.engine.http, fingerprint, ...(runId ? { runId } : {}) });
    segmentLog?.result(redactResult(result, redact));
    const reports = outDir === null ? null : writeReports(result, { outDir, redact, env: input.ciPublish === false ? {} : (input.env as NodeJS.ProcessEnv), log });
    if (input.summaryExport) writeSummaryExport(input.summaryExport, result, redact);
    return {
      result,
      plan,
      outDir,
      secrets: plan.secrets,
      redact,
      reports,
      engine: { errorDetails: ran.engine.errorDetails, cutIterations: ran.engine.cutIterations },
      ...(ran.abortedBy ? { abortedBy: ran.abortedBy.expr } : {}),
    };
  } finally {
    source.cleanup();
  }
}

async function joinCoordinator(input: RunInput, startAt: number | undefined, fingerprint: string, runId: string | undefined, log: (line: string) => void): Promise<Rendezvous> {
  const segment = input.segment;
  if (!segment || segment.count < 2) throw new UsageError('--coordinator: give --segment i/N (N ≥ 2) too: the coordinator waits for N segments');
  if (startAt !== undefined) throw new UsageError('--coordinator and --start-at exclude each other: the coordinator chooses the start');
  return joinRendezvous({ address: parseAddress(input.coordinator!.address), segment, fingerprint, timeoutMs: input.coordinator!.timeoutMs, ...(runId ? { runId } : {}), now: epochNow, log });
}

function startGate(rendezvous: Rendezvous, onStart: (runId: string, offsetMs: number) => void): StartGate {
  let cancel: () => void = () => {};
  const cancelled = new Promise<number>((resolve) => (cancel = () => resolve(epochNow())));
  return {
    wait: () =>
      Promise.race([
        rendezvous.ready().then(({ startAt, runId, offsetMs }) => {
          onStart(runId, offsetMs);
          return startAt;
        }),
        cancelled,
      ]),
    cancel: () => {
      rendezvous.close();
      cancel();
    },
  };
}

function writeSummaryExport(file: string, result: RunResult, redact: (text: string) => string): void {
  try {
    writeFileAtomic(resolve(file), reporters.k6(result, { color: false, redact }));
  } catch (err) {
    throw new UsageError(`--summary-export: cannot write ${file}: ${(err as Error).message}`);
  }
}

/**
 * A scenario object becomes a file: worker threads and data files (resolved against the current
 * folder) then work the same as for a scenario on disk. JSON is YAML.
 */
function scenarioSource(scenario: string | Record<string, unknown>): { file: string; cleanup(): void } {
  if (typeof scenario === 'string') return { file: resolve(scenario), cleanup: () => {} };
  if (scenario === null || typeof scenario !== 'object' || Array.isArray(scenario)) throw new UsageError('run(): the scenario is a file path or a scenario object');
  const dir = mkdtempSync(join(tmpdir(), 'bench-scenario-'));
  const file = join(dir, 'scenario.yml');
  writeFileSync(file, JSON.stringify(withAbsoluteData(scenario)));
  return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `data: { name: { csv: relative/path } }` of an object scenario is relative to the current folder. */
function withAbsoluteData(scenario: Record<string, unknown>): Record<string, unknown> {
  const data = scenario.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return scenario;
  const fixed: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(data as Record<string, unknown>)) {
    const csv = (spec as { csv?: unknown } | null)?.csv;
    fixed[name] = typeof csv === 'string' ? { ...(spec as object), csv: resolve(csv) } : spec;
  }
  return { ...scenario, data: fixed };
}
