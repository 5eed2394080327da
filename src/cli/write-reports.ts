// Where reports go: every format into the out dir (atomically), the Markdown into the GitHub job
// summary, one annotation per failed SLO on GitHub Actions. The only file-writing place for runs.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../types.js';
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
}

/** Writes every report; returns the paths written. Stops at nothing: one failed format still leaves the rest. */
export function writeReports(result: RunResult, options: WriteOptions): string[] {
  const written: string[] = [];
  const failures: string[] = [];
  for (const [format, file] of Object.entries(REPORT_FILES) as Array<[keyof typeof REPORT_FILES, string]>) {
    const path = join(options.outDir, file);
    try {
      // Reporters redact the result's text themselves; redacting their whole output again would also
      // rewrite inlined code (uPlot has `key=` in it) and could touch histogram base64.
      writeFileAtomic(path, reporters[format](result, { color: false, redact: options.redact }));
      written.push(path);
    } catch (err) {
      failures.push(`${file}: ${(err as Error).message}`);
    }
  }
  publishToCi(result, options);
  if (failures.length) throw new Error(`could not write ${failures.join('; ')}`);
  return written;
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
