// A small draft-07 validator for the keywords scenario.schema.json uses — enough to check scenarios
// and the example files without a new dependency. Messages are written for people editing YAML.
import type { Anchor, FieldPath, PathSegment } from './problems.js';
import { didYouMean } from './problems.js';
import type { JsonSchema } from './schema.js';

export interface SchemaIssue {
  path: PathSegment[];
  message: string;
  anchor: Anchor;
}

export function checkAgainstSchema(root: JsonSchema, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  new Checker(root).check(root, value, [], issues);
  return issues;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

class Checker {
  constructor(private readonly root: JsonSchema) {}

  check(schemaIn: JsonSchema, value: unknown, path: PathSegment[], issues: SchemaIssue[]): void {
    const schema = this.resolve(schemaIn);
    // `errorMessage` (as ajv-errors and yaml-language-server read it): one message for whatever is wrong here.
    if (typeof schema.errorMessage === 'string') {
      const own: SchemaIssue[] = [];
      this.checkKeywords(schema, value, path, own);
      if (own.length > 0) issues.push({ path, message: schema.errorMessage, anchor: 'value' });
      return;
    }
    this.checkKeywords(schema, value, path, issues);
  }

  private checkKeywords(schema: JsonSchema, value: unknown, path: PathSegment[], issues: SchemaIssue[]): void {
    const add = (message: string, at: PathSegment[] = path, anchor: Anchor = 'value'): void => {
      issues.push({ path: at, message, anchor });
    };
    if (schema.type !== undefined && !matchesType(schema.type, value)) return add(`must be ${typeList(schema.type)} (got ${describe(value)})`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return add(`must be one of: ${schema.enum.join(', ')}`);
    if ('const' in schema && value !== schema.const) return add(`must be ${JSON.stringify(schema.const)}`);
    if (typeof value === 'string') this.checkString(schema, value, add);
    if (typeof value === 'number') this.checkNumber(schema, value, add);
    if (Array.isArray(value)) this.checkArray(schema, value, path, issues, add);
    else if (isObject(value)) this.checkObject(schema, value, path, issues, add);
    this.checkCombinators(schema, value, path, issues, add);
  }

  private resolve(schema: JsonSchema): JsonSchema {
    const ref = schema.$ref;
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/definitions/', '');
    return this.resolve((this.root.definitions as Record<string, JsonSchema>)[name]!);
  }

  private checkString(schema: JsonSchema, value: string, add: (m: string) => void): void {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) add(`must match ${schema.pattern}`);
  }

  private checkNumber(schema: JsonSchema, value: number, add: (m: string) => void): void {
    if (typeof schema.minimum === 'number' && value < schema.minimum) add(`must be at least ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) add(`must be at most ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) add(`must be more than ${schema.exclusiveMinimum}`);
  }

  private checkArray(schema: JsonSchema, value: unknown[], path: PathSegment[], issues: SchemaIssue[], add: (m: string) => void): void {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) add(schema.minItems === 1 ? 'must not be empty' : `needs at least ${schema.minItems} items`);
    if (isObject(schema.items)) value.forEach((item, index) => this.check(schema.items as JsonSchema, item, [...path, index], issues));
  }

  private checkObject(
    schema: JsonSchema,
    value: Record<string, unknown>,
    path: PathSegment[],
    issues: SchemaIssue[],
    add: (m: string, at?: PathSegment[], anchor?: Anchor) => void,
  ): void {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in value)) add(`missing required key "${key}"`);
    const count = Object.keys(value).length;
    if (typeof schema.minProperties === 'number' && count < schema.minProperties) add(`needs at least ${schema.minProperties} key(s)`);
    if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) add(`allows at most ${schema.maxProperties} key(s)`);
    for (const [key, child] of Object.entries(value)) {
      if (key in properties) this.check(properties[key]!, child, [...path, key], issues);
      else if (schema.additionalProperties === false) add(`unknown key "${key}"${didYouMean(key, Object.keys(properties))}`, [...path, key], 'key');
      else if (isObject(schema.additionalProperties)) this.check(schema.additionalProperties, child, [...path, key], issues);
    }
  }

  private checkCombinators(schema: JsonSchema, value: unknown, path: PathSegment[], issues: SchemaIssue[], add: (m: string) => void): void {
    if (isObject(schema.if)) {
      const branch = this.passes(schema.if, value) ? schema.then : schema.else;
      if (isObject(branch)) this.check(branch, value, path, issues);
    }
    if (Array.isArray(schema.anyOf)) this.checkAnyOf(schema.anyOf as JsonSchema[], value, path, issues, add);
    if (Array.isArray(schema.oneOf)) this.checkOneOf(schema.oneOf as JsonSchema[], value, path, issues, add);
    if (isObject(schema.not) && this.passes(schema.not, value)) {
      const keys = requiredOnly(schema.not);
      add(keys ? `use only one of: ${keys.join(', ')}` : 'is not allowed here');
    }
  }

  private checkAnyOf(branches: JsonSchema[], value: unknown, path: PathSegment[], issues: SchemaIssue[], add: (m: string) => void): void {
    const results = branches.map((branch) => this.issuesOf(branch, value, path));
    if (results.some((r) => r.length === 0)) return;
    const resolved = branches.map((b) => this.resolve(b));
    const typed = resolved.map((b, i) => ({ b, i })).filter(({ b }) => b.type === undefined || matchesType(b.type, value));
    if (typed.length === 0) return add(`must be ${typeList(resolved.flatMap((b) => asArray(b.type)))} (got ${describe(value)})`);
    const rank = ({ b, i }: { b: JsonSchema; i: number }) => (hasRequired(b, value) ? 0 : 10_000) + results[i]!.length;
    const best = typed.reduce((a, c) => (rank(c) < rank(a) ? c : a));
    issues.push(...results[best.i]!);
  }

  private checkOneOf(branches: JsonSchema[], value: unknown, path: PathSegment[], issues: SchemaIssue[], add: (m: string) => void): void {
    const passing = branches.filter((branch) => this.passes(branch, value)).length;
    if (passing === 1) return;
    const keys = branches.map(requiredOnly);
    if (keys.every(Boolean)) {
      const names = keys.map((k) => k!.join('+'));
      return add(passing === 0 ? `needs one of: ${names.join(', ')}` : `has more than one of: ${names.filter((n) => isObject(value) && n in value).join(', ')} (choose one)`);
    }
    if (passing > 1) return add('matches more than one alternative');
    this.checkAnyOf(branches, value, path, issues, add);
  }

  private issuesOf(schema: JsonSchema, value: unknown, path: PathSegment[]): SchemaIssue[] {
    const issues: SchemaIssue[] = [];
    this.check(schema, value, path, issues);
    return issues;
  }

  private passes(schema: JsonSchema, value: unknown): boolean {
    return this.issuesOf(schema, value, []).length === 0;
  }
}

