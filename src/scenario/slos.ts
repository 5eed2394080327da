// `slo:` entries → SloSpec. Accepts "p95 < 200ms", "get-product: p99 < 300ms" (quoted, or YAML's map
// form `- get-product: p99 < 300ms`) and { expr, endpoint?, abortOnFail?, window? }.
import type { SloSpec } from '../types.js';
import { defaultSlos, parseSlo } from '../slo/parse.js';
import { didYouMean, type FieldPath, type ProblemSink } from './problems.js';
import { parseDuration } from './units.js';

const ENDPOINT_PREFIX = /^\s*((?:flow:)?[^:]+?)\s*:\s+(.+)$/;

// k6 thresholds are keyed by metric ("http_req_duration: p(95)<200"); bench's prefix is an endpoint.
const K6_METRIC_PREFIXES: Record<string, string> = {
  http_req_duration: '"p95 < 200ms" (no prefix)',
  http_req_failed: '"error_rate < 1%" (no prefix)',
  http_reqs: '"requests > 100" or "rps >= 50" (no prefix)',
  checks: '"error_rate < 1%" (no prefix)',
};

export function compileSlos(raw: unknown, endpoints: readonly string[], problems: ProblemSink, flows: readonly string[] = []): { slo: SloSpec[]; sloDefaults: boolean } {
  if (raw === undefined || raw === null) return { slo: defaultSlos(), sloDefaults: true };
  if (!Array.isArray(raw)) return { slo: [], sloDefaults: false };
  const slo = raw.flatMap((item, index) => {
    const spec = compileOne(item, ['slo', index], endpoints, problems, flows);
    return spec ? [spec] : [];
  });
  return { slo, sloDefaults: false };
}

interface SloEntry {
  /** the expression without its endpoint prefix */
  expr: string;
  endpoint: string | null;
  abortOnFail: boolean;
  window: unknown;
  path: FieldPath;
  tags?: Record<string, string>;
}

function entryOf(item: unknown, path: FieldPath): SloEntry | null {
  if (typeof item === 'string') {
    const prefixed = ENDPOINT_PREFIX.exec(item);
    const [expr, endpoint] = prefixed ? [prefixed[2]!, prefixed[1]!] : [item, null];
    return { expr, endpoint, abortOnFail: false, window: undefined, path };
  }
  if (item === null || typeof item !== 'object') return null;
  const spec = item as Record<string, unknown>;
  if (typeof spec.expr === 'string') {
    const endpoint = typeof spec.endpoint === 'string' ? spec.endpoint : null;
    const tags = spec.tags !== null && typeof spec.tags === 'object' ? Object.fromEntries(Object.entries(spec.tags).map(([k, v]) => [k, String(v)])) : undefined;
    return { expr: spec.expr, endpoint, abortOnFail: spec.abortOnFail === true, window: spec.window, path: [...path, 'expr'], ...(tags ? { tags } : {}) };
  }
  const [first] = Object.entries(spec);
  if (!first || typeof first[1] !== 'string') return null;
  return { expr: first[1], endpoint: first[0], abortOnFail: false, window: undefined, path: [...path, first[0]] };
}

function compileOne(item: unknown, path: FieldPath, endpoints: readonly string[], problems: ProblemSink, flows: readonly string[]): SloSpec | null {
  const entry = entryOf(item, path);
  if (!entry) return null;
  const parsed = parseSlo(entry.expr);
  if ('error' in parsed) {
    problems.add(entry.path, parsed.error);
    return null;
  }
  if (entry.endpoint?.startsWith('flow:')) {
    const flow = entry.endpoint.slice('flow:'.length);
    if (!flows.includes(flow)) problems.add(entry.path, `no flow is named "${flow}"${didYouMean(flow, flows)} (flows: ${flows.join(', ') || 'none'})`);
  } else if (entry.endpoint !== null && !endpoints.includes(entry.endpoint)) {
    const k6 = K6_METRIC_PREFIXES[entry.endpoint.toLowerCase()];
    const hint = k6 ? `; k6's "${entry.endpoint}: …" is bench's ${k6}` : didYouMean(entry.endpoint, endpoints);
    problems.add(entry.path, `no step is named "${entry.endpoint}"${hint} (endpoints: ${endpoints.join(', ') || 'none'})`);
  }
  const windowMs = entry.window === undefined ? 0 : (parseDuration(entry.window) ?? 0);
  // The endpoint travels in its own field; reports add it next to the expression.
  return { expr: entry.expr, endpoint: entry.endpoint, ...parsed, abortOnFail: entry.abortOnFail, windowMs, ...(entry.tags ? { tags: entry.tags } : {}) };
}
