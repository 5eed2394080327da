// Which SLOs a merge judges: the ones given (from the scenario), else the ones the segments carried.
import type { RunResult, SloSpec } from '../types.js';

export interface SloChoice {
  specs: SloSpec[];
  isDefault: boolean;
}

/**
 * Rebuild the SLO specs from the results' verdicts (expr, endpoint, metric, op and threshold are all
 * there), each distinct SLO once. abortOnFail and windowMs only matter during a run, so they are reset.
 */
export function slosCarriedBy(results: readonly RunResult[]): SloChoice {
  const specs = new Map<string, SloSpec>();
  let allDefault = true;
  for (const result of results) {
    for (const slo of result.slo) {
      allDefault &&= slo.isDefault;
      const key = JSON.stringify([slo.endpoint, slo.metric, slo.op, slo.threshold]);
      if (!specs.has(key)) {
        specs.set(key, { expr: slo.expr, endpoint: slo.endpoint, metric: slo.metric, op: slo.op, threshold: slo.threshold, abortOnFail: false, windowMs: 0 });
      }
    }
  }
  return { specs: [...specs.values()], isDefault: specs.size > 0 && allDefault };
}
