// Collects every problem of a scenario file (k6's Validate() []error), each located by field path.
// Checkers only say *where* (a path into the document) and *what*; the locator turns paths into line:col.
import type { Problem } from '../errors.js';
import { FOREIGN_KEYS } from './migration.js';

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

/** Where a problem points: at a map key (unknown keys) or at the value (everything else). */
export type Anchor = 'key' | 'value';

export interface Position {
  line: number;
  col: number;
}

export type Locator = (path: FieldPath, anchor: Anchor) => Position;

/** What every checker writes to. */
export interface ProblemSink {
  /** cause: later problems at the same field follow from this one and are not reported */
  add(path: FieldPath, message: string, anchor?: Anchor, cause?: boolean): void;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** ['flows', 0, 'steps', 2, 'get'] → "flows[0].steps[2].get"; odd keys are quoted: expect.json["$.id"]. */
export function formatPath(path: FieldPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text ? `.${segment}` : segment;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

export class ProblemList implements ProblemSink {
  readonly problems: Problem[] = [];
  /** fields whose later problems are consequences of the first */
  private readonly causes = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly locate: Locator,
  ) {}

  add(path: FieldPath, message: string, anchor: Anchor = 'value', cause = false): void {
    const { line, col } = this.locate(path, anchor);
    const text = formatPath(path);
    // An unset ${VAR} also makes its value invalid: say only the cause. Shared parts (http.headers) are
    // compiled once per step: say each of their problems once.
    if (this.causes.has(text) || this.problems.some((p) => p.path === text && p.message === message)) return;
    if (cause) this.causes.add(text);
    this.problems.push({ file: this.file, line, col, path: text, message });
  }

  /** A problem in another file (a data CSV), already located there. */
  addAt(problem: Problem): void {
    this.problems.push(problem);
  }

  /** In reading order, so the user fixes them top to bottom. */
  sorted(): Problem[] {
    return [...this.problems].sort((a, b) => (a.file === b.file ? a.line - b.line || a.col - b.col : 0));
  }
}

/** The closest candidate within a small edit distance, for "did you mean" hints. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  // Short words need a near-exact match, or every typo "means" some unrelated short key.
  let bestDistance = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  const list = [...candidates];
  // Artillery's and k6's words for bench's keys (arrivalRate → rate, thresholds → slo), where bench's is allowed.
  const foreign = Object.hasOwn(FOREIGN_KEYS, word) ? FOREIGN_KEYS[word] : undefined;
  const hint = foreign !== undefined && list.includes(foreign) ? foreign : closest(word, list);
  return hint === undefined ? '' : ` (did you mean "${hint}"?)`;
}

/** Optimal string alignment distance: a swapped pair of letters ("laod") counts as one edit. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
    }
  }
  return d[a.length]![b.length]!;
}
