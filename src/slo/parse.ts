// SLO expressions: "p95 < 200ms", "p99.9 <= 1s", "rps >= 100", "rps > 6000/m", "error_rate < 1%",
// "errors < 10", "dropped == 0", and k6's "p(95)<200" (milliseconds). Pure.
import type { SloOp, SloSpec } from '../types.js';
import { parseDuration } from '../scenario/units.js';

export interface ParsedSlo {
  metric: string;
  op: SloOp;
  threshold: number;
}

const EXPR = /^\s*([a-z_]+(?:\(\s*\d+(?:\.\d+)?\s*\))?|p\d+(?:\.\d+)?)\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$/i;
const LATENCY = /^(p\d+(\.\d+)?|min|mean|avg|max|med)$/;
const COUNTS = new Set(['requests', 'errors', 'dropped']);

export const SLO_METRICS = 'p<N> (p95, p99.9), min, mean, max, rps, requests, errors, error_rate, dropped';

/** Parse one expression; returns an error message instead of throwing. */
export function parseSlo(expr: string): ParsedSlo | { error: string } {
  const m = EXPR.exec(expr);
  if (!m) return { error: `cannot read SLO "${expr}": expected "<metric> <op> <value>", e.g. "p95 < 200ms"` };
  const metric = normalizeMetric(m[1]!.toLowerCase().replace(/\s+/g, ''));
  const op = m[2] as SloOp;
  const raw = m[3]!;
  if (metric === null) return { error: `unknown SLO metric "${m[1]}"${k6Hint(m[1]!.toLowerCase())} (known: ${SLO_METRICS})` };
  const ambiguity = metric === 'error_rate' ? errorRateProblem(raw) : null;
  if (ambiguity) return { error: `cannot read threshold "${raw}" for error_rate: ${ambiguity}` };
  const threshold = parseThreshold(metric, raw);
  if (threshold === null) return { error: `cannot read threshold "${raw}" for ${metric}${hintFor(metric)}` };
  return { metric, op, threshold };
}

// k6 users write its metric names; say which of ours they mean rather than only listing them.
const K6_WORDS: Record<string, string> = {
  rate: 'error_rate (e.g. "error_rate < 1%")',
  http_req_failed: 'error_rate (e.g. "error_rate < 1%")',
  count: 'requests (e.g. "requests > 100")',
  http_reqs: 'requests or rps (e.g. "requests > 100", "rps >= 50")',
  iterations: 'requests (e.g. "requests > 100")',
  http_req_duration: 'p95, p99 or another latency (e.g. "p95 < 200ms")',
  latency: 'p95, p99 or another latency (e.g. "p95 < 200ms")',
  duration: 'p95, p99 or another latency (e.g. "p95 < 200ms")',
  error_count: 'errors (e.g. "errors < 10")',
  throughput: 'rps (e.g. "rps >= 100")',
};

function k6Hint(name: string): string {
  const hint = K6_WORDS[name];
  return hint ? `: did you mean ${hint}?` : '';
}

/**
 * A bare number is a fraction (0.01 = 1%). "error_rate < 1" would read as 100% — which passes everything —
 * when the user almost surely meant 1%: a bare number of 1 or more is refused, as is a percentage above 100.
 */
function errorRateProblem(raw: string): string | null {
  if (raw.endsWith('%')) {
    const pct = Number(raw.slice(0, -1));
    return Number.isFinite(pct) && pct > 100 ? 'a percentage is at most 100%' : null;
  }
  const n = Number(raw);
  if (/^\d+(\.\d+)?$/.test(raw) && n >= 1) {
    return `a bare number is a fraction (0.01 = 1%), so ${raw} would mean ${n * 100}%; write "${raw}%" for ${raw} per cent (or a fraction below 1)`;
  }
  return null;
}

function normalizeMetric(name: string): string | null {
  const k6 = /^p\((\d+(?:\.\d+)?)\)$/.exec(name);
  if (k6) name = `p${k6[1]}`;
  if (name === 'avg') return 'mean';
  if (name === 'med') return 'p50';
  if (name === 'error_rate' || name === 'rps' || COUNTS.has(name)) return name;
  if (LATENCY.test(name)) {
    if (name.startsWith('p') && Number(name.slice(1)) > 100) return null;
    return name;
  }
  return null;
}

function parseThreshold(metric: string, raw: string): number | null {
  if (isLatencyMetric(metric)) return parseDuration(raw);
  if (metric === 'error_rate') {
    if (raw.endsWith('pp')) return null;
    if (raw.endsWith('%')) return numberOrNull(raw.slice(0, -1), (n) => n / 100);
    return numberOrNull(raw, (n) => n);
  }
  if (metric === 'rps') {
    // like phase rates: per second, or per minute
    if (raw.endsWith('/m')) return numberOrNull(raw.slice(0, -2), (n) => n / 60);
    return numberOrNull(raw.replace(/\/s$/, ''), (n) => n);
  }
  return numberOrNull(raw, (n) => n);
}

function numberOrNull(text: string, convert: (n: number) => number): number | null {
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  return convert(Number(text));
}

function hintFor(metric: string): string {
  if (isLatencyMetric(metric)) return ' (a duration like 200ms or 1.5s)';
  if (metric === 'error_rate') return ' (a percentage like 1% or a fraction like 0.01)';
  return ' (a number)';
}

export function isLatencyMetric(metric: string): boolean {
  return LATENCY.test(metric);
}

export function unitOf(metric: string): string {
  if (isLatencyMetric(metric)) return 'ms';
  if (metric === 'error_rate') return '%';
  if (metric === 'rps') return '/s';
  return '';
}

/** The classic API targets, applied when a scenario has no `slo:`. */
export const DEFAULT_SLO_EXPRS = ['p95 < 200ms', 'rps >= 100', 'error_rate < 1%'] as const;

export function defaultSlos(): SloSpec[] {
  return DEFAULT_SLO_EXPRS.map((expr) => {
    const parsed = parseSlo(expr) as ParsedSlo;
    return { expr, endpoint: null, ...parsed, abortOnFail: false, windowMs: 0 };
  });
}
