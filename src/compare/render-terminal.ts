// The comparison a person reads in the terminal: one table, a section per endpoint, the verdict, then the method.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import { formatBounds } from './bounds.js';
import { formatDelta, formatRelative, formatValue, onlyInText, testLine, verdictText } from './format.js';
import type { Comparison, ComparisonSection, MetricRow, RunInfo, Verdict } from './types.js';

export interface TerminalCompareOptions {
  color: boolean;
}

export function renderComparisonTerminal(comparison: Comparison, options: TerminalCompareOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines = [
    `${c.bold('bench compare')}  base: ${describeRun(comparison.base)}  vs  head: ${describeRun(comparison.head)}`,
    `max regression: ${formatBounds(comparison.bounds)}`,
    comparisonTable(comparison, c),
    comparison.overall.regressed ? c.red.bold(comparison.overall.summary) : c.green(comparison.overall.summary),
    `test: ${testLine(comparison)}`,
    c.dim(`method: ${comparison.method}`),
  ];
  return lines.join('\n') + '\n';
}

function describeRun(run: RunInfo): string {
  return `${run.label} (${run.scenario}, ${run.requests} requests, ${(run.durationMs / 1000).toFixed(1)}s)`;
}

function comparisonTable(comparison: Comparison, c: ChalkInstance): string {
  const head = ['metric', `base: ${comparison.base.label}`, `head: ${comparison.head.label}`, '\u0394', '\u0394%', 'verdict'];
  // Empty styles: cli-table3 would otherwise colour by itself, independent of options.color.
  const table = new Table({
    head: head.map((h) => c.bold(h)),
    style: { head: [], border: [] },
    // No rule between metric rows: a comparison is long, and sections already have their title rows.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    colAligns: ['left', 'right', 'right', 'right', 'right', 'left'],
  });
  const labels = { base: comparison.base.label, head: comparison.head.label };
  for (const section of [comparison.totals, ...comparison.endpoints]) {
    table.push(titleCells(section, labels, c));
    for (const row of section.rows) table.push(rowCells(section, row, c));
  }
  return table.toString();
}

/** A section's title row: its name, the requests each run made, and a note when only one run has it. */
function titleCells(section: ComparisonSection, labels: { base: string; head: string }, c: ChalkInstance): string[] {
  const requests = (n: number | null): string => (n === null ? '\u2014' : `${n} req`);
  const note = section.onlyIn ? c.yellow(onlyInText(section.onlyIn, labels)) : '';
  return [c.bold.underline(section.name), requests(section.requests.base), requests(section.requests.head), '', '', note];
}

function rowCells(section: ComparisonSection, row: MetricRow, c: ChalkInstance): string[] {
  const verdict = section.onlyIn || row.sameAs || !row.gated ? verdictText(section, row) : paintVerdict(row.verdict, c);
  return [`  ${row.metric}`, formatValue(row, row.base), formatValue(row, row.head), formatDelta(row), formatRelative(row), verdict];
}

function paintVerdict(verdict: Verdict, c: ChalkInstance): string {
  if (verdict === 'regression') return c.red.bold(verdict);
  if (verdict === 'worse' || verdict === 'inconclusive') return c.yellow(verdict);
  if (verdict === 'better') return c.green(verdict);
  return c.dim(verdict);
}
