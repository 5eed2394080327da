// `bench merge`: segment results → one result, SLOs judged once, every report written; exits like `run`.
// Takes result.json files and logs with framed results (pod logs), a killed segment's flushed seconds too.
// Streamed: the files are read twice, one at a time — first for the checks, then for the timelines, each
// folded into the merged seconds and let go — so memory does not grow with the number of segments.
import { resolve } from 'node:path';
import type { TimelinePoint } from '../types.js';
import { factsOf, startMerge, type SegmentFacts } from '../merge/merge.js';
import { partialNote } from '../report/run-notes.js';
import { reporters } from '../report/index.js';
import { readSegmentFile, readSegmentTimeline } from './read-segment.js';
import { exitCodeFor } from './run-command.js';
import { UsageError } from '../errors.js';
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
  // First pass: each file read and checked in turn, only its facts kept (its timeline is let go).
  const facts = files.map((file) => factsOf(readSegmentFile(file)));
  return writeMerged({ facts, sources: files, timeline: (n) => readSegmentTimeline(files[n]!, facts[n]!) }, flags, io);
}

/**
 * Merged seconds built per pass over the timelines: at most this many decoded histograms are held (≈ 36 KB
 * each at 20k/s, ≈ 65 MB); a longer run reads each timeline once more per 30 minutes (≈ 40 ms per
 * segment-hour of result.json, against ≈ 0.12 ms to fold each of its 3,600 seconds).
 */
export const MERGE_WINDOW_SECONDS = 1800;

/**
 * The segments to merge, as the streaming merge reads them: every segment's facts (its result without the
 * timeline) up front, each timeline only when it is folded in (read again from its file).
 */
export interface SegmentSet {
  facts: SegmentFacts[];
  /** where each came from (a file name), to name it */
  sources: string[];
  timeline(n: number): TimelinePoint[];
}

/**
 * Shared with `bench collect`: check, fold the timelines in one at a time, say what is partial, write
 * every report, the exit code. Memory: the facts, one window of merged seconds decoded (the earlier ones
 * encoded), and one segment's timeline at a time.
 */
export function writeMerged(segments: SegmentSet, flags: MergeFlags, io: Console, windowSeconds = MERGE_WINDOW_SECONDS): number {
  const { facts, sources } = segments;
  // Every refusal (other plan, other run, missing, late, incomplete) is thrown here, before any fold.
  const merge = startMerge(facts, null, { allowPartial: flags.allowPartial, sources, windowSeconds });
  // Window by window (a run longer than MERGE_WINDOW_SECONDS reads every timeline once per window).
  do {
    for (let n = 0; n < facts.length; n++) {
      const timeline = segments.timeline(n);
      try {
        merge.add(n, timeline);
      } catch (err) {
        // checked on the first read: a histogram that no longer decodes was rewritten in between
        throw new UsageError(`${sources[n]}: changed while it was being merged (${(err as Error).message}); merge again`);
      }
    }
  } while (merge.next());
  const merged = merge.finish();
  if (merged.partial) io.err(`bench: warning: ${partialNote(merged.partial)}; absolute SLOs are not judged`);
  const identity = (text: string): string => text;
  const outDir = resolve(flags.out);
  const reports = writeReports(merged, { outDir, redact: identity, env: io.env, log: io.err });
  if (flags.json) io.out(reporters.json(merged, { color: false }));
  if (!flags.quiet) io.err(reporters.terminal(merged, { color: flags.color }));
  if (!flags.quiet) io.err(`bench: merged ${facts.length} results into ${outDir}`);
  return exitCodeAfterWriting(exitCodeFor(merged), reports);
}
