// The programmatic run(): the same run as `bench run`, called from code. Returns the RunResult (the
// result.json contract); never exits the process; an AbortSignal stops the run gracefully (reports
// and result still come, with stopReason 'interrupted'). Invalid input rejects: ScenarioError and
// UsageError (the CLI's exit 2), RunError (exit 3), by `error.name`.
import type { RunResult } from '../types.js';
import type { Progress } from '../engine/engine.js';
import { UsageError } from '../errors.js';
import { parseSegment } from '../segment/segment.js';
import { parseStreamFlag, type StreamSettings } from '../stream/config.js';
import { executeRun } from './execute-run.js';

export interface RunProgress extends Progress {
  requests: number;
  errors: number;
  dropped: number;
  /** the last closed second */
  lastSecond: { requests: number; p95Ms: number };
}

export interface RunOptions {
  /** base URL; replaces the scenario's `target` */
  target?: string;
  /** replace the load with one open phase of N arrivals/s */
  rate?: number | string;
  /** replace the load with one closed phase of N users */
  vus?: number | string;
  /** length of the rate/vus phase, e.g. '30s' */
  duration?: string;
  maxRate?: number | string;
  /** a tag on every step, over a scenario tag of the same key (the CLI's `--tag key=value`) */
  tags?: Record<string, string>;
  /** write every report (result.json, report.md, junit.xml, report.html, latency.hlog) into this folder; none when unset */
  out?: string;
  /** no notes or warnings on stderr (see `log`) */
  quiet?: boolean;
  /** abort to stop the run gracefully: the promise still resolves, with stopReason 'interrupted' */
  signal?: AbortSignal;
  /** called once a second while the load runs */
  onProgress?: (progress: RunProgress) => void;
  /** where notes and warnings go; default stderr (nothing with quiet) */
  log?: (line: string) => void;
  /** environment for ${VAR} in the scenario and for stream credentials; default process.env */
  env?: Record<string, string | undefined>;
  workers?: number;
  /** e.g. '0/4' */
  segment?: string;
  /** ISO time to start at */
  startAt?: string;
  preflight?: boolean;
  /** live outputs, e.g. ['prometheus=http://127.0.0.1:9090/api/v1/write'] */
  stream?: string[];
  /** stream interval, labels, histogram style (the scenario's `stream:` block) */
  streamSettings?: StreamSettings;
  /** write a k6-compatible summary JSON here */
  summaryExport?: string;
}

export async function run(scenario: string | Record<string, unknown>, options: RunOptions = {}): Promise<RunResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? (options.quiet ? () => {} : (line: string) => process.stderr.write(`${line}\n`));
  const text = (v: number | string | undefined): string | undefined => (v === undefined ? undefined : String(v));
  const workers = options.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`workers: ${workers} is not a whole number from 1 to 64`);
  const startAt = options.startAt === undefined ? undefined : Date.parse(options.startAt);
  if (startAt !== undefined && Number.isNaN(startAt)) throw new UsageError(`startAt: "${options.startAt}" is not an ISO time`);
  const outcome = await executeRun(
    {
      scenario,
      overrides: { target: options.target, rate: text(options.rate), vus: text(options.vus), duration: options.duration, maxRate: text(options.maxRate), tags: tagFlags(options.tags) },
      env,
      workers,
      segment: options.segment ? parseSegment(options.segment) : undefined,
      startAt,
      out: options.out ?? null,
      preflight: options.preflight,
      stream: (options.stream ?? []).map(parseStreamFlag),
      streamSettings: options.streamSettings,
      summaryExport: options.summaryExport,
      quiet: options.quiet,
      ciPublish: false,
    },
    {
      log,
      onStart(execution) {
        const stop = (): void => execution.stop('interrupted');
        if (options.signal?.aborted) stop();
        options.signal?.addEventListener('abort', stop, { once: true });
        const onProgress = options.onProgress;
        const timer = onProgress
          ? setInterval(() => {
              const totals = execution.view.totals();
              const last = execution.view.lastSecond();
              onProgress({ ...execution.view.progress(), requests: totals.requests, errors: totals.errors, dropped: totals.dropped, lastSecond: { requests: last.requests, p95Ms: last.p95Ms } });
            }, 1000)
          : null;
        timer?.unref();
        return () => {
          if (timer) clearInterval(timer);
          options.signal?.removeEventListener('abort', stop);
        };
      },
    },
  );
  return outcome.result;
}

/** `tags: { env: 'ci' }` → the `--tag env=ci` the scenario overrides take; a key or value they could not carry is refused here. */
function tagFlags(tags: Record<string, string> | undefined): string[] | undefined {
  if (tags === undefined) return undefined;
  if (tags === null || typeof tags !== 'object' || Array.isArray(tags)) throw new UsageError('tags: give an object of key: value strings, e.g. { env: "ci" }');
  return Object.entries(tags).map(([key, value]) => {
    if (key === '' || key.includes('=') || typeof value !== 'string' || value === '') throw new UsageError(`tags: ${JSON.stringify(key)}: ${JSON.stringify(value)} — a key without "=" and a non-empty string value`);
    return `${key}=${value}`;
  });
}
