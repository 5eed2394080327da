// Number formatting shared by every human-facing reporter, so the terminal, Markdown and HTML agree.
import type { LatencyStats } from '../types.js';
import { formatDuration } from '../scenario/units.js';

/** Milliseconds at a precision that matters: 2 decimals below 10, 1 below 100, whole above. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs < 10) return ms.toFixed(2);
  if (abs < 100) return ms.toFixed(1);
  return groupThousands(Math.round(ms));
}

/**
 * p50, p90, p95, p99 and max for a table row; "–" each when there is no latency at all (requests that got
 * no response have none: a 0.00 would read as instant answers).
 */
export function formatLatencyCells(l: LatencyStats): string[] {
  const values = [l.p50, l.p90, l.p95, l.p99, l.max];
  return l.max > 0 ? values.map(formatMs) : values.map(() => '–');
}

/** Whole counts with thousands separators (locale-independent, so goldens are stable). */
export function formatCount(n: number): string {
  return Number.isInteger(n) ? groupThousands(n) : formatRate(n);
}

/** Requests per second: more decimals for small rates, where they carry information. */
export function formatRate(perSecond: number): string {
  const abs = Math.abs(perSecond);
  if (abs < 10) return perSecond.toFixed(2);
  if (abs < 1000) return perSecond.toFixed(1);
  return groupThousands(Math.round(perSecond));
}

/** A fraction (0.003) as a percentage ("0.30%"). */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  if (pct === 0) return '0%';
  const abs = Math.abs(pct);
  if (abs < 10) return `${pct.toFixed(2)}%`;
  if (abs < 100) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

export function formatSeconds(ms: number): string {
  return formatDuration(ms);
}

/**
 * "56 errors (7.00%)"; with dropped arrivals, which count in the error rate, "0 errors (87.3% with the
 * dropped)", so the percentage never reads as errors over requests when it is not.
 */
export function formatErrors(errors: number, dropped: number, errorRate: number): string {
  const rate = dropped > 0 ? `${formatPercent(errorRate)} with the dropped` : formatPercent(errorRate);
  return `${formatCount(errors)} errors (${rate})`;
}

/** The load window, and the drain after it when there was one worth a mention: "10s (+52.4 ms drain)". */
export function formatLoadWindow(durationMs: number, drainMs: number | undefined): string {
  const drain = drainMs ?? 0;
  return drain >= 0.5 ? `${formatSeconds(durationMs)} (+${formatMs(drain)} ms drain)` : formatSeconds(durationMs);
}

/** A value in an SLO unit ('ms' | '%' | '/s' | ''), e.g. "12.3ms", "0.30%", "99.9/s", "1,000". */
export function formatUnitValue(value: number | null, unit: string): string {
  if (value === null) return 'no data';
  switch (unit) {
    case 'ms':
      return `${formatMs(value)}ms`;
    case '%':
      return formatPercent(value);
    case '/s':
      return `${formatRate(value)}/s`;
    default:
      return formatCount(value);
  }
}

/** A threshold as the user wrote it: "200ms", "1%", "100/s" (no padding zeros, which read as measured precision). */
export function formatThresholdValue(value: number, unit: string): string {
  const plain = (n: number): string => String(Number(n.toPrecision(6)));
  switch (unit) {
    case 'ms':
      return `${plain(value)}ms`;
    case '%':
      return `${plain(value * 100)}%`;
    case '/s':
      return `${plain(value)}/s`;
    default:
      return plain(value);
  }
}

function groupThousands(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
