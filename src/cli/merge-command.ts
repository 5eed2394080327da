// `bench merge`: segment results → one result, SLOs judged once, every report written; exits like `run`.
// Takes result.json files and logs with framed results (pod logs), a killed segment's flushed seconds too.
import { resolve } from 'node:path';
import type { RunResult } from '../types.js';
import { mergeResults } from '../merge/merge.js';
import { partialNote } from '../report/run-notes.js';
import { reporters } from '../report/index.js';
import { readSegmentFile } from './read-segment.js';
import { exitCodeFor } from './run-command.js';
import { exitCodeAfterWriting, writeReports } from './write-reports.js';
import type { Console } from './console.js';

export interface MergeFlags {
  out: string;
  json?: boolean;
  quiet?: boolean;
  color: boolean;
  allowPartial?: boolean;
}

export async function mergeCommand(files: string[], flags: MergeFlags, io: Console): Promise<number> {
  const results = files.map(readSegmentFile);
  return writeMerged(results, files, flags, io);
}

/** Shared with `bench collect`: merge, say what is partial, write every report, the exit code. */
export function writeMerged(results: RunResult[], sources: string[], flags: MergeFlags, io: Console): number {
  const merged = mergeResults(results, null, { allowPartial: flags.allowPartial, sources });
  if (merged.partial) io.err(`bench: warning: ${partialNote(merged.partial)}; absolute SLOs are not judged`);
  const identity = (text: string): string => text;
  const outDir = resolve(flags.out);
  const reports = writeReports(merged, { outDir, redact: identity, env: io.env, log: io.err });
  if (flags.json) io.out(reporters.json(merged, { color: false }));
  if (!flags.quiet) io.err(reporters.terminal(merged, { color: flags.color }));
  if (!flags.quiet) io.err(`bench: merged ${results.length} results into ${outDir}`);
  return exitCodeAfterWriting(exitCodeFor(merged), reports);
}
