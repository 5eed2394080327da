// `bench merge`: segment results → one result, SLOs judged once, every report written; exits like `run`.
import { resolve } from 'node:path';
import { mergeResults, missingSegments } from '../merge/merge.js';
import { reporters } from '../report/index.js';
import { readResultFile } from './read-result.js';
import { exitCodeFor } from './run-command.js';
import { exitCodeAfterWriting, writeReports } from './write-reports.js';
import type { Console } from './console.js';

export interface MergeFlags {
  out: string;
  json?: boolean;
  quiet?: boolean;
  color: boolean;
}

export async function mergeCommand(files: string[], flags: MergeFlags, io: Console): Promise<number> {
  const results = files.map(readResultFile);
  const merged = mergeResults(results, null);
  const missing = missingSegments(results);
  if (missing.length) io.err(`bench: warning: segments ${missing.map((i) => `${i}/${results[0]!.segment!.count}`).join(', ')} are missing — the merged load is partial`);
  const identity = (text: string): string => text;
  const outDir = resolve(flags.out);
  const reports = writeReports(merged, { outDir, redact: identity, env: io.env, log: io.err });
  if (flags.json) io.out(reporters.json(merged, { color: false }));
  if (!flags.quiet) io.err(reporters.terminal(merged, { color: flags.color }));
  if (!flags.quiet) io.err(`bench: merged ${files.length} results into ${outDir}`);
  return exitCodeAfterWriting(exitCodeFor(merged), reports);
}
