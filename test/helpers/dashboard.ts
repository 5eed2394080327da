// The PromQL in dashboards/bench-prometheus.json: panel targets and query variables.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

interface Dashboard {
  panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
  templating: { list: Array<{ type: string; query?: { query?: string } }> };
}

export function dashboardExpressions(): { panels: Array<{ title: string; expr: string }>; variables: string[] } {
  const dash = JSON.parse(readFileSync(join(REPO_ROOT, 'dashboards', 'bench-prometheus.json'), 'utf8')) as Dashboard;
  return {
    panels: dash.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr }))),
    variables: dash.templating.list.flatMap((v) => (v.type === 'query' && v.query?.query ? [v.query.query] : [])),
  };
}

/** A panel expression as Grafana would send it for one scenario. */
export function instantiate(expr: string, scenario: string): string {
  return expr.replaceAll('$scenario', scenario).replaceAll('$endpoint', '.*').replaceAll('$__rate_interval', '1m');
}
