// --max-regression: "10%" for every metric, or per metric "p99=15%,error_rate=0.5pp,rps=5%".
// A bare value may be mixed with per-metric ones ("10%,p99=20%"): the bare value is the base, names override it.
// A bare percentage never applies to error_rate: 10% of an error rate of 0.01% would flag 0.011% as a
// regression. error_rate keeps its 1pp default unless named (error_rate=0.5pp).
import { UsageError } from '../errors.js';
import { COMPARE_METRICS, type Bound, type CompareMetric, type RegressionBounds } from './types.js';

/** Used when no --max-regression is given: 10% for latencies and rps, 1 percentage point for error_rate. */
export function defaultRegressionBounds(): RegressionBounds {
  const bounds = uniformBounds({ value: 10, unit: '%' });
  bounds.error_rate = { value: 1, unit: 'pp' };
  return bounds;
}

export function parseRegressionBounds(text: string): RegressionBounds {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((item) => item === '')) fail(text, 'expected e.g. "10%" or "p99=15%,error_rate=0.5pp,rps=5%"');
  const bare = items.filter((item) => !item.includes('='));
  const named = items.filter((item) => item.includes('='));
  if (bare.length > 1) fail(text, 'give one bare bound at most');
  const bounds = defaultRegressionBounds();
  if (bare[0] !== undefined) Object.assign(bounds, uniformBounds(parseBound(text, bare[0], null)), { error_rate: bounds.error_rate });
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

/** "10%" or "0.5pp". */
export function formatBound(bound: Bound): string {
  return `${bound.value}${bound.unit}`;
}

function uniformBounds(bound: Bound): RegressionBounds {
  return Object.fromEntries(COMPARE_METRICS.map((m) => [m, { ...bound }])) as RegressionBounds;
}

function metricName(text: string, name: string): CompareMetric {
  const metric = name.toLowerCase();
  if ((COMPARE_METRICS as readonly string[]).includes(metric)) return metric as CompareMetric;
  return fail(text, `unknown metric "${name}" (known: ${COMPARE_METRICS.join(', ')})`);
}

/** `metric` null: a bare bound for every metric, so only "%" is accepted. */
function parseBound(text: string, raw: string, metric: CompareMetric | null): Bound {
  const m = /^(\d+(?:\.\d+)?)\s*(%|pp)$/.exec(raw);
  if (!m) return fail(text, `cannot read bound "${raw}": expected a percentage like 10%${metric === 'error_rate' ? ' or 0.5pp' : ''}`);
  const unit = m[2] as Bound['unit'];
  if (unit === 'pp' && metric !== 'error_rate') fail(text, `"pp" (percentage points) is for error_rate only`);
  return { value: Number(m[1]), unit };
}

function fail(text: string, why: string): never {
  throw new UsageError(`--max-regression "${text}": ${why}`);
}

/** All bounds, metrics with the same bound grouped: "p50, p90, p95, p99, max, mean, rps 10% · error_rate 1pp". */
export function formatBounds(bounds: RegressionBounds): string {
  const groups = new Map<string, CompareMetric[]>();
  for (const metric of COMPARE_METRICS) {
    const key = formatBound(bounds[metric]);
    groups.set(key, [...(groups.get(key) ?? []), metric]);
  }
  return [...groups].map(([bound, metrics]) => `${metrics.join(', ')} ${bound}`).join(' \u00b7 ');
}
