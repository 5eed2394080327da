// `bench run`: scenario → load → result → reports → exit code.
import { resolve } from 'node:path';
import type { RunResult } from '../types.js';
import { EXIT, UsageError } from '../errors.js';
import { executeRun } from '../api/execute-run.js';
import type { LoadOverrides } from '../scenario/overrides.js';
import { parseStreamFlag } from '../stream/config.js';
import { parseSegment } from '../segment/segment.js';
import { parseDuration } from '../scenario/units.js';
import { makeRedactor } from '../report/redact.js';
import { preparePlan } from '../scenario/prepare.js';
import { debugMode, runHttpDebug } from './http-debug.js';
import { reporters } from '../report/index.js';
import { startProgress } from './progress.js';
import { onInterrupt } from './signals.js';
import { exitCodeAfterWriting, formatSloValue } from './write-reports.js';
import type { Console } from './console.js';

export interface RunFlags extends LoadOverrides {
  /** --tag KEY=VALUE, repeatable (commander's name for the option; passed on as overrides.tags) */
  tag?: string[];
  out?: string;
  json?: boolean;
  quiet?: boolean;
  color: boolean;
  workers?: string;
  segment?: string;
  startAt?: string;
  preflight?: boolean;
  /** A/B rounds: no job summary or annotations per round; the combined result publishes once */
  noCiPublish?: boolean;
  /** --stream KIND=URL, repeatable */
  stream?: string[];
  /** --summary-export FILE: k6-compatible summary */
  summaryExport?: string;
  /** --http-debug (true) or --http-debug=full: one iteration of each flow, printed, no load */
  httpDebug?: boolean | string;
  /** --coordinator host:port: meet the other segments before any load */
  coordinator?: string;
  /** --barrier-timeout: how long the coordinator waits for every segment */
  barrierTimeout?: string;
  runId?: string;
  /** --log-result: framed result blocks on stdout (the pod log), flushed once a second */
  logResult?: boolean;
}

export interface RunOutcome {
  result: RunResult;
  outDir: string;
  exitCode: number;
  /** values to redact from anything derived from this run */
  secrets: string[];
}

export async function runCommand(file: string, flags: RunFlags, io: Console): Promise<number> {
  if (flags.httpDebug !== undefined) return httpDebugCommand(file, flags, io);
  const outcome = await runScenario(file, flags, io);
  return outcome.exitCode;
}

export async function runScenario(file: string, flags: RunFlags, io: Console, label?: string): Promise<RunOutcome> {
  const segment = segmentFrom(flags, io.env);
  const overrides: LoadOverrides = { target: flags.target, rate: flags.rate, vus: flags.vus, duration: flags.duration, maxRate: flags.maxRate, tags: flags.tag };
  // The run itself (plan, load, live streams, result, reports) is the core the programmatic run() uses;
  // this shell adds the progress line, Ctrl-C, the terminal summary and the exit code.
  const outcome = await executeRun(
    {
      scenario: resolve(file),
      overrides,
      env: io.env,
      workers: 1,
      timing: (log) => ({ workers: workerCount(flags.workers), startAt: startTime(flags.startAt, log) }),
      segment,
      out: flags.out ?? 'default',
      preflight: flags.preflight,
      stream: (flags.stream ?? []).map(parseStreamFlag),
      summaryExport: flags.summaryExport,
      targetName: label,
      quiet: flags.quiet,
      ciPublish: !flags.noCiPublish,
      ...(flags.coordinator ? { coordinator: { address: flags.coordinator, timeoutMs: barrierTimeout(flags.barrierTimeout) } } : {}),
      ...(runIdOf(flags, io.env) ? { runId: runIdOf(flags, io.env) } : {}),
      ...(flags.logResult ? { logResult: (text: string) => io.out(text) } : {}),
    },
    {
      log: (line) => io.err(line),
      onStart: (execution, plan) => {
        const log = (line: string): void => io.err(makeRedactor(plan.secrets)(line));
        if (!flags.quiet) for (const warning of plan.warnings ?? []) log(`bench: warning: ${warning}`);
        if ((flags.rate !== undefined || flags.vus !== undefined) && flags.duration === undefined && !flags.quiet) {
          const ms = plan.phases.reduce((sum, p) => sum + p.durationMs, 0);
          log(`bench: ${flags.rate !== undefined ? `--rate ${flags.rate}` : `--vus ${flags.vus}`} without --duration runs for ${formatDurationMs(ms)} (the scenario's load, or 10s without one); add --duration to choose`);
        }
        const showProgress = !flags.quiet && !flags.json;
        const progress = showProgress ? startProgress(execution.view, { stream: process.stderr, tty: io.stderrIsTTY, label: label ?? plan.name }) : null;
        const releaseSignals = onInterrupt(
          () => {
            progress?.stop(); // clear the redrawn line first, so the message gets a line of its own
            log('bench: stopping — finishing in-flight requests and writing reports (Ctrl-C again to quit at once)');
            execution.stop('interrupted');
          },
          () => io.exitNow(EXIT.interrupted),
        );
        return () => {
          progress?.stop();
          releaseSignals();
        };
      },
    },
  );
  const { result, redact, engine } = outcome;
  const log = (line: string): void => io.err(redact(line));
  const outDir = outcome.outDir!;

  if (flags.json) io.out(reporters.json(result, { color: false, redact }));
  // --json moves the machine-readable result to stdout; the human summary stays, on stderr.
  if (!flags.quiet) io.err(reporters.terminal(result, { color: flags.color, redact }));
  else for (const slo of result.slo) if (!slo.pass) log(`bench: SLO failed: ${slo.expr}${slo.endpoint ? ` [${slo.endpoint}]` : ''} — actual ${slo.actual === null ? 'no data' : formatSloValue(slo.actual, slo.unit)}, threshold ${formatSloValue(slo.threshold, slo.unit)}`);
  // --quiet: a failed SLO line says why; when every SLO passed yet the run failed, say why once.
  if (flags.quiet && result.slo.every((s) => s.pass)) for (const reason of result.reasons ?? []) log(`bench: FAIL: ${reason}`);
  for (const [kind, detail] of Object.entries(engine.errorDetails)) if (!flags.quiet) log(`bench: first ${kind} error: ${detail}`);
  if (engine.cutIterations > 0 && !result.stopReason && !flags.quiet) {
    log(`bench: ${engine.cutIterations} journey${engine.cutIterations === 1 ? ' was' : 's were'} still under way when the end-of-run grace (gracefulStop; default timeout + 1 s) ran out; their remaining steps were not sent`);
  }
  if (outcome.abortedBy && !flags.quiet) log(`bench: stopped early: "${outcome.abortedBy}" failed over its window (abortOnFail)`);
  if (!flags.quiet) log(`bench: reports written to ${outDir}`);
  return { result, outDir, exitCode: outcome.reports ? exitCodeAfterWriting(exitCodeFor(result), outcome.reports) : exitCodeFor(result), secrets: outcome.secrets };
}

