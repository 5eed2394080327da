import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkAgainstSchema } from '../src/scenario/schema-check.js';
import { scenarioSchema, schemaFileText } from '../src/scenario/schema.js';
import { SCHEMA_FILE, writeSchemaFile } from '../src/scenario/write-schema.js';
import { loadScenario } from '../src/scenario/load.js';
import { initTemplate } from '../src/scenario/init.js';
import { parseScenario } from '../src/scenario/load.js';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');
const examples = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yml'));

describe('schema/scenario.schema.json', () => {
  it('is generated from the schema object (UPDATE_SCHEMA=1 rewrites it)', async () => {
    if (process.env.UPDATE_SCHEMA) await writeSchemaFile();
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaFileText());
    expect(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))).toEqual(scenarioSchema);
  });

  it('is draft-07 with the definitions it references', () => {
    expect(scenarioSchema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const refs = [...schemaFileText().matchAll(/"\$ref": "#\/definitions\/(\w+)"/g)].map((m) => m[1]!);
    const definitions = scenarioSchema.definitions as Record<string, unknown>;
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(definitions[ref], ref).toBeDefined();
  });
});

describe('example scenarios', () => {
  const published = () => JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

  it('has the required examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['quickstart.yml', 'ramp.yml', 'closed.yml', 'journey.yml', 'auth-setup.yml']));
  });

  it.each(examples)('%s carries the schema modeline, validates against the published schema and loads', async (name) => {
    const text = readFileSync(join(SCENARIOS, name), 'utf8');
    expect(text).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/scenario\.schema\.json$/m);
    expect(checkAgainstSchema(published(), parse(text))).toEqual([]);
    const plan = await loadScenario(join(SCENARIOS, name), { env: {} });
    expect(plan.target).toBe('http://127.0.0.1:3000');
    expect(plan.flows.length).toBeGreaterThan(0);
  });

  it('initTemplate() has the modeline and loads without problems', async () => {
    const text = initTemplate();
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=/);
    const plan = await parseScenario(text, '/tmp/init.yml', { env: {} });
    expect(plan.name).toBe('my-api');
    expect(plan.endpoints).toEqual(['health', 'get-product', 'add-to-cart']);
    expect(plan.sloDefaults).toBe(false);
  });
});

describe('schema checker', () => {
  it('finds unknown keys with a hint, wrong types and a missing method', () => {
    const issues = checkAgainstSchema(scenarioSchema, {
      laod: [],
      load: [{ duration: 'soon', rate: '10/s' }],
      flows: [{ name: 'x', steps: [{ name: 'a', expect: { status: 200 } }, { get: '/a', post: '/b' }] }],
    });
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['laod', 'unknown key "laod" (did you mean "load"?)'],
      ['load.0.duration', 'must be a duration like 500ms, 30s or 1m30s'],
      ['flows.0.steps.0', 'needs one of: get, post, put, patch, delete, head, graphql'],
      ['flows.0.steps.1', 'has more than one of: get, post (choose one)'],
    ]);
  });

  it('picks the closest alternative for a capture spec', () => {
    const issues = checkAgainstSchema(scenarioSchema, {
      load: [{ duration: '1s', vus: 0 }],
      flows: [{ steps: [{ get: '/', capture: { a: { header: 'x', group: 1 }, b: 'token' } }] }],
    });
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['load.0.vus', 'must be at least 1'],
      ['flows.0.steps.0.capture.a.group', 'unknown key "group"'],
      ['flows.0.steps.0.capture.b', 'must be a JSONPath starting with $'],
    ]);
  });
});
