// The published schema as editors and other tools read it: Ajv 8 in strict mode (with ajv-errors for the
// `errorMessage`s) and yaml-language-server's own validation (the language service VS Code's YAML extension
// runs). Neither may flag a valid file; both must say what is wrong with the common mistakes.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import ajvErrors from 'ajv-errors';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initTemplate, INSTALLED_SCHEMA } from '../src/scenario/init.js';
import { parseScenario } from '../src/scenario/load.js';
import { ScenarioError } from '../src/errors.js';

const ROOT = join(import.meta.dirname, '..');
const SCHEMA_FILE = join(ROOT, 'schema', 'scenario.schema.json');
const SCENARIOS = join(ROOT, 'scenarios');
const published = () => JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

/** The README's example scenario: the first yaml block under "## A scenario". */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## A scenario'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('README: no yaml block under "## A scenario"');
  return block[1]!;
}

// A user's project after `npm i -D slo-bench`: the init and README modelines resolve there.
const project = mkdtempSync(join(tmpdir(), 'bench-schema-editors-'));
mkdirSync(join(project, dirname(INSTALLED_SCHEMA)), { recursive: true });
copyFileSync(SCHEMA_FILE, join(project, INSTALLED_SCHEMA));
afterAll(() => rmSync(project, { recursive: true, force: true }));

interface Sample {
  name: string;
  /** where the file lives: yaml-language-server resolves its modeline from there */
  file: string;
  text: string;
  /** the schema its modeline must load */
  schema: string;
}

const samples: Sample[] = [
  ...readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => ({ name: `scenarios/${f}`, file: join(SCENARIOS, f), text: readFileSync(join(SCENARIOS, f), 'utf8'), schema: SCHEMA_FILE })),
  { name: "README's example", file: join(project, 'api.yml'), text: readmeExample(), schema: join(project, INSTALLED_SCHEMA) },
  { name: "bench init's output", file: join(project, 'scenario.yml'), text: initTemplate(), schema: join(project, INSTALLED_SCHEMA) },
];

function strictAjv() {
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajvErrors.default(ajv);
  return ajv.compile(published());
}

/** yaml-language-server's diagnostics for `text` as the file `file`, schema from its modeline. */
async function yamlLs(file: string, text: string): Promise<{ messages: string[]; requested: string[] }> {
  const requested: string[] = [];
  const service = getLanguageService({
    schemaRequestService: async (uri: string) => {
      requested.push(fileURLToPath(uri));
      return readFileSync(fileURLToPath(uri), 'utf8');
    },
    workspaceContext: { resolveRelativePath: (relative: string, resource: string) => new URL(relative, resource).href },
  });
  service.configure({ validate: true, schemas: [], yamlVersion: '1.2' });
  const diagnostics = await service.doValidation(TextDocument.create(pathToFileURL(file).href, 'yaml', 1, text), false);
  return { messages: [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line).map((d) => `${d.range.start.line + 1}: ${d.message}`), requested };
}

const MODELINE = '# yaml-language-server: $schema=../schema/scenario.schema.json\n';
let mistakes = 0;
/** A file with mistakes, as it would sit in scenarios/ (so its modeline resolves to the published schema). */
async function yamlLsMistakes(body: string): Promise<string[]> {
  // a new name each time: the service caches parsed documents by URI and version
  const { messages, requested } = await yamlLs(join(SCENARIOS, `mistakes-${++mistakes}.yml`), MODELINE + body);
  expect(requested).toEqual([SCHEMA_FILE]);
  return messages;
}

