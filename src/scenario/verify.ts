// A request step's `expect:` and `capture:` → one verify(res, vars) closure. Cheap by construction:
// Failure objects are built at load, the body is JSON-parsed at most once per response, and header-only
// steps never ask the engine for the body.
import type { Failure, FailureSample, ResponseView, Vars } from '../types.js';
import { compileJsonPath, type JsonLookup } from './json-path.js';
import type { FieldPath, ProblemSink } from './problems.js';
import { stringify, type TemplateScope } from './template.js';
import { compileValue } from './template-value.js';

export type Verify = (res: ResponseView, vars: Vars) => Failure | null;
export type Explain = (res: ResponseView, vars: Vars, failure: Failure) => FailureSample;

export interface CompiledVerify {
  verify: Verify;
  /** expected and actual for a failure `verify` returned (off the hot path: only the first few) */
  explain: Explain;
  readBody: boolean;
  /** names this step captures (visible to later steps) */
  captures: string[];
}

/** One response, with the body parsed lazily and at most once. */
class ResponseReader {
  private parsed: { ok: boolean; value: unknown } | undefined;

  constructor(readonly view: ResponseView) {}

  json(): { ok: boolean; value: unknown } {
    if (this.parsed === undefined) this.parsed = parseJson(this.view.body);
    return this.parsed;
  }

