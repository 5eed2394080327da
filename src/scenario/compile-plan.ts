// Checked scenario data → Plan. Pure apart from what was loaded before (data sources); every problem is
// reported to the sink and compilation carries on, so the user sees all of them at once.
import { existsSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { VERSION } from '../version.js';
import type { Flow, HttpOptions, Plan, Step, Vars } from '../types.js';
import { makeIterationVars, type DataSource } from './data.js';
import { checkThink, compilePhases } from './phases.js';
import { formatPath, type FieldPath, type ProblemSink } from './problems.js';
import { compileRequestStep, type StepContext } from './request-step.js';
import { headerSecrets } from './secrets.js';
import { compileSlos } from './slos.js';
import { TemplateScope } from './template.js';
import { parseDuration, parseRate } from './units.js';
import { CAPTURE_NAME } from './verify.js';

export interface CompileInput {
  value: Record<string, unknown>;
  /** absolute path of the scenario file */
  file: string;
  dataSources: readonly DataSource[];
  envSecrets: readonly string[];
  problems: ProblemSink;
}

type Raw = Record<string, unknown>;

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_IN_FLIGHT = 10_000;
export const DEFAULT_GRAPHQL_PATH = '/graphql';

export function compilePlan({ value, file, dataSources, envSecrets, problems }: CompileInput): Plan {
  const http = asMap(value.http);
  const secrets = new Set(envSecrets);
  const variables = compileVariables(value.variables, dataSources, problems);
  const context: StepContext = {
    // Like k6 and Artillery, say who is calling (gateways and WAFs may refuse requests without it).
    defaultHeaders: { 'user-agent': `bench/${VERSION}`, ...lowerCaseHeaders(http.headers) },
    graphqlPath: typeof http.graphqlPath === 'string' ? http.graphqlPath : DEFAULT_GRAPHQL_PATH,
    // A data source that could not be loaded was reported once; its {{ name.field }}s are not reported again.
    scope: baseScope(variables, dataSources).with(Object.keys(asMap(value.data)).filter((name) => !dataSources.some((s) => s.name === name)), null),
    problems,
    endpoints: new Map(),
    secrets,
    compression: typeof http.compression === 'boolean' ? http.compression : undefined,
  };
  const setup = compileSteps(value.setup, ['setup'], context);
  const tags = new Map<number, Record<string, string>>();
  const seen = { steps: new Map<number, string>(), warnings: [] as string[] };
  const flows = compileFlows(value.flows, { ...context, scope: setup.scope }, tags, seen);
  const endpoints = [...context.endpoints.keys()];
  const endpointTags = tags.size === 0 ? undefined : endpoints.map((_, i) => tags.get(i) ?? {});
  for (const [name, text] of Object.entries(context.defaultHeaders)) for (const secret of headerSecrets(name, text)) secrets.add(secret);
  const maxRate = value.maxRate === undefined ? undefined : parseRate(value.maxRate) ?? undefined;
  return {
    name: typeof value.name === 'string' ? value.name : basename(file, extname(file)),
    file,
    target: compileTarget(value.target, problems),
    http: compileHttp(http, file, problems),
    phases: compilePhases(value.load, problems),
    flows,
    endpoints,
    ...(endpointTags ? { endpointTags } : {}),
    ...(seen.warnings.length > 0 ? { warnings: seen.warnings } : {}),
    setup: setup.steps,
    ...compileSlos(value.slo, endpoints, problems, flows.map((f) => f.name)),
    iterationVars: makeIterationVars(variables, dataSources),
    // A target from the environment is where the load goes, not a secret: reports must name it.
    secrets: [...secrets].filter((s) => s !== value.target),
    ...(maxRate === undefined ? {} : { maxRate }),
    ...(value.gracefulStop === undefined ? {} : { gracefulStopMs: parseDuration(value.gracefulStop) ?? undefined }),
    ...(value.stream && typeof value.stream === 'object' ? { stream: value.stream as Plan['stream'] } : {}),
  };
}

function asMap(value: unknown): Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

function compileTarget(target: unknown, problems: ProblemSink): string {
  if (typeof target !== 'string' || target === '') return '';
  let url: URL | undefined;
  try {
    url = new URL(target);
  } catch {
    url = undefined;
  }
  // The value is not echoed: it may come from the environment, whose values never reach a log line.
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) problems.add(['target'], 'is not an http(s) URL, e.g. http://127.0.0.1:3000');
  else if (url.username || url.password) problems.add(['target'], 'credentials in the URL are not sent; use http.headers (authorization: "Basic ${CREDENTIALS}")');
  return target.replace(/\/+$/, '');
}

