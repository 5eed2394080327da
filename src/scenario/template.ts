// Templates compile ONCE, at load, into closures: no parsing or regex per request.
// A template that is the whole value ("{{ price }}") keeps the value's type, so a captured number
// stays a number in a JSON body; mixed text ("Bearer {{ token }}") is a string.
import { randomUUID } from 'node:crypto';
import type { Vars } from '../types.js';
import { didYouMean } from './problems.js';
import { hasTemplate, parseTemplateText, type TemplateExpr } from './template-parse.js';

export type Render = (vars: Vars) => unknown;
export type RenderText = (vars: Vars) => string;

/** The names a template may use at one point of the scenario. */
export class TemplateScope {
  /** name → fields (data sources: the CSV header) or null (any value) */
  private constructor(private readonly names: ReadonlyMap<string, ReadonlySet<string> | null>) {}

  static empty(): TemplateScope {
    return new TemplateScope(new Map());
  }

  with(names: Iterable<string>, fields?: ReadonlySet<string> | null): TemplateScope {
    const next = new Map(this.names);
    for (const name of names) next.set(name, fields ?? null);
    return new TemplateScope(next);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  fieldsOf(name: string): ReadonlySet<string> | null | undefined {
    return this.names.get(name);
  }

  list(): string[] {
    return [...this.names.keys()];
  }
}

export class TemplateError extends Error {}

interface TemplateFunction {
  arity: number;
  usage: string;
  make(args: Render[]): Render;
}

const FUNCTIONS: Record<string, TemplateFunction> = {
  randomInt: {
    arity: 2,
    usage: 'randomInt(min, max)',
    make: ([min, max]) => (vars) => {
      const low = Math.ceil(Number(min!(vars)));
      const high = Math.floor(Number(max!(vars)));
      return low + Math.floor(Math.random() * (high - low + 1));
    },
  },
  randomItem: {
    arity: 1,
    usage: 'randomItem(list)',
    make: ([list]) => (vars) => {
      const items = list!(vars);
      return Array.isArray(items) ? items[Math.floor(Math.random() * items.length)] : items;
    },
  },
  uuid: { arity: 0, usage: 'uuid()', make: () => () => randomUUID() },
  now: { arity: 0, usage: 'now()', make: () => () => Date.now() },
};

export const TEMPLATE_FUNCTIONS = Object.keys(FUNCTIONS);

/** Compiles a string; throws TemplateError listing every problem in it. */
export function compileTemplate(text: string, scope: TemplateScope, encode?: (value: string) => string): Render {
  if (!hasTemplate(text)) return () => text;
  const errors: string[] = [];
  let parts;
  try {
    parts = parseTemplateText(text);
  } catch (error) {
    throw new TemplateError((error as Error).message);
  }
  const renders = parts.map((part) => (part.kind === 'text' ? part.text : compileExpr(part.expr, scope, errors)));
  if (errors.length > 0) throw new TemplateError(errors.join('; '));
  const [only] = renders;
  // Whole value: keep its type. Not encoded either: a whole path template is a captured URL or path.
  if (renders.length === 1 && typeof only === 'function') return only;
  return concatenate(renders, encode);
}

/** Like compileTemplate, but always yields text (headers, paths, raw bodies). */
export function compileText(text: string, scope: TemplateScope, encode?: (value: string) => string): RenderText {
  const render = compileTemplate(text, scope, encode);
  return (vars) => stringify(render(vars));
}

export function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function concatenate(renders: Array<string | Render>, encode?: (value: string) => string): RenderText {
  const piece = (part: string | Render): RenderText => {
    if (typeof part === 'string') return () => part;
    return encode ? (vars) => encode(stringify(part(vars))) : (vars) => stringify(part(vars));
  };
  const pieces = renders.map(piece);
  if (pieces.length === 2) {
    const [a, b] = pieces as [RenderText, RenderText];
    return (vars) => a(vars) + b(vars);
  }
  return (vars) => {
    let out = '';
    for (const p of pieces) out += p(vars);
    return out;
  };
}

function compileExpr(expr: TemplateExpr, scope: TemplateScope, errors: string[]): Render {
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return () => value;
    }
    case 'list': {
      const items = expr.items.map((item) => compileExpr(item, scope, errors));
      return (vars) => items.map((item) => item(vars));
    }
    case 'ref':
      return compileRef(expr.path, scope, errors);
    case 'call':
      return compileCall(expr.name, expr.args, scope, errors);
  }
}

function compileRef(path: string[], scope: TemplateScope, errors: string[]): Render {
  const [root, ...rest] = path as [string, ...string[]];
  const fields = scope.fieldsOf(root);
  if (fields === undefined) {
    const known = scope.list();
    const hint = didYouMean(root, known);
    errors.push(`unknown variable "${root}"${hint}${hint ? '' : known.length ? ` (known: ${known.join(', ')})` : ' (no variables, captures or data sources are defined yet)'}`);
  } else if (fields && rest[0] !== undefined && !fields.has(rest[0])) {
    errors.push(`data source "${root}" has no field "${rest[0]}"${didYouMean(rest[0], fields)} (fields: ${[...fields].join(', ')})`);
  }
  if (rest.length === 0) return (vars) => vars[root];
  if (rest.length === 1) {
    const field = rest[0]!;
    return (vars) => (vars[root] as Record<string, unknown> | undefined)?.[field];
  }
  return (vars) => rest.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], vars[root]);
}

function compileCall(name: string, args: TemplateExpr[], scope: TemplateScope, errors: string[]): Render {
  const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!fn) {
    errors.push(`unknown function "${name}"${didYouMean(name, TEMPLATE_FUNCTIONS)} (known: ${TEMPLATE_FUNCTIONS.map((f) => FUNCTIONS[f]!.usage).join(', ')})`);
    return () => undefined;
  }
  if (args.length !== fn.arity) {
    errors.push(`${name} takes ${fn.arity} argument${fn.arity === 1 ? '' : 's'}: ${fn.usage}`);
    return () => undefined;
  }
  return fn.make(args.map((arg) => compileExpr(arg, scope, errors)));
}
