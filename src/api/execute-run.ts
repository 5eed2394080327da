// The core of a run, shared by `bench run` and the programmatic run(): scenario → plan → load (with
// live streams) → RunResult → reports. No process.exit, no signals, no terminal output: the caller
// (CLI or library user) decides what to print and how to stop; it gets the Execution through onStart.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Plan, RunResult } from '../types.js';
import { UsageError } from '../errors.js';
import { executeInProcess, executeInWorkers, type Execution } from '../engine/execute.js';
import { epochNow } from '../engine/engine.js';
import { buildResult } from '../result/build.js';
import { abortJudge } from '../slo/abort.js';
import { preparePlan } from '../scenario/prepare.js';
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
    const plan = await preparePlan(source.file, input.env, input.overrides, input.segment);
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
    const execution =
      workers > 1
        ? executeInWorkers(plan, { file: source.file, env: input.env, overrides: { ...input.overrides }, segment: input.segment, startAt }, workers, { abort })
        : executeInProcess(plan, startAt, { abort });
    streams?.attach(execution);
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
    const result = buildResult(plan, ran.summary, { startedAt: ran.engine.startedAt, durationMs: ran.engine.durationMs, drainMs: ran.engine.drainMs, phases: ran.engine.phases, failureSamples: ran.engine.failureSamples, flows: ran.engine.flows, stopReason: ran.engine.stopReason, abortedBy: ran.abortedBy?.expr, segment: input.segment, http: ran.engine.http });
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
