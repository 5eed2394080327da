// `bench validate`: load and check only. Problems are thrown as ScenarioError (exit 2) by the loader.
import { resolve } from 'node:path';
import { loadScenario } from '../scenario/load.js';
import { EXIT } from '../errors.js';
import type { Console } from './console.js';
import { dryRun } from './http-debug.js';

export async function validateCommand(file: string, io: Console, options: { dryRun?: boolean } = {}): Promise<number> {
  const plan = await loadScenario(resolve(file), { env: io.env });
  for (const warning of plan.warnings ?? []) io.err(`${file}: warning: ${warning}`);
  if (options.dryRun) dryRun(plan, (line) => io.out(line));
  const phases = plan.phases.length;
  io.err(`${file}: valid — ${plan.flows.length} flow${plural(plan.flows.length)}, ${plan.endpoints.length} endpoint${plural(plan.endpoints.length)}, ${phases} phase${plural(phases)}, ${plan.slo.length} SLO${plural(plan.slo.length)}${plan.sloDefaults ? ' (defaults)' : ''}`);
  return EXIT.ok;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
