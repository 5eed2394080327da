// comparison.md: for PR comments and $GITHUB_STEP_SUMMARY. One table per section (Markdown has no spanning rows).
import { escapeMarkdownCell } from '../report/escape.js';
import { formatBounds } from './bounds.js';
import { formatDelta, formatRelative, formatValue, onlyInText, testLine, verdictText } from './format.js';
import type { Comparison, ComparisonSection, MetricRow, RunInfo } from './types.js';

export function renderComparisonMarkdown(comparison: Comparison): string {
  const labels = { base: comparison.base.label, head: comparison.head.label };
  const parts = [
    `## bench compare: ${inline(comparison.base.label)} \u2192 ${inline(comparison.head.label)}`,
    `${comparison.overall.regressed ? '\u274c' : '\u2705'} **${inline(comparison.overall.summary)}**`,
    `| run | label | scenario | requests | duration |\n|---|---|---|---:|---:|\n${runRow('base', comparison.base)}\n${runRow('head', comparison.head)}`,
    `Max regression: ${inline(formatBounds(comparison.bounds))}`,
    `Test: ${inline(testLine(comparison))}`,
    ...[comparison.totals, ...comparison.endpoints].map((s) => sectionMarkdown(s, labels)),
    `<sub>Method: ${inline(comparison.method)}</sub>`,
  ];
  return parts.join('\n\n') + '\n';
}

function runRow(side: string, run: RunInfo): string {
  return `| ${side} | ${inline(run.label)} | ${inline(run.scenario)} | ${run.requests} | ${(run.durationMs / 1000).toFixed(1)}s |`;
}

function sectionMarkdown(section: ComparisonSection, labels: { base: string; head: string }): string {
  const title = `### ${inline(section.name)}${section.onlyIn ? ` (${inline(onlyInText(section.onlyIn, labels))})` : ''}`;
  const header = `| metric | ${inline(labels.base)} | ${inline(labels.head)} | \u0394 | \u0394% | verdict |\n|---|---:|---:|---:|---:|---|`;
  return `${title}\n\n${header}\n${section.rows.map((row) => rowMarkdown(section, row)).join('\n')}`;
}

function rowMarkdown(section: ComparisonSection, row: MetricRow): string {
  const text = inline(verdictText(section, row));
  const verdict = row.verdict === 'regression' && !row.sameAs ? `**${text}**` : text;
  return `| ${row.metric} | ${formatValue(row, row.base)} | ${formatValue(row, row.head)} | ${formatDelta(row)} | ${formatRelative(row)} | ${verdict} |`;
}

function inline(text: string): string {
  return escapeMarkdownCell(text);
}
