// Format name → reporter. The CLI picks formats and decides where each string goes
// (result.json, report.md, junit.xml, report.html, latency.hlog; terminal to stdout/stderr).
import type { Reporter } from './options.js';
import { hlogReport } from './hlog.js';
import { htmlReport } from './html.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';
import { k6SummaryReport } from './k6-summary.js';
import { markdownReport } from './markdown.js';
import { terminalReport } from './terminal.js';

export type { ReportOptions, Reporter } from './options.js';
export { makeRedactor, type Redactor } from './redact.js';

export type ReportFormat = 'terminal' | 'md' | 'junit' | 'html' | 'hlog' | 'json' | 'k6';

export const reporters: Record<ReportFormat, Reporter> = {
  terminal: terminalReport,
  md: markdownReport,
  junit: junitReport,
  html: htmlReport,
  hlog: hlogReport,
  json: jsonReport,
  /** k6's legacy --summary-export JSON (GitLab's Load Performance widget); written on request only */
  k6: k6SummaryReport,
};

/** The file each format is saved as in the out dir (the terminal report is printed, not saved). */
export const REPORT_FILES: Record<Exclude<ReportFormat, 'terminal' | 'k6'>, string> = {
  json: 'result.json',
  md: 'report.md',
  junit: 'junit.xml',
  html: 'report.html',
  hlog: 'latency.hlog',
};
