// Hostile input: mutated scenarios, alias bombs, deep nesting, binary junk, huge files, ragged CSVs.
// `bench validate` must always answer exit 0 or 2 with a message: never a stack trace, a crash or a hang.
// Most cases run in process through the command's own function and main.ts's reportError (fast);
// a handful go through the spawned CLI to prove the same end to end.
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../src/cli/validate-command.js';
import { reportError } from '../src/cli/main.js';
import type { Console } from '../src/cli/console.js';
import { REPO_ROOT, STACK_LINE, ensureBuilt, runCli, tempDir } from './helpers/cli.js';

const dir = tempDir('bench-fuzz-');
afterAll(() => dir.remove());

/** Valid scenarios to mutate: the shipped examples and the loader's full fixture. */
const BASE_FILES = [
  ...readdirSync(join(REPO_ROOT, 'scenarios'))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(REPO_ROOT, 'scenarios', f)),
  join(REPO_ROOT, 'test', 'fixtures', 'scenarios', 'valid-full.yml'),
];
const BASES = BASE_FILES.map((file) => readFileSync(file, 'utf8'));
/** Every ${VAR} the bases use is set, so the unmutated bases are valid. */
const ENV: NodeJS.ProcessEnv = Object.fromEntries([...new Set(BASES.join('\n').match(/\$\{[A-Z_]+/g) ?? [])].map((v) => [v.slice(2), 'fuzz-value']));
const CALL_LIMIT_MS = 5000;

beforeAll(() => {
  // The bases read data/*.csv next to themselves: give the mutants the same neighbours.
  mkdirSync(join(dir.path, 'data'));
  for (const from of [join(REPO_ROOT, 'scenarios', 'data'), join(REPO_ROOT, 'test', 'fixtures', 'scenarios', 'data')]) {
    for (const f of readdirSync(from)) copyFileSync(join(from, f), join(dir.path, 'data', f));
  }
});

interface Answer {
  code: number;
  text: string;
}

let fileCounter = 0;
function writeCase(content: string | Uint8Array): string {
  const file = join(dir.path, `case-${fileCounter++}.yml`);
  writeFileSync(file, content);
  return file;
}

/** What `bench validate <file>` does, in process: the command, and main.ts's error mapping around it. */
async function validateInProcess(file: string): Promise<Answer> {
  const lines: string[] = [];
  const io: Console = {
    out: (t) => void lines.push(t),
    err: (t) => void lines.push(t),
    env: ENV,
    stderrIsTTY: false,
    exitNow: () => {
      throw new Error('validate must not exit by itself');
    },
  };
  let code: number;
  try {
    code = await withinLimit(validateCommand(file, io));
  } catch (err) {
    code = reportError(err, io, false);
  }
  return { code, text: lines.join('\n') };
}

function withinLimit<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CALL_LIMIT_MS} ms (a hang)`)), CALL_LIMIT_MS);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

function expectCleanAnswer(answer: Answer, label: string): void {
  expect([0, 2], `${label}\n${answer.text}`).toContain(answer.code);
  expect(answer.text.trim().length, label).toBeGreaterThan(0);
  expect(answer.text, label).not.toMatch(STACK_LINE);
  expect(answer.text, label).not.toMatch(/internal error/);
  if (answer.code === 0) expect(answer.text).toMatch(/: valid — /);
  else expect(answer.text).toMatch(/^bench: /m);
}

// ───────────────────────────── mutations ─────────────────────────────

const HOSTILE_TOKENS = [':', ': ', '- ', '{', '}', '[', ']', '&a ', '*a', '*missing', '!!binary ', '!!js/function ', '${', '${NOPE}', '${X:?boom}', '{{', '}}', '{{ nope }}', '\t', '"', "'", '\u0000', '\uFFFF', '%YAML 1.1\n', '---\n', '...\n', '? ', '|', '>', '#', '<<: *a', '\r', '\\'];
const HOSTILE_VALUES = ['-1', '0', '1e309', 'NaN', '.inf', '', '~', 'null', 'true', '[]', '{}', '10/x', '5q', '999999999h', '-5s', '0/s', '1/ms', '"{{"', 'p95 <', '[1, [2, [3]]]', '{a: *b}', '!!int x'];

type TextOp =
  | { op: 'delete'; line: number }
  | { op: 'duplicate'; line: number }
  | { op: 'swap'; a: number; b: number }
  | { op: 'insert'; at: number; text: string }
  | { op: 'truncate'; at: number }
  | { op: 'value'; line: number; value: string }
  | { op: 'indent'; line: number; by: number };

const textOp: fc.Arbitrary<TextOp> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), line: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...HOSTILE_TOKENS), fc.string({ maxLength: 12 })) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('value' as const), line: fc.nat(), value: fc.oneof(fc.constantFrom(...HOSTILE_VALUES), fc.string({ maxLength: 8 })) }),
  fc.record({ op: fc.constant('indent' as const), line: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
);

function applyTextOp(text: string, m: TextOp): string {
  const lines = text.split('\n');
  const at = (n: number): number => n % lines.length;
  switch (m.op) {
    case 'delete':
      lines.splice(at(m.line), 1);
      return lines.join('\n');
    case 'duplicate':
      lines.splice(at(m.line), 0, lines[at(m.line)]!);
      return lines.join('\n');
    case 'swap': {
      const [a, b] = [at(m.a), at(m.b)];
      [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      return lines.join('\n');
    }
    case 'insert': {
      const pos = m.at % (text.length + 1);
      return text.slice(0, pos) + m.text + text.slice(pos);
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'value': {
      const i = at(m.line);
      lines[i] = lines[i]!.replace(/:\s+\S.*$/, `: ${m.value}`);
      return lines.join('\n');
    }
    case 'indent': {
      const i = at(m.line);
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i]!.replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
  }
}

const textMutant = fc
  .record({ base: fc.nat({ max: BASES.length - 1 }), ops: fc.array(textOp, { minLength: 1, maxLength: 4 }) })
  .map(({ base, ops }) => ({ label: `${BASE_FILES[base]} ${JSON.stringify(ops)}`, text: ops.reduce(applyTextOp, BASES[base]!) }));

/** Every path to a value in a parsed document, so a structural mutation can aim anywhere. */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
}

function setAt(root: any, path: Array<string | number>, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(root);
  let node = root;
  for (const key of path.slice(0, -1)) node = node[key];
  const last = path[path.length - 1]!;
  const next = replace(node[last]);
  if (next === undefined) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = next;
  return root;
}

const replacement = fc.oneof(
  fc.constant(() => undefined), // delete the key
  fc.jsonValue({ maxDepth: 2 }).map((v) => () => v), // any other value
  fc.constant((old: unknown) => [old]), // wrap in a list
  fc.constant((old: unknown) => ({ nested: old })), // wrap in a map
  fc.constant((old: unknown) => (typeof old === 'string' ? old.repeat(50) : String(old))), // stretch or stringify
);

const structuralMutant = fc.record({ base: fc.nat({ max: BASES.length - 1 }), pick: fc.nat(), change: replacement }).map(({ base, pick, change }) => {
  const doc = parse(BASES[base]!) as unknown;
  const paths = pathsOf(doc);
  const path = paths[pick % paths.length]!;
  return { label: `${BASE_FILES[base]} at ${JSON.stringify(path)}`, text: String(stringify(setAt(doc, path, change)) ?? "") };
});

// ───────────────────────────── tests ─────────────────────────────

describe('bench validate on valid scenarios (the fuzzing starts from valid ground)', () => {
  for (const [i, file] of BASE_FILES.entries()) {
    it(`${file.slice(REPO_ROOT.length + 1)} is valid`, async () => {
      const answer = await validateInProcess(writeCase(BASES[i]!));
      expect(answer.code, answer.text).toBe(0);
    });
  }
});

describe('bench validate on mutated scenarios (property-based)', () => {
  it('text mutations: always exit 0 or 2 with a message, never a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(textMutant, async ({ label, text }) => expectCleanAnswer(await validateInProcess(writeCase(text)), label)),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 60) },
    );
  });

  it('structural mutations (any field deleted, retyped, wrapped): always exit 0 or 2', async () => {
    await fc.assert(
      fc.asyncProperty(structuralMutant, async ({ label, text }) => expectCleanAnswer(await validateInProcess(writeCase(text)), label)),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
    );
  });

  it('binary junk: always exit 2 with a message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 2048 }), async (bytes) => {
        const answer = await validateInProcess(writeCase(bytes));
        expectCleanAnswer(answer, `${bytes.length} random bytes`);
        expect(answer.code).toBe(2);
      }),
      { numRuns: 20 },
    );
  });
});

/** Hostile files, built once: each must be refused with exit 2 and one clear reason. */
function hostileFiles(): Array<{ name: string; content: string | Uint8Array; reason: RegExp }> {
  let laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  let previous = 'a';
  for (const name of 'bcdefghi') {
    laughs += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
    previous = name;
  }
  return [
    { name: 'billion laughs (alias bomb)', content: `${laughs}load: *i\nflows: *i\n`, reason: /alias/ },
    { name: 'deep flow nesting', content: `load: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, reason: /nest|stack|deep/i },
    { name: 'deep map nesting', content: `load: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`, reason: /nest|stack|deep/i },
    { name: 'deep block nesting', content: Array.from({ length: 200 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n') + ' 1\n', reason: /nest|deep|load|flows/i },
    { name: 'a huge file', content: `name: huge\n${'# padding line\n'.repeat(150_000)}`, reason: /larger than|limit/ },
    { name: 'an empty file', content: '', reason: /a scenario is a map/ },
    { name: 'NUL bytes', content: 'name: a\u0000b\nload: [\u0000]\n', reason: /./ },
    { name: 'a lone scalar', content: '42\n', reason: /a scenario is a map/ },
    // Found by this fuzzer: an empty `graphql:` crashed the compiler (exit 3) instead of a problem (exit 2).
    { name: 'an empty graphql step', content: 'load:\n  - { duration: 1s, rate: 1/s }\nflows:\n  - steps:\n      - graphql:\n', reason: /graphql {2}must be a map/ },
    { name: 'a CSV with ragged rows', content: readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'scenarios', 'invalid-csv.yml'), 'utf8'), reason: /ragged\.csv:3:\d+/ },
  ];
}