function matchesType(type: unknown, value: unknown): boolean {
  return asArray(type).some((t) => {
    switch (t) {
      case 'object':
        return isObject(value);
      case 'array':
        return Array.isArray(value);
      case 'integer':
        return Number.isInteger(value);
      case 'number':
        return typeof value === 'number' && Number.isFinite(value);
      case 'null':
        return value === null;
      default:
        return typeof value === t;
    }
  });
}

function asArray(type: unknown): string[] {
  if (type === undefined) return [];
  return Array.isArray(type) ? (type as string[]) : [type as string];
}

function typeList(type: unknown): string {
  const names = [...new Set(asArray(type).map((t) => TYPE_NAMES[t] ?? t))];
  return names.length <= 1 ? (names[0] ?? 'something else') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : 'true/false'} ${JSON.stringify(value)}`.slice(0, 60);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasRequired(schema: JsonSchema, value: unknown): boolean {
  const required = schema.required as string[] | undefined;
  return !required || (isObject(value) && required.every((key) => key in value));
}

/** `{ properties: { k: {} }, required: [k] }` and nothing else (schema.ts's has()): the idiom for "one of these keys". */
function requiredOnly(schema: JsonSchema): string[] | null {
  if (!Object.keys(schema).every((key) => key === 'required' || key === 'properties') || !Array.isArray(schema.required)) return null;
  const properties = Object.values((schema.properties ?? {}) as Record<string, JsonSchema>);
  return properties.every((p) => isObject(p) && Object.keys(p).length === 0) ? (schema.required as string[]) : null;
}

export type { FieldPath };
