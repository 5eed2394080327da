// A result.json from disk, or one clear line saying why not.
import { readFileSync } from 'node:fs';
import type { RunResult } from '../types.js';
import { UsageError } from '../errors.js';
import { parseResultJson } from '../merge/read.js';

export function readResultFile(path: string): RunResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseResultJson(text, path);
}