  header(name: string): string | undefined {
    const value = this.view.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

function parseJson(body: string | null): { ok: boolean; value: unknown } {
  if (body === null) return { ok: false, value: undefined };
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    return { ok: false, value: undefined };
  }
}

/** A check passes (true) or fails with its precomputed Failure; `explain` says why it failed. */
interface Check {
  failure: Failure;
  needsBody: boolean;
  passes(res: ResponseReader, vars: Vars): boolean;
  explain(res: ResponseReader, vars: Vars): { expected: string; actual: string };
}

/** `2 (number)`, `"2" (string)`, `null`, `{"a":1} (object)` — the type is what a check on JSON trips over. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `${trim(JSON.stringify(value), 80)} (array)`;
  return `${trim(JSON.stringify(value) ?? String(value), 80)} (${typeof value})`;
}

function trim(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const BODY_EXCERPT_CHARS = 200;
// The value of a field whose name looks secret ("token": "…", "password": "…") is masked in an excerpt.
const SECRET_FIELD = /("[^"]*(?:token|secret|password|passwd|authorization|cookie|session|api[_-]?key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;

/** The start of a body, on one line, with secret-looking fields masked; the plan's secrets are redacted by every reporter. */
export function bodyExcerpt(body: string | null): string | undefined {
  if (body === null || body === '') return undefined;
  const masked = body.replace(SECRET_FIELD, '$1"***"');
  return trim(masked.replace(/\s+/g, ' ').trim(), BODY_EXCERPT_CHARS);
}

export const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function compileVerify(
  step: Record<string, unknown>,
  path: FieldPath,
  scope: TemplateScope,
  problems: ProblemSink,
): CompiledVerify {
  const expect = asMap(step.expect);
  const status = statusCheck(expect.status);
  const checks: Check[] = [];
  if (step.graphql !== undefined) checks.push(graphqlErrorsCheck());
  checks.push(...headerChecks(asMap(expect.headers), [...path, 'expect', 'headers'], problems));
  if (typeof expect.contains === 'string') checks.push(containsCheck(expect.contains));
  checks.push(...jsonChecks(asMap(expect.json), [...path, 'expect', 'json'], scope, problems));
  const captures = compileCaptures(asMap(step.capture), [...path, 'capture'], problems);
  checks.push(...captures);
  const verify = (view: ResponseView, vars: Vars): Failure | null => {
    if (!status.accepts(view.status)) return status.failure(view.status);
    if (checks.length === 0) return null;
    const reader = new ResponseReader(view);
    for (const check of checks) if (!check.passes(reader, vars)) return check.failure;
    return null;
  };
  const explain = (view: ResponseView, vars: Vars, failure: Failure): FailureSample => {
    const check = checks.find((c) => c.failure === failure);
    const why = check ? check.explain(new ResponseReader(view), vars) : { expected: status.expected, actual: String(view.status) };
    const body = bodyExcerpt(view.body);
    return { check: failure.check, ...why, status: view.status, ...(body === undefined ? {} : { body }) };
  };
  return { verify, explain, readBody: checks.some((c) => c.needsBody), captures: Object.keys(asMap(step.capture)) };
}

function asMap(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * An error status (≥ 400) is always kind `status`. A success status other than the expected one
 * (200 where `expect: { status: 201 }`) is a failed expectation: kind `check`.
 */
function statusCheck(expected: unknown): { accepts(status: number): boolean; failure(status: number): Failure; expected: string } {
  const list = (Array.isArray(expected) ? expected : [expected]).filter((s): s is number => Number.isInteger(s));
  if (list.length === 0) {
    const failure: Failure = { kind: 'status', check: 'status 2xx/3xx' };
    return { accepts: (status) => status < 400, failure: () => failure, expected: 'a status below 400' };
  }
  const accepted = new Set(list);
  const asStatus: Failure = { kind: 'status', check: `status ${list.join('|')}` };
  const asCheck: Failure = { kind: 'check', check: asStatus.check };
  return { accepts: (status) => accepted.has(status), failure: (status) => (status >= 400 ? asStatus : asCheck), expected: list.join(' or ') };
}

function graphqlErrorsCheck(): Check {
  return {
    failure: { kind: 'check', check: 'graphql errors' },
    needsBody: true,
    passes: (res) => {
      const json = res.json();
      if (!json.ok) return false;
      const errors = (json.value as { errors?: unknown } | null)?.errors;
      return !(Array.isArray(errors) && errors.length > 0);
    },
    explain: (res) => {
      const json = res.json();
      if (!json.ok) return { expected: 'a JSON response without errors', actual: 'a body that is not JSON' };
      const errors = (json.value as { errors?: Array<{ message?: unknown }> }).errors ?? [];
      return { expected: 'no errors', actual: `${errors.length} error(s): ${describeValue(errors[0]?.message ?? errors[0])}` };
    },
  };
}

function headerChecks(expected: Record<string, unknown>, path: FieldPath, problems: ProblemSink): Check[] {
  return Object.entries(expected).flatMap(([name, raw]) => {
    if (typeof raw !== 'string') return [];
    const header = name.toLowerCase();
    const failure: Failure = { kind: 'check', check: `header ${header}` };
    const regex = regexLiteral(raw, [...path, name], problems);
    if (regex === null) return [];
    const matches = regex ? (value: string) => regex.test(value) : (value: string) => value === raw;
    const passes = (res: ResponseReader) => {
      const value = res.header(header);
      return value !== undefined && matches(value);
    };
    const explain = (res: ResponseReader) => {
      const value = res.header(header);
      return { expected: regex ? `a value matching ${raw}` : JSON.stringify(raw), actual: value === undefined ? 'no such header' : JSON.stringify(value) };
    };
    return [{ failure, needsBody: false, passes, explain }];
  });
}

/** "/regex/flags" → RegExp; plain text → undefined; a bad regex → null (and a problem). */
function regexLiteral(text: string, path: FieldPath, problems: ProblemSink): RegExp | undefined | null {
  const m = /^\/(.*)\/([dgimsuy]*)$/s.exec(text);
  if (!m) return undefined;
  try {
    return new RegExp(m[1]!, m[2]!.replace('g', ''));
  } catch (error) {
    problems.add(path, badRegex(error));
    return null;
  }
}

function containsCheck(text: string): Check {
  return {
    failure: { kind: 'check', check: `contains ${JSON.stringify(text)}` },
    needsBody: true,
    passes: (res) => res.view.body !== null && res.view.body.includes(text),
    explain: (res) => ({ expected: `the body to contain ${JSON.stringify(text)}`, actual: res.view.body ? 'not in the body' : 'an empty body' }),
  };
}

function jsonChecks(expected: Record<string, unknown>, path: FieldPath, scope: TemplateScope, problems: ProblemSink): Check[] {
  return Object.entries(expected).flatMap(([jsonPath, raw]) => {
    const lookup = jsonLookup(jsonPath, [...path, jsonPath], problems);
    if (!lookup) return [];
    const pattern = typeof raw === 'string' ? regexLiteral(raw, [...path, jsonPath], problems) : undefined;
    if (pattern === null) return [];
    const value = compileValue(raw, scope, [...path, jsonPath], problems);
    const matches = pattern ? (actual: unknown) => pattern.test(stringify(actual)) : (actual: unknown, vars: Vars) => deepEqual(actual, value.render(vars));
    return [
      {
        failure: { kind: 'check', check: `json ${jsonPath}` },
        needsBody: true,
        passes: (res: ResponseReader, vars: Vars) => {
          const json = res.json();
          if (!json.ok) return false;
          const found = lookup(json.value);
          return found.found && matches(found.value, vars);
        },
        explain: (res: ResponseReader, vars: Vars) => {
          const expected = pattern ? `a value matching ${String(raw)}` : describeValue(value.render(vars));
          const json = res.json();
          if (!json.ok) return { expected, actual: res.view.body ? 'a body that is not JSON' : 'an empty body' };
          const found = lookup(json.value);
          return { expected, actual: found.found ? describeValue(found.value) : `nothing at ${jsonPath}` };
        },
      },
    ];
  });
}

function jsonLookup(jsonPath: string, path: FieldPath, problems: ProblemSink): JsonLookup | null {
  try {
    return compileJsonPath(jsonPath);
  } catch (error) {
    problems.add(path, (error as Error).message);
    return null;
  }
}

function compileCaptures(spec: Record<string, unknown>, path: FieldPath, problems: ProblemSink): Check[] {
  return Object.entries(spec).flatMap(([name, how]) => {
    if (!CAPTURE_NAME.test(name)) problems.add([...path, name], `capture name "${name}" must be letters, digits and _ (usable as {{ ${name} }})`, 'key');
    const extract = compileExtractor(how, [...path, name], problems);
    if (!extract) return [];
    const failure: Failure = { kind: 'check', check: `capture ${name}` };
    return [
      {
        failure,
        needsBody: extract.needsBody,
        passes: (res: ResponseReader, vars: Vars) => {
          const value = extract.read(res);
          if (value === undefined) return false;
          vars[name] = value;
          return true;
        },
        explain: (res: ResponseReader) => {
          const where = typeof how === 'string' ? how : JSON.stringify(how);
          const noJson = typeof how === 'string' && !res.json().ok;
          return { expected: `a value at ${where}`, actual: noJson ? (res.view.body ? 'a body that is not JSON' : 'an empty body') : 'nothing' };
        },
      },
    ];
  });
}

interface Extractor {
  needsBody: boolean;
  read(res: ResponseReader): unknown;
}

function compileExtractor(how: unknown, path: FieldPath, problems: ProblemSink): Extractor | null {
  if (typeof how === 'string') {
    const lookup = jsonLookup(how, path, problems);
    if (!lookup) return null;
    return { needsBody: true, read: (res) => (res.json().ok ? lookup(res.json().value).value : undefined) };
  }
  const spec = asMap(how);
  if (typeof spec.header === 'string') {
    const header = spec.header.toLowerCase();
    return { needsBody: false, read: (res) => res.header(header) };
  }
  if (typeof spec.cookie === 'string') {
    const name = spec.cookie;
    return { needsBody: false, read: (res) => cookieValue(res.view.headers['set-cookie'], name) };
  }
  if (typeof spec.regex === 'string') return regexExtractor(spec.regex, spec.group, path, problems);
  return null;
}

/** The value of cookie `name` among a response's Set-Cookie headers (the last one wins), or undefined. */
export function cookieValue(setCookie: string | string[] | undefined, name: string): string | undefined {
  if (setCookie === undefined) return undefined;
  let found: string | undefined;
  for (const line of Array.isArray(setCookie) ? setCookie : [setCookie]) {
    const pair = line.split(';', 1)[0]!;
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    found = value;
  }
  return found;
}

function regexExtractor(source: string, group: unknown, path: FieldPath, problems: ProblemSink): Extractor | null {
  let regex: RegExp;
  try {
    regex = new RegExp(source);
  } catch (error) {
    problems.add([...path, 'regex'], badRegex(error));
    return null;
  }
  const groups = new RegExp(`${source}|`).exec('')!.length - 1;
  const index = typeof group === 'number' ? group : groups > 0 ? 1 : 0;
  if (index > groups) {
    problems.add([...path, 'group'], `the regex has ${groups} group(s), so there is no group ${index}`);
    return null;
  }
  return { needsBody: true, read: (res) => (res.view.body === null ? undefined : regex.exec(res.view.body)?.[index]) };
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) => deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

function badRegex(error: unknown): string {
  return (error as Error).message.replace(/^Invalid regular expression: /, 'invalid regular expression ');
}
