// A result.json from disk, or one clear line saying why not: a missing file, text that is not JSON, a
// document that is not a bench result, or a damaged histogram are the user's input (exit 2), never a crash
// deep inside compare, report or merge.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from '../types.js';
import { UsageError } from '../errors.js';
import { parseResultJson } from '../merge/read.js';
import { decodeHistogram } from '../metrics/histogram.js';

export function readResultFile(given: string): RunResult {
  const path = resultPath(given);
  return checkedResult(readText(path), path);
}

/** result.json text → the result, its fields and histograms checked; `path` starts every error. */
export function checkedResult(text: string, path: string): RunResult {
  const result = parseResultJson(text, path);
  const problem = contentProblem(result);
  if (problem) throw new UsageError(`${path}: not a usable bench result: ${problem}`);
  return result;
}

/** A run folder (bench run's --out) stands for its result.json. */
export function resultPath(given: string): string {
  if (!isDirectory(given)) return given;
  const path = join(given, 'result.json');
  if (!existsSync(path)) throw new UsageError(`${given}: a folder without a result.json (give a run's folder or its result.json)`);
  return path;
}

/** A file's text, or one line saying why not. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const STATS_NUMBERS = ['requests', 'errors', 'errorRate', 'rps'] as const;
const POINT_NUMBERS = ['second', 'requests', 'errors'] as const;

/** The fields compare, report and merge read, checked once, with the path of the first bad one. */
function contentProblem(result: RunResult): string | null {
  const stats = (value: unknown, where: string): string | null => {
    if (!isObject(value)) return `${where} is not an object`;
    for (const field of STATS_NUMBERS) if (!isNumber(value[field])) return `${where}.${field} is not a number`;
    if (!isObject(value.latencyMs)) return `${where}.latencyMs is missing`;
    return histogram(value.histogram, `${where}.histogram`, true) ?? histogram(value.serviceHistogram, `${where}.serviceHistogram`, false);
  };
  const totals = stats(result.totals, 'totals');
  if (totals) return totals;
  for (const [i, endpoint] of (result.endpoints as unknown[]).entries()) {
    const where = `endpoints[${i}]`;
    if (!isObject(endpoint) || typeof endpoint.name !== 'string') return `${where}.name is missing`;
    const problem = stats(endpoint, where);
    if (problem) return problem;
  }
  for (const [i, point] of (result.timeline as unknown[]).entries()) {
    const where = `timeline[${i}]`;
    if (!isObject(point)) return `${where} is not an object`;
    for (const field of POINT_NUMBERS) if (!isNumber(point[field])) return `${where}.${field} is not a number`;
    const problem = histogram(point.histogram, `${where}.histogram`, true);
    if (problem) return problem;
  }
  return null;
}

/** An empty string is an empty histogram; anything else must decode. */
function histogram(value: unknown, where: string, required: boolean): string | null {
  if (value === undefined && !required) return null;
  if (typeof value !== 'string') return `${where} is not a string`;
  if (value === '') return null;
  try {
    decodeHistogram(value);
    return null;
  } catch (err) {
    return `${where} is not a readable HdrHistogram (${(err as Error).message})`;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value);
}
