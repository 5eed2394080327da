// loadScenario: the one place in scenario/ with side effects (reading the file and its data CSVs).
// Pipeline: text → YAML document → env substitution → plain data → schema check → data → Plan.
// Every stage reports to one ProblemList; a ScenarioError carries all of them.
import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ScenarioError, UsageError } from '../errors.js';
import type { Plan } from '../types.js';
import { compilePlan } from './compile-plan.js';
import { loadDataSources } from './data.js';
import { substituteEnv, type Env } from './env.js';
import { formatPath, ProblemList } from './problems.js';
import { checkAgainstSchema } from './schema-check.js';
import { migrationHint } from './migration.js';
import { checkTargetFlag } from './overrides.js';
import { scenarioSchema } from './schema.js';
import { MAX_SCENARIO_BYTES, parseYamlSource, toPlainData } from './yaml-source.js';

export interface LoadOptions {
  /** environment for ${VAR} (default: process.env) */
  env?: Env;
  /** --target: replaces the file's target before substitution, so an unset ${TARGET} there is no error */
  target?: string;
  /** --rate or --vus replace the load: a file without `load:` is fine then */
  loadFromFlags?: boolean;
}

export async function loadScenario(file: string, options: LoadOptions = {}): Promise<Plan> {
  const path = resolve(file);
  const text = await readScenarioText(file, path);
  return parseScenario(text, path, options);
}

/** Same as loadScenario for text already in memory (bench init's self-check, tests). */
export async function parseScenario(text: string, path: string, options: LoadOptions = {}): Promise<Plan> {
  if (text.length > MAX_SCENARIO_BYTES) throw new UsageError(`scenario ${path} is larger than ${MAX_SCENARIO_BYTES} bytes`);
  const source = parseYamlSource(text);
  const problems = new ProblemList(path, source.locate);
  for (const issue of source.issues) problems.addAt({ file: path, ...issue.position, path: '', message: issue.message });
  if (source.issues.length > 0) throw new ScenarioError(problems.sorted());
  // A --target is the command line's: a bad one is blamed there, never on the file's target line.
  if (options.target !== undefined) checkTargetFlag(options.target);
  if (options.target !== undefined && source.doc.has('target')) source.doc.set('target', options.target);
  const envSecrets = substituteEnv(source.doc, options.env ?? process.env, problems);
  const data = toPlainData(source);
  if ('issue' in data) {
    problems.addAt({ file: path, ...data.issue.position, path: '', message: data.issue.message });
    throw new ScenarioError(problems.sorted());
  }
  if (data.value === null || typeof data.value !== 'object' || Array.isArray(data.value)) {
    problems.add([], 'a scenario is a map with at least "load" and "flows" (try `bench init`)');
    throw new ScenarioError(problems.sorted());
  }
  // Schema problems are causes: what compiling the same field then finds (an SLO the schema already
  // refused) is not said a second time. Marked on a field's last schema problem, so all of those show.
  // An Artillery script or k6 options: one line mapping their words onto bench's, before the details.
  const hint = migrationHint(data.value);
  if (hint) problems.add([], hint);
  const issues = checkAgainstSchema(scenarioSchema, data.value).filter(
    (issue) => !(options.loadFromFlags && issue.path.length === 0 && issue.message === 'missing required key "load"'),
  );
  issues.forEach((issue, i) => {
    const last = !issues.slice(i + 1).some((later) => formatPath(later.path) === formatPath(issue.path));
    problems.add(issue.path, issue.message, issue.anchor, last);
  });
  const value = data.value as Record<string, unknown>;
  const dataSources = await loadDataSources(value.data, dirname(path), problems);
  const plan = compileAfterChecks(() => compilePlan({ value, file: path, dataSources, envSecrets, problems }), problems);
  if (problems.problems.length > 0) throw new ScenarioError(problems.sorted());
  return plan;
}

/**
 * Compiling goes on after schema problems, to report more at once; on a document already known to be
 * invalid it may trip over a shape the schema rejected. The user then gets the problems (exit 2), not
 * a crash. A throw on a document with no problems is a real bug and stays one.
 */
function compileAfterChecks(compile: () => Plan, problems: ProblemList): Plan {
  try {
    return compile();
  } catch (error) {
    if (problems.problems.length > 0) throw new ScenarioError(problems.sorted());
    throw error;
  }
}

async function readScenarioText(file: string, path: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`scenario ${file} is not a file`);
    if (info.size > MAX_SCENARIO_BYTES) throw new UsageError(`scenario ${file} is ${info.size} bytes; the limit is ${MAX_SCENARIO_BYTES}`);
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `scenario file not found: ${file}` : `cannot read scenario ${file} (${code ?? 'error'})`);
  }
}
