// GitHub-flavoured Markdown for PR comments and $GITHUB_STEP_SUMMARY (which caps at 1 MiB):
// everything bounded — the timeline is summarised to a fixed number of rows however long the run.
import type { RunResult, SloResult, Stats } from '../types.js';
import type { ReportOptions } from './options.js';
import { escapeMarkdownCell as cell } from './escape.js';
import { formatCount, formatErrors, formatLatencyCells, formatLoadWindow, formatMs, formatPercent, formatRate } from './format.js';
import { byFrequency, failedChecks, sampleText, samplesOf, statusEntries, type CountEntry } from './counts.js';
import { redactResult } from './redact-result.js';
import { runNotes, verdictLabel, type VerdictLabel } from './run-notes.js';
import { deferredText, sloActual, sloThreshold, sloVerdict } from './slo-view.js';
import { summarizeTimeline } from './timeline.js';

/** Enough to see the shape of a run; the HTML report has every second. */
export const MARKDOWN_TIMELINE_ROWS = 60;

export function markdownReport(raw: RunResult, options: ReportOptions): string {
  const result = redactResult(raw, options.redact);
  const blocks = [
    headline(result),
    summaryLine(result),
    sloTable(result),
    endpointTable(result),
    details('Status codes', countTable('status', statusEntries(result.totals.statusCodes))),
    details('Error kinds', countTable('error kind', byFrequency(result.totals.errorKinds as Record<string, number>))),
    details('Failed checks', failedChecksTable(result)),
    timelineDetails(result),
  ].filter((b) => b !== '');
  const text = blocks.join('\n\n') + '\n';
  return options.redact ? options.redact(text) : text;
}

const HEADLINE: Record<VerdictLabel, string> = {
  PASS: '✅ PASS',
  FAIL: '❌ FAIL',
  INTERRUPTED: '⏹️ INTERRUPTED',
  ABORTED: '❌ ABORTED (abortOnFail)',
  STOPPED: '❌ STOPPED EARLY',
};

function headline(result: RunResult): string {
  return `## ${HEADLINE[verdictLabel(result)]} — ${cell(result.scenario)} → ${cell(result.target)}`;
}

function summaryLine(result: RunResult): string {
  const t = result.totals;
  const facts = [
    `**${formatCount(t.requests)}** requests`,
    `${formatRate(t.rps)} req/s`,
    formatErrors(t.errors, t.dropped, t.errorRate),
    `${formatCount(t.dropped)} dropped`,
    formatLoadWindow(result.durationMs, result.drainMs),
    `${result.model} model`,
    `started ${cell(result.startedAt)}`,
  ];
  const notes = runNotes(result).map((n) => `> ${cell(n)}`);
  return [facts.join(' · '), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

const VERDICT_TEXT = { pass: '✅ pass', fail: '❌ fail', deferred: '⏸ deferred to merge' } as const;

function sloTable(result: RunResult): string {
  if (result.slo.length === 0) return '_No SLOs._';
  const rows = result.slo.map((s: SloResult) =>
    row([cell(s.expr), cell(s.endpoint ?? 'total'), sloActual(s), cell(sloThreshold(s)), sloVerdict(s) === 'deferred' ? `⏸ ${cell(deferredText(s))}` : VERDICT_TEXT[sloVerdict(s)]]),
  );
  const title = result.sloDefaults ? '### SLOs (defaults: the scenario has no `slo:`)' : '### SLOs';
  return [title, '', row(['SLO', 'endpoint', 'actual', 'threshold', 'result']), '|---|---|--:|--:|---|', ...rows].join('\n');
}

function endpointTable(result: RunResult): string {
  const head = row(['endpoint', 'requests', 'rps', 'err%', 'p50 ms', 'p90 ms', 'p95 ms', 'p99 ms', 'max ms']);
  const rows = result.endpoints.map((e) => row(statsCells(cell(e.name), e)));
  rows.push(row(statsCells('**TOTAL**', result.totals)));
  return ['### Endpoints', '', head, '|---|--:|--:|--:|--:|--:|--:|--:|--:|', ...rows].join('\n');
}

function statsCells(name: string, s: Stats): string[] {
  const l = s.latencyMs;
  return [name, formatCount(s.requests), formatRate(s.rps), formatPercent(s.errorRate), ...formatLatencyCells(l)];
}

function countTable(title: string, entries: CountEntry[]): string {
  if (entries.length === 0) return '';
  return [row([title, 'count']), '|---|--:|', ...entries.map(([k, n]) => row([cell(k), formatCount(n)]))].join('\n');
}

function failedChecksTable(result: RunResult): string {
  const checks = failedChecks(result);
  if (checks.length === 0) return '';
  const rows = checks.map((f) => row([cell(f.endpoint), cell(f.check), formatCount(f.count), cell(samplesOf(result, f.endpoint, f.check).map(sampleText).join(' / '))]));
  return [row(['endpoint', 'check', 'failures', 'first failures']), '|---|---|--:|---|', ...rows].join('\n');
}

function timelineDetails(result: RunResult): string {
  const rows = summarizeTimeline(result.timeline, MARKDOWN_TIMELINE_ROWS);
  if (rows.length === 0) return '';
  const span = rows[0]!.toSecond - rows[0]!.fromSecond;
  const head = row(['seconds', 'requests', 'rps', 'errors', 'dropped', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms']);
  const body = rows.map((r) =>
    row([
      `${r.fromSecond}–${r.toSecond}`,
      formatCount(r.requests),
      formatRate(r.rps),
      formatCount(r.errors),
      formatCount(r.dropped),
      ...[r.p50Ms, r.p95Ms, r.p99Ms, r.maxMs].map(formatMs),
    ]),
  );
  const table = [head, '|---|--:|--:|--:|--:|--:|--:|--:|--:|', ...body].join('\n');
  return details(`Timeline (${rows.length} rows of ${span}s)`, table);
}

/** A collapsed section; nothing at all when it would be empty. Blank lines let GitHub render the table inside. */
function details(summary: string, body: string): string {
  if (body === '') return '';
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}
