// reports/<scenario>-<timestamp>/ by default: sortable, safe in every file system.
export function defaultOutDir(scenario: string, startedAtMs: number): string {
  const stamp = new Date(startedAtMs).toISOString().replace(/[:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const safe = scenario.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  return `reports/${safe}-${stamp}`;
}
