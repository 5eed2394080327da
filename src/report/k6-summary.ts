// k6's legacy end-of-test summary (`k6 run --summary-export`), the file GitLab's Load Performance
// widget reads: metrics.http_reqs.rate, metrics.http_req_waiting["p(90)"] and ["p(95)"] (ms),
// metrics.checks.passes / fails. Pure: result → string.
//
// How bench's figures map (bench measures requests, not k6's phases of a request):
// - http_req_duration: bench's latency (from the intended send time: what bench's SLOs judge);
// - http_req_waiting: bench's service time (send → end of response; bench has no separate TTFB);
// - checks: each response is checked once by the step's `expect`; a failed status or check fails it,
//   a request without a response (timeout, connect, reset…) is no check (it is in http_req_failed);
// - http_req_failed: k6's rate metric, whose `passes` counts the *failed* requests (k6's quirk);
// - iterations: journeys started, read as the requests of the first endpoint (exact for one flow);
// - thresholds: one per SLO, under the k6 metric it judges, and — as k6's legacy summary writes
//   them — `true` means the threshold FAILED.
import type { EndpointStats, RunResult, SloResult, Stats } from '../types.js';
import type { ReportOptions } from './options.js';

type Trend = Record<'avg' | 'min' | 'med' | 'max' | 'p(90)' | 'p(95)', number>;
type Metric = Record<string, unknown> & { thresholds?: Record<string, boolean> };

export function k6SummaryReport(result: RunResult, options: ReportOptions): string {
  const seconds = result.durationMs / 1000;
  const rate = (n: number): number => (seconds > 0 ? round(n / seconds) : 0);
  const t = result.totals;
  const checksFailed = checkFailures(t);
  const responded = t.requests - (t.errors - checksFailed);
  const iterations = result.endpoints[0]?.requests ?? t.requests;
  const metrics: Record<string, Metric> = {
    // bench's own rps (the figure its SLOs judge), not a second definition of the window
    http_reqs: { count: t.requests, rate: t.rps },
    http_req_duration: trend(t.latencyMs),
    http_req_waiting: trend(t.serviceTimeMs),
    http_req_failed: { passes: t.errors, fails: t.requests - t.errors, value: round(t.errorRate) },
    checks: { passes: responded - checksFailed, fails: checksFailed, value: responded > 0 ? round((responded - checksFailed) / responded) : 0 },
    iterations: { count: iterations, rate: rate(iterations) },
    dropped_iterations: { count: t.dropped, rate: rate(t.dropped) },
  };
  for (const e of result.endpoints) {
    metrics[`http_req_duration{name:${e.name}}`] = trend(e.latencyMs);
    metrics[`http_reqs{name:${e.name}}`] = { count: e.requests, rate: e.rps };
    metrics[`http_req_failed{name:${e.name}}`] = failed(e);
  }
  for (const slo of result.slo) {
    const { metric, expr } = k6Threshold(slo);
    const m = (metrics[metric] ??= {});
    (m.thresholds ??= {})[expr] = !slo.pass;
  }
  const summary = {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
    options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'], summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: result.durationMs },
    metrics,
  };
  const text = JSON.stringify(summary, null, 4) + '\n';
  return options.redact ? options.redact(text) : text;
}

function trend(l: Stats['latencyMs']): Trend {
  return { avg: l.mean, min: l.min, med: l.p50, max: l.max, 'p(90)': l.p90, 'p(95)': l.p95 };
}

function failed(e: EndpointStats): Metric {
  return { passes: e.errors, fails: e.requests - e.errors, value: round(e.errorRate) };
}

function checkFailures(s: Stats): number {
  return (s.errorKinds.status ?? 0) + (s.errorKinds.check ?? 0);
}

const TREND_STAT: Record<string, string> = { mean: 'avg', min: 'min', max: 'max' };

/** The k6 metric and threshold expression for an SLO, e.g. p95 < 200ms → http_req_duration "p(95)<200". */
export function k6Threshold(slo: Pick<SloResult, 'metric' | 'op' | 'threshold' | 'endpoint'>): { metric: string; expr: string } {
  const sub = (name: string): string => (slo.endpoint ? `${name}{name:${slo.endpoint}}` : name);
  const p = /^p(\d+(?:\.\d+)?)$/.exec(slo.metric);
  const stat = p ? `p(${p[1]})` : TREND_STAT[slo.metric];
  if (stat) return { metric: sub('http_req_duration'), expr: `${stat}${slo.op}${slo.threshold}` };
  if (slo.metric === 'error_rate') return { metric: sub('http_req_failed'), expr: `rate${slo.op}${slo.threshold}` };
  if (slo.metric === 'rps') return { metric: sub('http_reqs'), expr: `rate${slo.op}${slo.threshold}` };
  if (slo.metric === 'requests') return { metric: sub('http_reqs'), expr: `count${slo.op}${slo.threshold}` };
  if (slo.metric === 'dropped') return { metric: 'dropped_iterations', expr: `count${slo.op}${slo.threshold}` };
  return { metric: sub(`bench_${slo.metric}`), expr: `count${slo.op}${slo.threshold}` };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
