// A segment's result from a file: a result.json, or a log holding framed blocks (a pod log saved with
// kubectl logs, a CI job's log). One clear line for anything else.
import type { RunResult, TimelinePoint } from '../types.js';
import { UsageError } from '../errors.js';
import { readSegmentLog, type LogContent } from '../distributed/segment-log.js';
import type { SegmentFacts } from '../merge/check.js';
import { parseResultJson } from '../merge/read.js';
import { checkedResult, readText, resultPath } from './read-result.js';

export const looksLikeLog = (text: string): boolean => text.includes('-----BEGIN BENCH ');

/** A result.json, or the result in (or rebuilt from) a log. */
export function readSegmentFile(path: string): RunResult {
  const file = resultPath(path);
  const text = readText(file);
  if (!looksLikeLog(text)) return checkedResult(text, file);
  const content = readLog(text, path);
  if (content.kind === 'empty') throw new UsageError(`${path}: ${content.why}`);
  return content.result;
}

/**
 * The merge's second read of a file readSegmentFile already read and checked (its `facts`): only its
 * timeline is wanted now, so its histograms are not decoded twice. A file that is no longer the segment
 * it was (rewritten in between) is one clear line.
 */
export function readSegmentTimeline(path: string, facts: SegmentFacts): TimelinePoint[] {
  const file = resultPath(path);
  const text = readText(file);
  const result = looksLikeLog(text) ? readLog(text, path) : { kind: 'result' as const, result: parseResultJson(text, file) };
  const again = result.kind === 'empty' ? null : result.result;
  const same = (r: SegmentFacts): string => JSON.stringify([r.segment ?? null, r.startedAt, r.durationMs, r.fingerprint ?? null, r.runId ?? null, r.totals.requests]);
  if (!again || same(again) !== same(facts)) throw new UsageError(`${path}: changed while it was being merged; merge again`);
  return again.timeline;
}

export function readLog(text: string, source: string): LogContent {
  return readSegmentLog(text, (line, message) => {
    throw new UsageError(`${source}:${line}: a damaged bench frame (${message})`);
  });
}
