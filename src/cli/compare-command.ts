// `bench compare`: two saved results, compared from their histograms; exit 1 on a regression.
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT } from '../errors.js';
import {
  compareResults,
  defaultRegressionBounds,
  parseRegressionBounds,
  renderComparisonHtml,
  renderComparisonJson,
  renderComparisonMarkdown,
  renderComparisonTerminal,
  type Comparison,
} from '../compare/index.js';
import { writeFileAtomic } from './atomic.js';
import { readResultFile } from './read-result.js';
import type { Console } from './console.js';

export interface CompareFlags {
  maxRegression?: string;
  json?: boolean;
  out?: string;
  color: boolean;
}

export async function compareCommand(baseFile: string, headFile: string, flags: CompareFlags, io: Console): Promise<number> {
  const bounds = flags.maxRegression ? parseRegressionBounds(flags.maxRegression) : defaultRegressionBounds();
  const base = readResultFile(baseFile);
  const head = readResultFile(headFile);
  if (base.scenario !== head.scenario) io.err(`bench: warning: comparing different scenarios ("${base.scenario}" vs "${head.scenario}")`);
  const comparison = compareResults(base, head, { bounds, baseLabel: labelOf(baseFile), headLabel: labelOf(headFile) });
  emitComparison(comparison, flags, io);
  return comparison.overall.regressed ? EXIT.sloFailed : EXIT.ok;
}

/** Print the comparison (terminal table or JSON) and write its files when an out dir is given. */
export function emitComparison(comparison: Comparison, flags: Omit<CompareFlags, 'maxRegression'>, io: Console): void {
  if (flags.out) writeComparison(comparison, resolve(flags.out));
  if (flags.json) io.out(renderComparisonJson(comparison));
  else io.err(renderComparisonTerminal(comparison, { color: flags.color }));
}

/** reports/v1/result.json → "v1"; baseline.json → "baseline". */
function labelOf(file: string): string {
  const name = basename(file);
  return name === 'result.json' ? basename(dirname(resolve(file))) : name.replace(/\.json$/, '');
}

export function writeComparison(comparison: Comparison, dir: string): void {
  writeFileAtomic(join(dir, 'comparison.json'), renderComparisonJson(comparison));
  writeFileAtomic(join(dir, 'comparison.md'), renderComparisonMarkdown(comparison));
  writeFileAtomic(join(dir, 'comparison.html'), renderComparisonHtml(comparison));
}
