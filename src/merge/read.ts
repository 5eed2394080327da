// Reading a result.json for `bench merge` (and `bench report`/`compare` if they like): one clear line
// on anything that is not a bench result, instead of a TypeError deep inside the merge.
import { UsageError } from '../errors.js';
import type { RunResult } from '../types.js';

/** Parse result.json text; `source` (a file name) starts every error message. */
export function parseResultJson(text: string, source: string): RunResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source}: not JSON (${(e as Error).message})`);
  }
  const problem = shapeProblem(value);
  if (problem) throw new UsageError(`${source}: not a bench result: ${problem}`);
  return value as RunResult;
}

function shapeProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected a JSON object';
  const r = value as Record<string, unknown>;
  if (r.schemaVersion !== 1) return `schemaVersion ${JSON.stringify(r.schemaVersion)} is not supported (this bench reads 1)`;
  if (typeof r.scenario !== 'string') return 'missing "scenario"';
  if (typeof r.startedAt !== 'string' || Number.isNaN(Date.parse(r.startedAt))) return 'missing or invalid "startedAt"';
  if (typeof r.durationMs !== 'number') return 'missing "durationMs"';
  if (typeof r.totals !== 'object' || r.totals === null) return 'missing "totals"';
  if (!Array.isArray(r.endpoints) || !Array.isArray(r.timeline) || !Array.isArray(r.slo)) return 'missing "endpoints", "timeline" or "slo"';
  return null;
}
