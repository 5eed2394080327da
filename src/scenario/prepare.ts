// Scenario file → the Plan this generator runs: loaded, overridden from the command line, segmented.
// Shared by the CLI and by worker threads, which rebuild their plan (plans hold closures).
import type { Plan } from '../types.js';
import { segmentPlan } from '../segment/segment.js';
import { loadScenario } from './load.js';
import { applyOverrides, type LoadOverrides } from './overrides.js';

export async function preparePlan(
  file: string,
  env: Record<string, string | undefined>,
  overrides: LoadOverrides,
  segment?: { index: number; count: number },
): Promise<Plan> {
  const loadFromFlags = overrides.rate !== undefined || overrides.vus !== undefined;
  const plan = applyOverrides(await loadScenario(file, { env, target: overrides.target, loadFromFlags }), overrides);
  return segment && segment.count > 1 ? segmentPlan(plan, segment.index, segment.count) : plan;
}
