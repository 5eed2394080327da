// dashboards/bench-prometheus.json: every PromQL expression in it (panels and variables) names only
// series bench writes (src/stream/series.ts), and names at least one. The Prometheus end-to-end test
// also runs every panel expression against a real stream and expects data.
import { describe, expect, it } from 'vitest';
import { seriesNames } from '../src/stream/series.js';
import { dashboardExpressions } from './helpers/dashboard.js';

describe('Grafana dashboard', () => {
  it('every PromQL expression names series bench writes, and only those', () => {
    const { panels, variables } = dashboardExpressions();
    const exprs = [...panels.map((p) => p.expr), ...variables];
    expect(exprs.length).toBeGreaterThanOrEqual(10);
    const known = new Set(seriesNames());
    for (const expr of exprs) {
      const names = [...expr.matchAll(/\bbench_[a-z_]+\b/g)].map((m) => m[0]);
      expect(names.length, expr).toBeGreaterThan(0);
      for (const name of names) expect(known.has(name), `${name} in ${expr}`).toBe(true);
    }
    // the panels the issue asks for
    const all = exprs.join('\n');
    for (const series of ['bench_requests_total', 'bench_errors_total', 'bench_request_duration_seconds', 'bench_slo_threshold_seconds', 'bench_scheduled_rate', 'bench_achieved_rate']) expect(all).toContain(series);
    expect(all).toMatch(/histogram_quantile\(0\.95, sum\(rate\(bench_request_duration_seconds\{/);
  });
});
