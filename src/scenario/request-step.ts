// One request step of the file → a RequestStep: render(vars) builds the request from closures compiled
// here, verify(res, vars) judges the response (verify.ts). Constant parts are computed once, at load.
import type { RequestSpec, RequestStep, Vars } from '../types.js';
import type { FieldPath, ProblemSink } from './problems.js';
import { METHODS } from './schema.js';
import { headerSecrets } from './secrets.js';
import { compileText, stringify, TemplateError, type RenderText, type TemplateScope } from './template.js';
import { hasTemplate } from './template-parse.js';
import { compileValue } from './template-value.js';
import { compileVerify } from './verify.js';
import { headerProblem } from '../engine/request-check.js';

export interface StepContext {
  /** http.headers, names lower-cased, values as written (templates allowed) */
  defaultHeaders: Record<string, string>;
  graphqlPath: string;
  scope: TemplateScope;
  problems: ProblemSink;
  /** endpoint name → index; steps with the same name share an endpoint */
  endpoints: Map<string, number>;
  secrets: Set<string>;
  /** http.compression: true for every step, false never, undefined for steps whose checks read the body */
  compression?: boolean;
}

/** What a step asks for when compression is on (http.compression; node:zlib decodes all three). */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

export interface CompiledRequestStep {
  step: RequestStep;
  name: string;
  captures: string[];
}

type Raw = Record<string, unknown>;

export function compileRequestStep(raw: Raw, path: FieldPath, ctx: StepContext): CompiledRequestStep | null {
  const method = requestMethod(raw);
  if (method === null) return null;
  // A graphql step that is not a map (e.g. `graphql:` left empty) was reported by the schema check.
  if (method === 'graphql' && !isMap(raw.graphql)) return null;
  const target = method === 'graphql' ? ctx.graphqlPath : raw[method];
  if (typeof target !== 'string') return null;
  const name = typeof raw.name === 'string' ? raw.name : defaultName(method, target, raw);
  const renderPath = compilePath(target, raw.query, path, method, ctx);
  const renderBody = compileBody(raw, path, ctx);
  const httpMethod = method === 'graphql' ? 'POST' : method.toUpperCase();
  const { verify, explain, readBody, captures } = compileVerify(raw, path, ctx.scope, ctx.problems);
  const compress = ctx.compression ?? readBody;
  const renderHeaders = compileHeaders(raw, path, ctx, renderBody !== undefined && raw.body === undefined, compress);
  const render = (vars: Vars): RequestSpec => {
    const spec: RequestSpec = { method: httpMethod, path: renderPath(vars), headers: renderHeaders(vars) };
    if (renderBody) spec.body = renderBody(vars);
    return spec;
  };
  return { step: { kind: 'request', endpoint: endpointIndex(name, ctx.endpoints), readBody, captures: captures.length > 0, render, verify, explain }, name, captures };
}

function requestMethod(raw: Raw): (typeof METHODS)[number] | 'graphql' | null {
  const present = [...METHODS, 'graphql' as const].filter((m) => raw[m] !== undefined);
  return present.length === 1 ? present[0]! : null;
}

/** The template text, never an expanded URL: one endpoint per step, whatever ids it sends. */
function defaultName(method: string, target: string, raw: Raw): string {
  if (method !== 'graphql') return `${method.toUpperCase()} ${target}`;
  const operation = (raw.graphql as Raw).operationName;
  return typeof operation === 'string' ? `graphql ${operation}` : `POST ${target}`;
}

function endpointIndex(name: string, endpoints: Map<string, number>): number {
  let index = endpoints.get(name);
  if (index === undefined) {
    index = endpoints.size;
    endpoints.set(name, index);
  }
  return index;
}

function compileTextAt(text: string, path: FieldPath, ctx: StepContext, encode?: (v: string) => string): RenderText {
  try {
    return compileText(text, ctx.scope, encode);
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    ctx.problems.add(path, error.message);
    return () => text;
  }
}

