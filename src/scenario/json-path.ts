// JSONPath lookups for captures and checks. The common shapes ($.token, $.items[0].id) compile to a
// direct property walk; anything else (filters, wildcards, ..) goes through jsonpath-plus.
import { createRequire } from 'node:module';

// Loaded only for the paths that need it: a run whose paths are all simple never loads jsonpath-plus.
type JsonPathPlus = typeof import('jsonpath-plus');
let jsonPathPlus: JsonPathPlus | null = null;
/** every match of `path` in `json`, as a list */
function query(path: string, json: unknown): unknown[] {
  jsonPathPlus ??= createRequire(import.meta.url)('jsonpath-plus') as JsonPathPlus;
  return jsonPathPlus.JSONPath({ path, json: json as object, wrap: true }) as unknown[];
}

export type JsonLookup = (json: unknown) => { found: boolean; value: unknown };

const SIMPLE = /^\$(?:\.[A-Za-z_$][\w$-]*|\[\d+\]|\['[^']*'\]|\["[^"]*"\])*$/;
const SEGMENT = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g;

/** Throws a one-line message when the path cannot be used. */
export function compileJsonPath(path: string): JsonLookup {
  if (!path.startsWith('$')) throw new Error(`JSONPath must start with "$" (got "${path}")`);
  if (SIMPLE.test(path)) return walker(simpleKeys(path));
  // jsonpath-plus forgives a lot ("$[" reads as "$"): insist on balanced brackets, then try it once.
  try {
    if (!balanced(path)) throw new Error('unbalanced');
    query(path, {});
  } catch {
    throw new Error(`cannot read JSONPath "${path}"`);
  }
  return (json) => {
    if (json === null || typeof json !== 'object') return { found: false, value: undefined };
    const matches = query(path, json);
    return matches.length > 0 ? { found: true, value: matches[0] } : { found: false, value: undefined };
  };
}

function simpleKeys(path: string): Array<string | number> {
  return [...path.matchAll(SEGMENT)].map((m) => (m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4])!));
}

function walker(keys: Array<string | number>): JsonLookup {
  return (json) => {
    let value: unknown = json;
    for (const key of keys) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return { found: false, value: undefined };
      value = (value as Record<string | number, unknown>)[key];
    }
    return { found: true, value };
  };
}

function balanced(path: string): boolean {
  const unquoted = path.replace(/'[^']*'|"[^"]*"/g, '');
  const count = (c: string) => unquoted.split(c).length - 1;
  return count('[') === count(']') && count('(') === count(')');
}