/** --http-debug: no load, no reports; exit 0 when every journey passed, 1 when a check failed. */
async function httpDebugCommand(file: string, flags: RunFlags, io: Console): Promise<number> {
  const mode = debugMode(flags.httpDebug);
  if (mode === null) throw new UsageError(`--http-debug: "${String(flags.httpDebug)}" is not a mode: write --http-debug or --http-debug=full after the scenario file`);
  const plan = await preparePlan(resolve(file), io.env, { target: flags.target });
  io.err(`bench: --http-debug: ${plan.name} → ${plan.target}: the setup and one iteration of each flow, no load, no reports`);
  const { failed } = await runHttpDebug(plan, mode, (line) => io.out(line));
  return failed === 0 ? EXIT.ok : EXIT.sloFailed;
}

function formatDurationMs(ms: number): string {
  return ms % 60_000 === 0 && ms >= 60_000 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

export function exitCodeFor(result: RunResult): number {
  if (result.stopReason === 'interrupted') return EXIT.interrupted;
  // A segment is judged by `bench merge`, once, on all the data: its own verdict is only informative.
  if (result.segment) return EXIT.ok;
  return result.pass ? EXIT.ok : EXIT.sloFailed;
}

function segmentFrom(flags: RunFlags, env: NodeJS.ProcessEnv): { index: number; count: number } | undefined {
  const text = flags.segment ?? env.BENCH_SEGMENT;
  return text ? parseSegment(text) : undefined;
}

function workerCount(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--workers: "${text}" is not a whole number from 1 to 64`);
  return n;
}

/** --run-id, BENCH_RUN_ID, or the fixed start as written (a segment that starts late keeps its run's id). */
function runIdOf(flags: RunFlags, env: NodeJS.ProcessEnv): string | undefined {
  const given = flags.runId ?? env.BENCH_RUN_ID;
  if (given) return given;
  const at = flags.startAt === undefined ? NaN : Date.parse(flags.startAt);
  return Number.isNaN(at) ? undefined : `at-${new Date(at).toISOString()}`;
}

const DEFAULT_BARRIER_TIMEOUT_MS = 300_000;

function barrierTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BARRIER_TIMEOUT_MS;
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`--barrier-timeout: "${text}" is not a duration (e.g. 120s or 5m)`);
  return ms;
}

const MAX_START_DELAY_MS = 24 * 3_600_000;

/**
 * --start-at: a shared start for segments. A time already past (a pod scheduled late) starts now —
 * the schedule is never replayed in a burst; one more than a day ahead is surely a typo.
 */
function startTime(text: string | undefined, log: (line: string) => void): number | undefined {
  if (text === undefined) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new UsageError(`--start-at: "${text}" is not an ISO time (e.g. 2026-11-25T14:00:00Z)`);
  const now = Date.now();
  if (at - now > MAX_START_DELAY_MS) throw new UsageError(`--start-at: ${text} is more than 24 hours away`);
  if (at < now - 1000) {
    log(`bench: warning: --start-at ${text} passed ${((now - at) / 1000).toFixed(1)} s ago; starting now (this segment is late against the others)`);
    return now;
  }
  return at;
}
