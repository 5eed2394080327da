// Which SLOs a merge judges: the ones given (from the scenario), else the ones the results carried. Pure.
import type { RunResult, SloSpec } from '../types.js';

export interface SloChoice {
  specs: SloSpec[];
  isDefault: boolean;
}

/**
 * The SLO specs the results were judged with, each distinct SLO once. Every verdict carries its whole spec
 * (expr, endpoint, metric, op, threshold, abortOnFail, windowMs); results written before abortOnFail and
 * windowMs were kept read as false and 0.
 */
export function slosCarriedBy(results: ReadonlyArray<Pick<RunResult, 'slo'>>): SloChoice {
  const specs = new Map<string, SloSpec>();
  let allDefault = true;
  for (const result of results) {
    for (const slo of result.slo) {
      allDefault &&= slo.isDefault;
      const spec: SloSpec = {
        expr: slo.expr,
        endpoint: slo.endpoint,
        metric: slo.metric,
        op: slo.op,
        threshold: slo.threshold,
        abortOnFail: slo.abortOnFail ?? false,
        windowMs: slo.windowMs ?? 0,
        ...(slo.tags ? { tags: slo.tags } : {}),
      };
      const key = JSON.stringify([spec.endpoint, spec.metric, spec.op, spec.threshold, spec.abortOnFail, spec.windowMs, spec.tags ?? null]);
      if (!specs.has(key)) specs.set(key, spec);
    }
  }
  return { specs: [...specs.values()], isDefault: specs.size > 0 && allDefault };
}
