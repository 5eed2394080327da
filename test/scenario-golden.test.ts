// Text the user reads: `bench validate`'s problem list and `bench init`'s starter file.
// UPDATE_GOLDEN=1 rewrites the golden files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../src/errors.js';
import { initTemplate } from '../src/scenario/init.js';
import { loadScenario } from '../src/scenario/load.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const FIXTURES = join(import.meta.dirname, 'fixtures', 'scenarios');

function matchGolden(name: string, text: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN || !existsSync(file)) writeFileSync(file, text);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('golden text', () => {
  it('the problem list of an invalid scenario', async () => {
    const error = await loadScenario(join(FIXTURES, 'invalid-many.yml'), { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const text = `${(error as Error).message.replaceAll(`${FIXTURES}/`, '')}\n`;
    expect(text.split('\n')[0]).toBe('invalid-many.yml:2:9  target  is not an http(s) URL, e.g. http://127.0.0.1:3000');
    matchGolden('scenario-invalid-many.txt', text);
  });

  it('the bench init starter scenario', () => {
    matchGolden('scenario-init.yml', initTemplate());
  });
});