function compileHttp(http: Raw, file: string, problems: ProblemSink): HttpOptions {
  const options: HttpOptions = {
    timeoutMs: parseDuration(http.timeout) ?? DEFAULT_TIMEOUT_MS,
    maxInFlight: typeof http.maxInFlight === 'number' ? http.maxInFlight : DEFAULT_MAX_IN_FLIGHT,
    graphqlPath: typeof http.graphqlPath === 'string' ? http.graphqlPath : DEFAULT_GRAPHQL_PATH,
  };
  if (typeof http.connections === 'number') options.connections = http.connections;
  if (http.insecure === true) options.insecure = true;
  if (typeof http.maxHeaderSize === 'number') options.maxHeaderSize = http.maxHeaderSize;
  if (typeof http.compression === 'boolean') options.compression = http.compression;
  if (http.cookies === 'on' || http.cookies === 'keep' || http.cookies === 'off') options.cookies = http.cookies;
  if (typeof http.redirects === 'number') options.redirects = http.redirects;
  if (http.version === '1.1' || http.version === '2' || http.version === 'auto') options.version = http.version;
  else if (http.version === 2 || http.version === 1.1) options.version = http.version === 2 ? '2' : '1.1';
  if (typeof http.maxStreams === 'number') options.maxStreams = http.maxStreams;
  if (typeof http.pipelining === 'number' && http.pipelining > 1) options.pipelining = http.pipelining;
  const tls = compileTls(asMap(http.tls), file, problems);
  if (tls) options.tls = tls;
  return options;
}

/** http.tls: files relative to the scenario, checked to exist here (read when the client connects). */
function compileTls(tls: Raw, file: string, problems: ProblemSink): HttpOptions['tls'] {
  const out: NonNullable<HttpOptions['tls']> = {};
  const base = file ? dirname(file) : process.cwd();
  for (const key of ['ca', 'cert', 'key'] as const) {
    const value = tls[key];
    if (typeof value !== 'string') continue;
    const path = resolve(base, value);
    if (!existsSync(path)) problems.add(['http', 'tls', key], `file not found: ${value} (relative to the scenario)`);
    out[key] = path;
  }
  if (typeof tls.servername === 'string') out.servername = tls.servername;
  if ((out.cert === undefined) !== (out.key === undefined)) problems.add(['http', 'tls', out.cert === undefined ? 'cert' : 'key'], 'a client certificate needs both cert and key');
  return Object.keys(out).length > 0 ? out : undefined;
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(asMap(headers))) out[name.toLowerCase()] = String(value);
  return out;
}

function compileVariables(raw: unknown, dataSources: readonly DataSource[], problems: ProblemSink): Vars {
  const variables = asMap(raw);
  for (const name of Object.keys(variables)) {
    if (!CAPTURE_NAME.test(name)) problems.add(['variables', name], `variable name "${name}" must be letters, digits and _`, 'key');
    if (dataSources.some((source) => source.name === name)) problems.add(['variables', name], `"${name}" is both a variable and a data source`, 'key');
  }
  for (const source of dataSources) {
    if (!CAPTURE_NAME.test(source.name)) problems.add(['data', source.name], `data source name "${source.name}" must be letters, digits and _`, 'key');
  }
  return variables;
}

function baseScope(variables: Vars, dataSources: readonly DataSource[]): TemplateScope {
  let scope = TemplateScope.empty().with(Object.keys(variables));
  for (const source of dataSources) scope = scope.with([source.name], source.fields);
  return scope;
}

/** Steps in order; each step sees the captures of the steps before it. */
/** `tags:` as strings (the schema checked they are a map of scalars). */
function tagsOf(raw: unknown): Record<string, string> {
  return Object.fromEntries(Object.entries(asMap(raw)).map(([k, v]) => [k, String(v)]));
}

function compileSteps(
  raw: unknown,
  path: FieldPath,
  context: StepContext,
  tags?: { flow: Record<string, string>; into: Map<number, Record<string, string>>; seen: { steps: Map<number, string>; warnings: string[] } },
): { steps: Step[]; scope: TemplateScope } {
  const steps: Step[] = [];
  let scope = context.scope;
  (Array.isArray(raw) ? raw : []).forEach((item, index) => {
    const at = [...path, index];
    const spec = asMap(item);
    if ('think' in spec) {
      const think = checkThink(spec.think, [...at, 'think'], context.problems);
      if (think) steps.push({ kind: 'think', ...think });
      return;
    }
    const compiled = compileRequestStep(spec, at, { ...context, scope });
    if (!compiled) return;
    steps.push(compiled.step);
    scope = scope.with(compiled.captures);
    const mine = { ...tags?.flow, ...tagsOf(spec.tags) };
    const first = tags?.seen.steps.get(compiled.step.endpoint);
    const here = formatPath(at);
    if (first !== undefined) tags!.seen.warnings.push(`${here}: "${compiled.name}" is also the name of ${first}: both are counted in one endpoint row (name them apart to see them apart)`);
    else tags?.seen.steps.set(compiled.step.endpoint, here);
    if (tags && Object.keys(mine).length > 0) tags.into.set(compiled.step.endpoint, { ...tags.into.get(compiled.step.endpoint), ...mine });
  });
  return { steps, scope };
}

function compileFlows(raw: unknown, context: StepContext, tags: Map<number, Record<string, string>>, seen: { steps: Map<number, string>; warnings: string[] }): Flow[] {
  const flows = Array.isArray(raw) ? raw : [];
  return flows.map((item, index) => {
    const spec = asMap(item);
    return {
      name: typeof spec.name === 'string' ? spec.name : `flow-${index + 1}`,
      weight: typeof spec.weight === 'number' ? spec.weight : 1,
      steps: compileSteps(spec.steps, ['flows', index, 'steps'], context, { flow: tagsOf(spec.tags), into: tags, seen }).steps,
    };
  });
}
