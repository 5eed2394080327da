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
  const written = emitComparison(comparison, flags, io);
  if (comparison.overall.regressed) return EXIT.sloFailed;
  return written ? EXIT.ok : EXIT.runFailed;
}

/** Print the comparison (terminal table or JSON) and write its files when an out dir is given.
 * A file that cannot be written is one line naming it; the comparison is printed all the same.
 * Returns false when comparison.json was asked for and could not be written. */
export function emitComparison(comparison: Comparison, flags: Omit<CompareFlags, 'maxRegression'>, io: Console): boolean {
  const failed = flags.out ? writeComparison(comparison, resolve(flags.out)) : [];
  if (flags.json) io.out(renderComparisonJson(comparison));
  else io.err(renderComparisonTerminal(comparison, { color: flags.color }));
  for (const f of failed) io.err(`bench: ${f.message}`);
  return !failed.some((f) => f.file === 'comparison.json');
}

/** reports/v1/result.json → "v1"; baseline.json → "baseline". */
function labelOf(file: string): string {
  const name = basename(file);
  return name === 'result.json' ? basename(dirname(resolve(file))) : name.replace(/\.json$/, '');
}

/** Writes comparison.{json,md,html}; returns the ones that could not be written (never throws). */
export function writeComparison(comparison: Comparison, dir: string): Array<{ file: string; message: string }> {
  const files: Array<[string, (c: Comparison) => string]> = [
    ['comparison.json', renderComparisonJson],
    ['comparison.md', renderComparisonMarkdown],
    ['comparison.html', renderComparisonHtml],
  ];
  const failed: Array<{ file: string; message: string }> = [];
  for (const [file, render] of files) {
    try {
      writeFileAtomic(join(dir, file), render(comparison));
    } catch (err) {
      failed.push({ file, message: (err as Error).message });
    }
  }
  return failed;
}
