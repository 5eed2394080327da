// The HdrHistogram interval log (format 1.3), one line per second of the run, readable by HdrHistogram's
// HistogramLogProcessor, HistogramLogAnalyzer and hdr-histogram-js's HistogramLogReader.
// Written by hand: hdr-histogram-js's writer prints StartTime as a locale date plus a stray blank line.
import type { RunResult } from '../types.js';
import type { ReportOptions } from './options.js';
import { decodeHistogram } from '../metrics/histogram.js';
import { redactResult } from './redact-result.js';

// Histograms hold microseconds; the log's Interval_Max is in milliseconds, as the plotting tools expect.
const MAX_VALUE_UNIT_RATIO = 1000;

export function hlogReport(raw: RunResult, options: ReportOptions): string {
  const result = redactResult(raw, options.redact);
  const startMs = Date.parse(result.startedAt);
  const startSec = Number.isFinite(startMs) ? startMs / 1000 : 0;
  const lines = [
    `#[Logged with ${result.tool.name} ${result.tool.version}: scenario ${oneLine(result.scenario)}, target ${oneLine(result.target)}]`,
    '#[Histogram log format version 1.3]',
    `#[StartTime: ${startSec.toFixed(3)} (seconds since epoch), ${isoOrUnknown(startMs)}]`,
    `#[BaseTime: ${startSec.toFixed(3)} (seconds since epoch)]`,
    '#[Values are latencies in microseconds, measured from the intended send time; Interval_Max in milliseconds]',
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
    ...result.timeline.filter((p) => p.histogram).map((p) => intervalLine(p.second, p.histogram, p.partial ? (p.durationMs ?? 1000) / 1000 : 1)),
  ];
  return lines.join('\n') + '\n';
}

/** Timestamps are relative to BaseTime, so the reader adds them to the run's start. */
/** A partial last second is as long as the part of it the run covered. */
function intervalLine(second: number, histogram: string, lengthSeconds: number): string {
  const maxUs = decodeHistogram(histogram).maxValue;
  return `${second.toFixed(3)},${Math.max(0.001, lengthSeconds).toFixed(3)},${(maxUs / MAX_VALUE_UNIT_RATIO).toFixed(3)},${histogram}`;
}

function isoOrUnknown(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'unknown';
}

/** Comment lines must stay one line whatever a scenario name contains. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\]]+/g, ' ');
}