function ajvMessages(value: unknown): string[] {
  const validate = strictAjv();
  validate(value);
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

const FLOWS = 'flows:\n  - steps:\n      - get: /\n';

describe('the published schema in Ajv 8, strict mode', () => {
  it('compiles (no unknown keywords, no union types, required keys declared)', () => {
    expect(() => strictAjv()).not.toThrow();
  });

  it.each(samples.map((s) => [s.name, s] as const))('%s is valid', (_, sample) => {
    expect(ajvMessages(parse(sample.text))).toEqual([]);
  });

  it('says a bare-number duration needs a unit, names an unknown key and refuses a malformed SLO', () => {
    const errors = ajvMessages({
      laod: [],
      load: [{ duration: 5, rate: '10/s' }, { duration: '1s', vus: 2, think: 1 }],
      flows: [{ steps: [{ get: '/' }] }],
      slo: ['p95 200ms'],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/load\/0\/duration needs a unit, e\.g\. 2s/),
        expect.stringMatching(/^\/load\/1\/think needs a unit/),
        expect.stringMatching(/^ must NOT have additional properties \{"additionalProperty":"laod"\}/),
        expect.stringMatching(/^\/slo\/0 must be an SLO "<metric> <op> <value>"/),
      ]),
    );
  });
});

describe('the published schema in yaml-language-server', () => {
  it.each(samples.map((s) => [s.name, s] as const))('%s: its modeline loads the schema, and no false errors', async (_, sample) => {
    const { messages, requested } = await yamlLs(sample.file, sample.text);
    expect(requested).toEqual([sample.schema]);
    expect(messages).toEqual([]);
  });

  it('a unitless duration or think says a unit is needed (not "above the maximum of 0")', async () => {
    const messages = await yamlLsMistakes(`load:\n  - { duration: 5, rate: 10/s }\n  - { duration: 2s, vus: 2, think: 1 }\n${FLOWS}`);
    expect(messages).toEqual(['3: needs a unit, e.g. 2s or 500ms (a bare number is ambiguous)', '4: needs a unit, e.g. 2s or 500ms (a bare number is ambiguous)']);
  });

  it('0 needs no unit, a malformed duration says what one looks like', async () => {
    expect(await yamlLsMistakes(`load:\n  - { duration: 0, rate: 10/s }\n  - { duration: soon, rate: 10/s }\n${FLOWS}`)).toEqual([
      '4: must be a duration like 500ms, 30s or 1m30s',
    ]);
  });

  it('names an unknown key and a misspelt method', async () => {
    const messages = await yamlLsMistakes('laod: []\nload:\n  - { duration: 1s, rate: 10/s }\nflows:\n  - steps:\n      - gte: /x\n');
    expect(messages).toEqual(['2: Property laod is not allowed.', '7: Property gte is not allowed.', '7: Missing property "get".']);
  });

  it('refuses a malformed SLO', async () => {
    const messages = await yamlLsMistakes(`load:\n  - { duration: 1s, rate: 10/s }\n${FLOWS}slo:\n  - p95 200ms\n  - p95 < 200ms\n  - { expr: "rps 5" }\n`);
    expect(messages).toEqual([
      '8: must be an SLO "<metric> <op> <value>", e.g. "p95 < 200ms", "error_rate < 1%" or "get-product: p99 < 300ms"',
      '10: must be an SLO expression "<metric> <op> <value>", e.g. "p95 < 200ms" or "error_rate < 1%"',
    ]);
  });
});

describe('bench validate agrees', () => {
  it('says each malformed SLO once, where the schema and the SLO parser both refuse it', async () => {
    const file = join(project, 'slo.yml');
    const text = `load:\n  - { duration: 1s, rate: 10/s }\n${FLOWS}slo:\n  - p95 200ms\n  - { expr: "rps 5" }\n`;
    writeFileSync(file, text);
    const error = await parseScenario(text, file, { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const lines = (error as ScenarioError).problems.map((p) => `${p.line}:${p.col} ${p.path} ${p.message}`);
    expect(lines).toEqual([
      '7:5 slo[0] must be an SLO "<metric> <op> <value>", e.g. "p95 < 200ms", "error_rate < 1%" or "get-product: p99 < 300ms"',
      '8:13 slo[1].expr must be an SLO expression "<metric> <op> <value>", e.g. "p95 < 200ms" or "error_rate < 1%"',
    ]);
  });
});
