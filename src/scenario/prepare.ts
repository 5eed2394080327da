// Scenario file → the Plan this generator runs: loaded, overridden from the command line, segmented.
// Shared by the CLI and by worker threads, which rebuild their plan (plans hold closures).
import { readFile } from 'node:fs/promises';
import type { Plan } from '../types.js';
import { segmentPlan } from '../segment/segment.js';
import { planFingerprint } from '../segment/fingerprint.js';
import { loadScenario } from './load.js';
import { applyOverrides, type LoadOverrides } from './overrides.js';

export async function preparePlan(
  file: string,
  env: Record<string, string | undefined>,
  overrides: LoadOverrides,
  segment?: { index: number; count: number },
): Promise<Plan> {
  return (await preparePlanAndFingerprint(file, env, overrides, segment)).plan;
}

/** The plan, and the fingerprint of the whole (unsplit) plan that every segment of the run shares. */
export async function preparePlanAndFingerprint(
  file: string,
  env: Record<string, string | undefined>,
  overrides: LoadOverrides,
  segment?: { index: number; count: number },
): Promise<{ plan: Plan; fingerprint: string }> {
  const whole = applyOverrides(await loadScenario(file, { env, target: overrides.target, loadFromFlags: overrides.rate !== undefined || overrides.vus !== undefined }), overrides);
  const count = segment?.count ?? 1;
  const fingerprint = planFingerprint(whole, await readFile(file), count);
  return { plan: segment && segment.count > 1 ? segmentPlan(whole, segment.index, segment.count) : whole, fingerprint };
}
