// Typed errors: the CLI maps each to its documented exit code in one place (src/cli/main.ts).

export const EXIT = { ok: 0, sloFailed: 1, invalid: 2, runFailed: 3, interrupted: 130 } as const;

/** A problem in a scenario file, located for the user. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  /** field path, e.g. "flows[0].steps[1].get" */
  path: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.col}  ${p.path || '(root)'}  ${p.message}`;
}

/** Invalid scenario: every problem found, at once. Exit 2. */
export class ScenarioError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
  }
}

/** Bad command-line usage or bad input file other than a scenario. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The run could not be carried out (target unusable in preflight, cannot write reports, …). Exit 3. */
export class RunError extends Error {
  override name = 'RunError';
}
