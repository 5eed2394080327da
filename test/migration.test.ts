// Migration hints: an Artillery script or k6 habits get their words mapped onto bench's.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ScenarioError } from '../src/errors.js';
import { parseScenario } from '../src/scenario/load.js';
import { ensureBuilt, runCli, REPO_ROOT } from './helpers/cli.js';

async function messages(text: string): Promise<string[]> {
  const error = await parseScenario(text, '/s.yml', { env: {} }).then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).problems.map((p) => `${p.path} ${p.message}`);
}

describe('migration hints', () => {
  it('an Artillery script at bench validate gets the migration hint (exit 2)', async () => {
    await ensureBuilt();
    const run = await runCli(['validate', join(REPO_ROOT, 'test', 'fixtures', 'scenarios', 'artillery.yml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('this looks like an Artillery script: config.target → target, config.phases → load (arrivalRate → rate');
    expect(run.stderr).toContain('ensure → slo');
    expect(run.stderr).toContain('unknown key "scenarios" (did you mean "flows"?)');
  });

  it('did-you-mean maps arrivalRate → rate, ensure/thresholds → slo, scenarios → flows', async () => {
    const base = 'flows:\n  - steps:\n      - get: /x\n';
    expect(await messages(`load:\n  - { duration: 1s, arrivalRate: 5 }\n${base}`)).toContain('load[0].arrivalRate unknown key "arrivalRate" (did you mean "rate"?)');
    expect(await messages(`load:\n  - { duration: 1s, rate: 5 }\n${base}ensure:\n  p95: 200\n`)).toContain('ensure unknown key "ensure" (did you mean "slo"?)');
    const k6 = await messages(`load:\n  - { duration: 1s, rate: 5 }\n${base}thresholds:\n  http_req_duration: ["p(95)<200"]\n`);
    expect(k6).toContain('thresholds unknown key "thresholds" (did you mean "slo"?)');
    expect(k6.some((m) => m.includes('this looks like k6 options: stages → load phases'))).toBe(true);
    expect(await messages(`load:\n  - { duration: 1s, rate: 5 }\nscenarios:\n  - steps:\n      - get: /x\n`)).toContain('scenarios unknown key "scenarios" (did you mean "flows"?)');
  });

  it('a bench file with a plain typo gets no migration hint', async () => {
    const found = await messages('laod:\n  - { duration: 1s, rate: 5 }\nflows:\n  - steps:\n      - get: /x\n');
    expect(found.some((m) => m.includes('looks like'))).toBe(false);
    expect(found).toContain('laod unknown key "laod" (did you mean "load"?)');
  });
});
