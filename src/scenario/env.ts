// ${VAR}, ${VAR:-default}, ${VAR:?message} in parsed scalar values — never in the raw text, so an
// environment value cannot inject YAML structure. Runs once, at load, on the document tree.
import { isMap, isPair, isScalar, isSeq, Scalar, type Document } from 'yaml';
import type { FieldPath, ProblemSink } from './problems.js';
import { MAX_DEPTH } from './yaml-source.js';

export type Env = Record<string, string | undefined>;

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{[^}]+\}$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** Substitutes in place; returns the environment values used (they are secrets for reports and logs). */
export function substituteEnv(doc: Document.Parsed, env: Env, problems: ProblemSink): string[] {
  const used = new Set<string>();
  walk(doc.contents, [], (scalar, path) => substituteScalar(scalar, path, env, problems, used));
  return [...used].filter((value) => value !== '' && !NUMBER.test(value));
}

type ScalarVisitor = (scalar: Scalar, path: FieldPath) => void;

function walk(node: unknown, path: FieldPath, visit: ScalarVisitor): void {
  if (path.length > MAX_DEPTH) return;
  if (isScalar(node)) visit(node, path);
  else if (isMap(node)) {
    for (const pair of node.items) if (isPair(pair) && isScalar(pair.key)) walk(pair.value, [...path, String(pair.key.value)], visit);
  } else if (isSeq(node)) node.items.forEach((item, index) => walk(item, [...path, index], visit));
}

function substituteScalar(scalar: Scalar, path: FieldPath, env: Env, problems: ProblemSink, used: Set<string>): void {
  const text = scalar.value;
  if (typeof text !== 'string' || !text.includes('$')) return;
  const result = text.replace(REFERENCE, (match, name: string | undefined, op: string | undefined, arg: string | undefined) => {
    if (match === '$$') return '$';
    const value = env[name!];
    const missing = value === undefined || (op !== undefined && value === '');
    if (!missing) {
      used.add(value);
      return value;
    }
    if (op === '-') return arg!;
    if (op === '?') problems.add(path, `environment variable ${name} is not set: ${arg || 'required'}`, 'value', true);
    else problems.add(path, `environment variable ${name} is not set (give a default with \${${name}:-value})`, 'value', true);
    return '';
  });
  // An unquoted `connections: ${CONNS}` should read like `connections: 64` did.
  const plainWhole = scalar.type === Scalar.PLAIN && WHOLE_REFERENCE.test(text);
  scalar.value = plainWhole ? retype(result) : result;
}

function retype(text: string): unknown {
  if (NUMBER.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}
