// YAML text → document + locator. Guards against hostile input: size, alias bombs, nesting depth.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Anchor, FieldPath, Locator, Position } from './problems.js';

/** A scenario is a few KB; anything this big is a mistake (or an attack), not a load test. */
export const MAX_SCENARIO_BYTES = 1_000_000;
/** Anchors are handy for shared headers; thousands of expansions are a "billion laughs" bomb. */
export const MAX_ALIAS_COUNT = 200;
export const MAX_DEPTH = 64;

export interface SourceIssue {
  position: Position;
  message: string;
}

export interface YamlSource {
  doc: Document.Parsed;
  locate: Locator;
  /** syntax errors, located */
  issues: SourceIssue[];
}

export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });
  const at = (offset: number): Position => lineCounter.linePos(offset);
  const issues = doc.errors.map((error) => ({ position: at(error.pos[0]), message: firstLine(error.message) }));
  return { doc, locate: makeLocator(doc, at), issues };
}

/** The document as plain data; an issue instead of a throw for alias bombs and absurd nesting. */
export function toPlainData(source: YamlSource): { value: unknown } | { issue: SourceIssue } {
  const start = { line: 1, col: 1 };
  try {
    const value: unknown = source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    if (depthExceeds(value, MAX_DEPTH)) return { issue: { position: start, message: `nested deeper than ${MAX_DEPTH} levels` } };
    return { value };
  } catch (error) {
    const message = error instanceof ReferenceError ? 'too many alias expansions (a YAML alias bomb?)' : `cannot read the document: ${firstLine(String(error))}`;
    return { issue: { position: start, message } };
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Iterative, so the guard itself cannot overflow the stack. */
function depthExceeds(root: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Follows a field path through the YAML tree; points at the deepest node that exists. */
function makeLocator(doc: Document.Parsed, at: (offset: number) => Position): Locator {
  return (path: FieldPath, anchor: Anchor): Position => {
    let node: unknown = doc.contents;
    let best = rangeStart(node) ?? 0;
    for (let i = 0; i < path.length; i++) {
      node = resolveAlias(doc, node);
      const segment = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(segment));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        if (last && anchor === 'key' && keyStart !== undefined) return at(keyStart);
        node = pair.value;
        best = rangeStart(node) ?? keyStart ?? best;
      } else if (isSeq(node) && typeof segment === 'number') {
        node = node.items[segment];
        best = rangeStart(node) ?? best;
        if (node === undefined) break;
      } else break;
    }
    return at(best);
  };
}

function resolveAlias(doc: Document.Parsed, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}
