// Where reports go: every format into the out dir (atomically), the Markdown into the GitHub job
// summary, one annotation per failed SLO on GitHub Actions (stderr). The only file-writing place for runs.
// A report that cannot be written (a full disk) is one line naming it; the others are still written and the
// caller still prints the verdict. Exit code: the verdict's; 3 when result.json itself is missing and the
// verdict would otherwise be 0 (see exitCodeAfterWriting).
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../types.js';
import { EXIT } from '../errors.js';
import { reporters } from '../report/index.js';
import { writeFileAtomic } from './atomic.js';

export const REPORT_FILES = {
  json: 'result.json',
  md: 'report.md',
  junit: 'junit.xml',
  html: 'report.html',
  hlog: 'latency.hlog',
} as const;

export interface WriteOptions {
  outDir: string;
  redact: (text: string) => string;
  env: NodeJS.ProcessEnv;
  /** one line per message, to stderr */
  log: (line: string) => void;
  /** replaceable in tests; writes a whole file or throws */
  write?: (path: string, content: string) => void;
}

export interface ReportsWritten {
  /** paths written */
  written: string[];
  /** reports that could not be written, each already logged as one line */
  failed: Array<{ file: string; path: string; message: string }>;
}

/** Writes every report. Stops at nothing and never throws: one failed format still leaves the rest. */
export function writeReports(result: RunResult, options: WriteOptions): ReportsWritten {
  const write = options.write ?? writeFileAtomic;
  const outcome: ReportsWritten = { written: [], failed: [] };
  for (const [format, file] of Object.entries(REPORT_FILES) as Array<[keyof typeof REPORT_FILES, string]>) {
    const path = join(options.outDir, file);
    try {
      // Reporters redact the result's text themselves; redacting their whole output again would also
      // rewrite inlined code (uPlot has `key=` in it) and could touch histogram base64.
      write(path, reporters[format](result, { color: false, redact: options.redact }));
      outcome.written.push(path);
    } catch (err) {
      const message = (err as Error).message;
      outcome.failed.push({ file, path, message: message.startsWith('could not write') ? message : `could not write ${path}: ${message}` });
    }
  }
  for (const failure of outcome.failed) options.log(`bench: ${failure.message}`);
  if (outcome.failed.length) {
    const lost = outcome.failed.some((f) => f.file === REPORT_FILES.json) ? '; result.json is missing, so this run cannot be compared or merged later' : '';
    options.log(`bench: ${outcome.failed.length} of ${Object.keys(REPORT_FILES).length} reports could not be written${lost}`);
  }
  publishToCi(result, options);
  return outcome;
}

/** The verdict's exit code stands (an SLO failure stays 1, an interruption 130); a run that passed but whose
 * result.json could not be written exits 3: nothing downstream (compare, merge, a baseline) can use it. */
export function exitCodeAfterWriting(verdict: number, outcome: ReportsWritten): number {
  if (verdict !== EXIT.ok) return verdict;
  return outcome.failed.some((f) => f.file === REPORT_FILES.json) ? EXIT.runFailed : verdict;
}

/** GitHub Actions: the Markdown report in the job summary, an ::error per failed SLO (on stderr). */
export function publishToCi(result: RunResult, options: Pick<WriteOptions, 'env' | 'redact' | 'log'>): void {
  const summary = options.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      appendFileSync(summary, reporters.md(result, { color: false, redact: options.redact }) + '\n');
    } catch (err) {
      options.log(`bench: could not append to GITHUB_STEP_SUMMARY: ${(err as Error).message}`);
    }
  }
  if (options.env.GITHUB_ACTIONS === 'true') {
    for (const slo of result.slo) {
      if (slo.pass) continue;
      const where = slo.endpoint ? ` (${slo.endpoint})` : '';
      const actual = slo.actual === null ? 'no data' : formatSloValue(slo.actual, slo.unit);
      // stderr, never stdout: under --json stdout carries the JSON and nothing else (the runner reads both).
      options.log(options.redact(`::error title=SLO failed: ${slo.expr}${where}::${result.scenario}: ${slo.expr}${where} — actual ${actual}, threshold ${formatSloValue(slo.threshold, slo.unit)}`));
    }
  }
}

/** An SLO figure in its unit, for one-line messages (annotations, --quiet). */
export function formatSloValue(value: number, unit: string): string {
  if (unit === '%') return `${(value * 100).toFixed(2)}%`;
  if (unit === 'ms') return `${value.toFixed(2)} ms`;
  if (unit === '/s') return `${value.toFixed(1)}/s`;
  return String(value);
}
