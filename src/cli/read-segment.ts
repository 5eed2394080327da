// A segment's result from a file: a result.json, or a log holding framed blocks (a pod log saved with
// kubectl logs, a CI job's log). One clear line for anything else.
import { readFileSync } from 'node:fs';
import type { RunResult } from '../types.js';
import { UsageError } from '../errors.js';
import { readSegmentLog, type LogContent } from '../distributed/segment-log.js';
import { readResultFile } from './read-result.js';

export const looksLikeLog = (text: string): boolean => text.includes('-----BEGIN BENCH ');

/** A result.json, or the result in (or rebuilt from) a log. */
export function readSegmentFile(path: string): RunResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (!looksLikeLog(text)) return readResultFile(path);
  const content = readLog(text, path);
  if (content.kind === 'empty') throw new UsageError(`${path}: ${content.why}`);
  return content.result;
}

export function readLog(text: string, source: string): LogContent {
  return readSegmentLog(text, (line, message) => {
    throw new UsageError(`${source}:${line}: a damaged bench frame (${message})`);
  });
}
