// `bench compare`: two saved results, compared from their histograms; exit 1 on a regression.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
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
  const written = emitComparison(comparison, { ...flags, reports: { base: reportNextTo(baseFile), head: reportNextTo(headFile) } }, io);
  if (comparison.overall.regressed) return EXIT.sloFailed;
  return written ? EXIT.ok : EXIT.runFailed;
}

/** Print the comparison (terminal table or JSON) and write its files when an out dir is given.
 * A file that cannot be written is one line naming it; the comparison is printed all the same.
 * Returns false when comparison.json was asked for and could not be written. */
export function emitComparison(comparison: Comparison, flags: Omit<CompareFlags, 'maxRegression'> & { reports?: SideReports }, io: Console): boolean {
  const failed = flags.out ? writeComparison(comparison, resolve(flags.out), flags.reports) : [];
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

/** Each side's report.html (absolute paths), when there is one. */
export interface SideReports {
  base?: string;
  head?: string;
}

/** The report.html next to a compared result.json (or in a compared run folder), if there is one. */
export function reportNextTo(given: string): string | undefined {
  const dir = isDirectory(given) ? given : dirname(given);
  const report = resolve(dir, 'report.html');
  return existsSync(report) ? report : undefined;
}

/** Writes comparison.{json,md,html}; returns the ones that could not be written (never throws).
 * comparison.html links each side's report.html by a path relative to `dir`. */
export function writeComparison(comparison: Comparison, dir: string, reports: SideReports = {}): Array<{ file: string; message: string }> {
  const links = Object.fromEntries(Object.entries(reports).flatMap(([side, path]) => (path ? [[side, relative(dir, path).split('\\').join('/')]] : [])));
  const files: Array<[string, (c: Comparison) => string]> = [
    ['comparison.json', renderComparisonJson],
    ['comparison.md', renderComparisonMarkdown],
    ['comparison.html', (c) => renderComparisonHtml(c, { reports: links })],
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

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
