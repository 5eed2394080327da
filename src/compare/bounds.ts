// --max-regression: which metrics gate, and by how much. "10%" for the default metrics, or per metric
// "p95=10%+2ms,p99=15%,error_rate=0.5pp,rps=5%".
// - A latency bound has a relative part and an absolute floor: a change counts only past BOTH. Unless given
//   ("p99=15%+5ms", "p99=5ms" for the floor alone, "p50=10%+0ms" for none) the floor is 2 ms for p50 and mean,
//   5 ms for p90 and p95, 10 ms for p99 and max: a short run's tail is a handful of requests, and one
//   scheduling hiccup of a shared machine moves it by milliseconds. Measured on a loaded 2-core machine, 20
//   runs of 1.5 s against one unchanged ~0.3 ms loopback server: p90 0.2–1.4 ms (2.6 ms under heavier load),
//   p95 0.25–3.0 ms, p99 0.9–7.9 ms; with a 2 ms floor everywhere 50 of 380 ordered pairs were flagged, with
//   these floors none — and a 10 ms slower ~2.5 ms server was flagged in 60 of 60 pairs.
// - Named metrics alone gate only themselves: "p95=50%" gates p95 and nothing else.
// - A bare bound applies to the default latency metrics (p50, p90, p95, p99, mean); with it, error_rate keeps
//   its 1pp default (10% of an error rate of 0.01% would flag 0.011%). max and rps gate only when named.
import { UsageError } from '../errors.js';
import { COMPARE_METRICS, DEFAULT_GATED, LATENCY_METRICS, type Bound, type CompareMetric, type RegressionBounds } from './types.js';

/** The practical-significance floor of each latency metric when a bound does not give one. */
export const DEFAULT_FLOOR_MS: Readonly<Record<string, number>> = { p50: 2, mean: 2, p90: 5, p95: 5, p99: 10, max: 10 };
const DEFAULT_ERROR_RATE_BOUND: Bound = { value: 1, unit: 'pp' };

/** Used when no --max-regression is given: 10% (and the floor) for p50, p90, p95, p99 and mean, 1pp for error_rate. */
export function defaultRegressionBounds(): RegressionBounds {
  return withDefaultSet({ value: 10, unit: '%' }, false);
}

export function parseRegressionBounds(text: string): RegressionBounds {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((item) => item === '')) fail(text, 'expected e.g. "10%" or "p95=10%+2ms,error_rate=0.5pp,rps=5%"');
  const bare = items.filter((item) => !item.includes('='));
  const named = items.filter((item) => item.includes('='));
  if (bare.length > 1) fail(text, 'give one bare bound at most');
  const bareBound = bare[0] !== undefined ? parseBound(text, bare[0], null) : null;
  const bounds = bareBound ? withDefaultSet(bareBound, /ms\s*$/.test(bare[0]!)) : noneGated();
  const seen = new Set<string>();
  for (const item of named) {
    const [name = '', value = ''] = item.split('=').map((s) => s.trim());
    const metric = metricName(text, name);
    if (seen.has(metric)) fail(text, `${metric} is given twice`);
    seen.add(metric);
    bounds[metric] = parseBound(text, value, metric);
  }
  return bounds;
}

/** "10%+2ms", "0.5pp", "5%", "3ms". */
export function formatBound(bound: Bound): string {
  const relative = `${bound.value}${bound.unit}`;
  if (!bound.floorMs) return relative;
  return bound.value === 0 ? `${bound.floorMs}ms` : `${relative}+${bound.floorMs}ms`;
}

/** `explicitFloor`: the bare bound gave its own floor ("10%+1ms"), which then applies to every latency metric. */
function withDefaultSet(latency: Bound, explicitFloor: boolean): RegressionBounds {
  const bounds = noneGated();
  for (const metric of DEFAULT_GATED) {
    if (metric === 'error_rate') bounds[metric] = { ...DEFAULT_ERROR_RATE_BOUND };
    else bounds[metric] = { ...latency, floorMs: explicitFloor ? latency.floorMs : DEFAULT_FLOOR_MS[metric] };
  }
  return bounds;
}

function noneGated(): RegressionBounds {
  return Object.fromEntries(COMPARE_METRICS.map((m) => [m, null])) as RegressionBounds;
}

function metricName(text: string, name: string): CompareMetric {
  const metric = name.toLowerCase();
  if ((COMPARE_METRICS as readonly string[]).includes(metric)) return metric as CompareMetric;
  return fail(text, `unknown metric "${name}" (known: ${COMPARE_METRICS.join(', ')})`);
}

const BOUND = /^(?:(\d+(?:\.\d+)?)\s*(%|pp))?\s*(?:(\+)?\s*(\d+(?:\.\d+)?)\s*ms)?$/;

/** `metric` null: the bare bound for the default latency metrics. */
function parseBound(text: string, raw: string, metric: CompareMetric | null): Bound {
  const latency = metric === null || LATENCY_METRICS.includes(metric);
  const m = BOUND.exec(raw);
  const example = metric === 'error_rate' ? '0.5pp or 20%' : latency ? '10%, 10%+2ms or 5ms' : '10%';
  if (!m || (m[1] === undefined && m[4] === undefined) || (m[1] !== undefined && m[4] !== undefined && !m[3]) || (m[1] === undefined && m[3])) {
    return fail(text, `cannot read bound "${raw}": expected e.g. ${example}`);
  }
  const unit = (m[2] ?? '%') as Bound['unit'];
  if (unit === 'pp' && metric !== 'error_rate') fail(text, `"pp" (percentage points) is for error_rate only`);
  if (m[4] !== undefined && !latency) fail(text, `an "ms" floor is for latency metrics only (${LATENCY_METRICS.join(', ')})`);
  const bound: Bound = { value: m[1] === undefined ? 0 : Number(m[1]), unit };
  if (latency) bound.floorMs = m[4] === undefined ? (DEFAULT_FLOOR_MS[metric ?? 'p50'] ?? 2) : Number(m[4]);
  return bound;
}

function fail(text: string, why: string): never {
  throw new UsageError(`--max-regression "${text}": ${why}`);
}

/** Every bound, metrics with the same bound grouped: "p50, mean 10%+2ms · p90, p95 10%+5ms · p99 10%+10ms · error_rate 1pp · not gated: max, rps". */
export function formatBounds(bounds: RegressionBounds): string {
  const groups = new Map<string, CompareMetric[]>();
  const ungated: CompareMetric[] = [];
  for (const metric of COMPARE_METRICS) {
    const bound = bounds[metric];
    if (!bound) {
      ungated.push(metric);
      continue;
    }
    const key = formatBound(bound);
    groups.set(key, [...(groups.get(key) ?? []), metric]);
  }
  const parts = [...groups].map(([bound, metrics]) => `${metrics.join(', ')} ${bound}`);
  if (ungated.length) parts.push(`not gated: ${ungated.join(', ')}`);
  return parts.join(' \u00b7 ');
}