describe('bench validate on hostile files', () => {
  for (const { name, content, reason } of hostileFiles()) {
    it(`${name}: exit 2, one clear reason`, async () => {
      const answer = await validateInProcess(writeCase(content));
      expectCleanAnswer(answer, name);
      expect(answer.code).toBe(2);
      expect(answer.text).toMatch(reason);
    });
  }

  it('a missing file and a directory: exit 2 with a usage message', async () => {
    for (const file of [join(dir.path, 'nope.yml'), dir.path]) {
      const answer = await validateInProcess(file);
      expectCleanAnswer(answer, file);
      expect(answer.code).toBe(2);
    }
  });
});

describe('bench validate through the spawned CLI', () => {
  beforeAll(async () => ensureBuilt());

  it('mutated scenarios and hostile files: exit 0 or 2, a message, no stack trace, no hang', async () => {
    const mutants = fc.sample(fc.oneof(textMutant, structuralMutant), { numRuns: 6, seed: 20261125 });
    const hostile = hostileFiles().filter((h) => /laughs|deep flow|huge|ragged/.test(h.name));
    const cases = [...mutants.map((m) => ({ label: m.label, file: writeCase(m.text) })), ...hostile.map((h) => ({ label: h.name, file: writeCase(h.content) }))];
    const runs = await Promise.all(cases.map((c) => runCli(['validate', c.file], { env: ENV, timeoutMs: 20_000 })));
    for (const [i, run] of runs.entries()) {
      const label = cases[i]!.label;
      expect(run.timedOut, label).toBe(false);
      expect([0, 2], `${label}\n${run.stderr}`).toContain(run.code);
      expect(run.stderr.trim().length, label).toBeGreaterThan(0);
      expect(run.stderr, label).not.toMatch(STACK_LINE);
      expect(run.stderr, label).not.toMatch(/internal error/);
    }
    expect(runs.length).toBeGreaterThanOrEqual(10);
  });
});
