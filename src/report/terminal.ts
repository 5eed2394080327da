// The report a person reads right after a run: verdicts first, then totals, then where the time went.
import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { RunResult, SloResult, Stats } from '../types.js';
import type { ReportOptions } from './options.js';
import { formatCount, formatErrors, formatLatencyCells, formatLoadWindow, formatPercent, formatRate } from './format.js';
import { byFrequency, failedChecks, sampleText, samplesOf, statusEntries, type CountEntry } from './counts.js';
import { redactResult } from './redact-result.js';
import { failureReasons, runNotes, verdictLabel } from './run-notes.js';
import { deferredText, sloActual, sloLabel, sloThreshold, sloVerdict } from './slo-view.js';

export function terminalReport(raw: RunResult, options: ReportOptions): string {
  const result = redactResult(raw, options.redact);
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const sections = [
    verdictSection(result, c),
    totalsSection(result, c),
    endpointTable(result, c),
    breakdownSection(result, c),
  ].filter((s) => s.length > 0);
  const text = sections.join('\n\n') + '\n';
  return options.redact ? options.redact(text) : text;
}

function verdictSection(result: RunResult, c: ChalkInstance): string {
  const label = verdictLabel(result);
  const headline = label === 'PASS' ? c.green.bold(label) : label === 'INTERRUPTED' ? c.yellow.bold(label) : c.red.bold(label);
  const lines = [`${headline}  ${c.bold(result.scenario)} → ${result.target}`];
  if (result.slo.length === 0) lines.push(c.dim('  no SLOs'));
  else lines.push(c.dim(result.sloDefaults ? '  SLOs (defaults):' : '  SLOs:'));
  const widths = { label: maxLength(result.slo.map(sloLabel)), actual: maxLength(result.slo.map(sloActual)) };
  for (const slo of result.slo) lines.push(`  ${sloLine(slo, widths, c)}`);
  // What failed the run besides its SLO rows, right under them.
  for (const reason of failureReasons(result)) lines.push(`  ${c.red('✗')} ${c.red.bold(reason)}`);
  return lines.join('\n');
}

function sloLine(slo: SloResult, widths: { label: number; actual: number }, c: ChalkInstance): string {
  const label = sloLabel(slo).padEnd(widths.label);
  const verdict = sloVerdict(slo);
  if (verdict === 'deferred') return `${c.yellow('–')} ${label}  ${deferredText(slo)} (${slo.notJudged ? 'merged' : 'this segment'}: ${sloActual(slo)})`;
  const mark = verdict === 'pass' ? c.green('✓') : c.red('✗');
  // Pad before colouring: ANSI codes would count towards the width.
  const actualText = sloActual(slo).padStart(widths.actual);
  const actual = verdict === 'pass' ? actualText : c.red.bold(actualText);
  return `${mark} ${label}  ${actual}  vs ${sloThreshold(slo)}`;
}

function maxLength(texts: string[]): number {
  return Math.max(0, ...texts.map((t) => t.length));
}

function totalsSection(result: RunResult, c: ChalkInstance): string {
  const t = result.totals;
  const errors = formatErrors(t.errors, t.dropped, t.errorRate);
  const parts = [
    `${formatCount(t.requests)} requests`,
    `${formatRate(t.rps)} req/s`,
    t.errors > 0 ? c.red(errors) : errors,
    `${formatCount(t.dropped)} dropped`,
    formatLoadWindow(result.durationMs, result.drainMs),
    `${result.model} model`,
  ];
  const lines = [parts.join(' · ')];
  for (const note of runNotes(result, { reasons: false })) lines.push(c.yellow(note));
  return lines.join('\n');
}

const TABLE_HEAD = ['endpoint', 'requests', 'rps', 'err%', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms'];

function endpointTable(result: RunResult, c: ChalkInstance): string {
  // Empty styles: cli-table3 would otherwise colour by itself, independent of options.color.
  const table = new Table({
    head: TABLE_HEAD.map((h) => c.bold(h)),
    style: { head: [], border: [] },
    colAligns: ['left', ...TABLE_HEAD.slice(1).map(() => 'right' as const)],
  });
  for (const e of result.endpoints) table.push(endpointRow(e.name, e));
  table.push(endpointRow('TOTAL', result.totals).map((cell) => c.bold(cell)));
  return table.toString();
}

function endpointRow(name: string, s: Stats): string[] {
  const l = s.latencyMs;
  return [
    name,
    formatCount(s.requests),
    formatRate(s.rps),
    formatPercent(s.errorRate),
    ...formatLatencyCells(l),
  ];
}

function breakdownSection(result: RunResult, c: ChalkInstance): string {
  const t = result.totals;
  const lines = [
    countsLine('Status codes', statusEntries(t.statusCodes), c),
    countsLine('Error kinds', byFrequency(t.errorKinds as Record<string, number>), c),
    ...failedChecksLines(result, c),
  ];
  return lines.filter((l) => l !== '').join('\n');
}

function countsLine(title: string, entries: CountEntry[], c: ChalkInstance): string {
  if (entries.length === 0) return '';
  return `${c.dim(`${title}:`)} ${entries.map(([key, n]) => `${key} ×${formatCount(n)}`).join(' · ')}`;
}

function failedChecksLines(result: RunResult, c: ChalkInstance): string[] {
  const checks = failedChecks(result);
  if (checks.length === 0) return [];
  const width = Math.max(...checks.map((f) => f.endpoint.length));
  // Each check with its first failures: what was expected and what came back (and the body's start).
  return [
    c.dim('Failed checks:'),
    ...checks.flatMap((f) => [
      `  ${f.endpoint.padEnd(width)}  ${c.red(f.check)} ×${formatCount(f.count)}`,
      ...samplesOf(result, f.endpoint, f.check).flatMap((s) => [`    ${f.endpoint} ${s.check}: ${sampleText(s)}`, ...(s.body ? [c.dim(`      body: ${s.body}`)] : [])]),
    ]),
  ];
}
