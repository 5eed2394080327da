// The rest of the programmatic API: load and validate a scenario, compare two results, merge segments.
// Thin wrappers over the same pure cores the CLI uses; results are RunResult objects or result.json paths.
import { resolve } from 'node:path';
import type { Plan, RunResult } from '../types.js';
import { loadScenario as loadScenarioFile, parseScenario } from '../scenario/load.js';
import { compareResults, defaultRegressionBounds, parseRegressionBounds, type Comparison } from '../compare/index.js';
import { mergeResults } from '../merge/merge.js';
import { readResultFile } from '../cli/read-result.js';

export interface LoadScenarioOptions {
  /** environment for ${VAR}; default process.env */
  env?: Record<string, string | undefined>;
  /** replaces the scenario's target */
  target?: string;
}

/** Load and check a scenario (file path or object); rejects with every problem listed (exitCode 2). */
export async function loadScenario(scenario: string | Record<string, unknown>, options: LoadScenarioOptions = {}): Promise<Plan> {
  if (typeof scenario === 'string') return loadScenarioFile(scenario, options);
  return parseScenario(JSON.stringify(scenario), resolve('scenario.yml'), options);
}

export interface CompareApiOptions {
  /** e.g. '10%' or 'p99=15%,error_rate=0.5pp' (the CLI's --max-regression); default 10%, error_rate 1pp */
  maxRegression?: string;
  baseLabel?: string;
  headLabel?: string;
}

export function compare(base: RunResult | string, head: RunResult | string, options: CompareApiOptions = {}): Comparison {
  const bounds = options.maxRegression ? parseRegressionBounds(options.maxRegression) : defaultRegressionBounds();
  return compareResults(asResult(base), asResult(head), { bounds, baseLabel: options.baseLabel ?? 'base', headLabel: options.headLabel ?? 'head' });
}

/** Segment results added into one, SLOs judged once on all the data. */
export function merge(results: ReadonlyArray<RunResult | string>): RunResult {
  return mergeResults(results.map(asResult), null);
}

function asResult(r: RunResult | string): RunResult {
  return typeof r === 'string' ? readResultFile(r) : r;
}
