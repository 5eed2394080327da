// result.json (design §3): the lossless form every other tool (compare, merge, report) reads back.
import type { RunResult } from '../types.js';
import type { ReportOptions } from './options.js';
import { redactResult } from './redact-result.js';

export function jsonReport(result: RunResult, options: ReportOptions): string {
  return JSON.stringify(redactResult(result, options.redact), null, 2) + '\n';
}