function compilePath(target: string, query: unknown, path: FieldPath, method: string, ctx: StepContext): RenderText {
  const at = [...path, method];
  if (!/^(\/|https?:\/\/|\{\{)/.test(target)) ctx.problems.add(at, `"${target}" must start with "/" (relative to target) or be an http(s):// URL`);
  // Substituted values are URL-encoded, so an id like "a/b" cannot change the route.
  const renderTarget = compileTextAt(target, at, ctx, encodeURIComponent);
  const renderQuery = compileQuery(query, [...path, 'query'], ctx);
  if (!renderQuery) return renderTarget;
  const separator = target.includes('?') ? '&' : '?';
  return (vars) => `${renderTarget(vars)}${separator}${renderQuery(vars)}`;
}

function compileQuery(query: unknown, path: FieldPath, ctx: StepContext): RenderText | null {
  if (query === null || typeof query !== 'object') return null;
  const params = Object.entries(query as Raw).map(([key, value]) => {
    const render = compileTextAt(stringify(value), [...path, key], ctx);
    const prefix = `${encodeURIComponent(key)}=`;
    return (vars: Vars) => prefix + encodeURIComponent(render(vars));
  });
  if (params.length === 0) return null;
  if (Object.values(query as Raw).every((v) => !hasTemplate(stringify(v)))) {
    const text = params.map((p) => p({})).join('&');
    return () => text;
  }
  return (vars) => params.map((p) => p(vars)).join('&');
}

function compileBody(raw: Raw, path: FieldPath, ctx: StepContext): RenderText | undefined {
  if (raw.graphql !== undefined) {
    if (raw.json !== undefined || raw.body !== undefined) ctx.problems.add(path, 'a graphql step builds its own body: remove json/body');
    const { query, variables, operationName } = raw.graphql as Raw;
    return jsonBody({ query, variables, operationName }, [...path, 'graphql'], ctx);
  }
  if (raw.json !== undefined) return jsonBody(raw.json, [...path, 'json'], ctx);
  if (typeof raw.body === 'string') return compileTextAt(raw.body, [...path, 'body'], ctx);
  return undefined;
}

function jsonBody(value: unknown, path: FieldPath, ctx: StepContext): RenderText {
  const compiled = compileValue(value, ctx.scope, path, ctx.problems);
  if (compiled.constant) {
    const text = JSON.stringify(value);
    return () => text;
  }
  return (vars) => JSON.stringify(compiled.render(vars));
}

/** http.headers under the step's (case-insensitive; the step wins). JSON bodies default their content-type. */
function compileHeaders(raw: Raw, path: FieldPath, ctx: StepContext, isJson: boolean, compress: boolean): (vars: Vars) => Record<string, string> {
  const merged = new Map<string, { text: string; path: FieldPath }>();
  for (const [name, text] of Object.entries(ctx.defaultHeaders)) merged.set(name, { text, path: ['http', 'headers', name] });
  const own = raw.headers !== null && typeof raw.headers === 'object' ? (raw.headers as Raw) : {};
  for (const [name, value] of Object.entries(own)) merged.set(name.toLowerCase(), { text: stringify(value), path: [...path, 'headers', name] });
  if (isJson && !merged.has('content-type')) merged.set('content-type', { text: 'application/json', path });
  // The step's own accept-encoding wins (even with compression off: it is then sent as written).
  if (compress && !merged.has('accept-encoding')) merged.set('accept-encoding', { text: ACCEPT_ENCODING, path });
  for (const [name, { text }] of merged) for (const secret of headerSecrets(name, text)) ctx.secrets.add(secret);
  const constant: Record<string, string> = {};
  const dynamic: Array<[string, RenderText]> = [];
  for (const [name, { text, path: at }] of merged) {
    const templated = hasTemplate(text);
    // What the HTTP clients would refuse per request, said once here where it can be located.
    const problem = headerProblem(name, templated ? null : text);
    if (problem !== null) ctx.problems.add(at, problem);
    if (templated) dynamic.push([name, compileTextAt(text, at, ctx)]);
    else constant[name] = text;
  }
  // A fresh object per request: the engine may add to it without touching other requests.
  if (dynamic.length === 0) return () => ({ ...constant });
  return (vars) => {
    const headers = { ...constant };
    for (const [name, render] of dynamic) headers[name] = render(vars);
    return headers;
  };
}

function isMap(value: unknown): value is Raw {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
