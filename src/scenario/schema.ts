// The one source of truth for the scenario file's shape. The validator (schema-check.ts) reads it, and
// schema/scenario.schema.json is this object printed (regenerate: writeSchemaFile, or
// `UPDATE_SCHEMA=1 npx vitest run test/scenario-schema.test.ts`), so editors with yaml-language-server
// give the same answers as `bench validate`. Draft-07, compiling in Ajv's strict mode (no union types: anyOf
// or if/then/else instead). Custom messages use `errorMessage` (a string), the key yaml-language-server
// and ajv-errors both read: put it only on a leaf, where one message fits every way the value can be wrong.

export type JsonSchema = { [keyword: string]: unknown };

export const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'] as const;

// A bare number would be ambiguous (Artillery reads seconds, others milliseconds): durations need a unit; 0 is 0.
const DURATION_PATTERN = '^(0|(\\d+(\\.\\d+)?(us|µs|ms|s|m|h))+)$';
const RANGE_PART = '(\\d+(\\.\\d+)?(us|µs|ms|s|m|h))+';
const THINK_PATTERN = `^(0|${RANGE_PART}(\\s*\\.\\.\\s*${RANGE_PART})?)$`;
const RATE_PATTERN = '^\\d+(\\.\\d+)?\\s*(/\\s*\\d*\\s*(s|sec|second|m|min|minute|h|hour))?$';
// "<metric> <op> <value>" (p95 < 200ms, p(99)<300, error_rate < 1%); src/slo/parse.ts judges metric and value.
const SLO_EXPR = '[A-Za-z_][A-Za-z0-9_.]*(\\(\\s*\\d+(\\.\\d+)?\\s*\\))?\\s*(<=|>=|==|!=|<|>)\\s*\\S.*$';
const SLO_PATTERN = `^\\s*((flow:)?[^:<>=!]+:\\s*)?${SLO_EXPR}`;
const SLO_EXPR_PATTERN = `^\\s*${SLO_EXPR}`;

const NEEDS_UNIT = 'needs a unit, e.g. 2s or 500ms (a bare number is ambiguous)';

/** A string in the given pattern, or the number 0: any other bare number lacks its unit. */
function withUnit(description: string, pattern: string, errorMessage: string) {
  return {
    description,
    if: { type: 'number' },
    then: { const: 0, errorMessage: NEEDS_UNIT },
    else: { type: 'string', pattern, errorMessage },
  };
}

const duration = withUnit('Go-style duration: 500ms, 30s, 1m30s', DURATION_PATTERN, 'must be a duration like 500ms, 30s or 1m30s');

const think = withUnit(
  'pause: a duration (50ms) or a uniform random range (50ms..200ms)',
  THINK_PATTERN,
  'must be a duration like 100ms or a range like 50ms..200ms',
);

const rate = {
  description: 'arrivals per second: 100/s, 6000/m (a bare number is per second)',
  if: { type: 'number' },
  then: { type: 'number', minimum: 0 },
  else: { type: 'string', pattern: RATE_PATTERN, errorMessage: 'must be a rate like 100/s or 6000/m' },
};

const scalarValue = { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] };

const headers = {
  description: 'header name → value; {{ templates }} allowed in step headers',
  type: 'object',
  additionalProperties: scalarValue,
};

const phaseName = { type: 'string', description: 'shown in reports and the timeline' };

const openPhase = {
  description: 'open model: arrivals per second, independent of response times',
  type: 'object',
  properties: { name: phaseName, duration, rate, rampTo: { ...rate, description: 'ramp linearly to this rate by the end of the phase' } },
  required: ['duration', 'rate'],
  additionalProperties: false,
};

const closedPhase = {
  description: 'closed model: vus users, each looping over flows',
  type: 'object',
  properties: {
    name: phaseName,
    duration,
    vus: { type: 'integer', minimum: 0, description: 'concurrent users (at the start, when ramping: 0 allowed)' },
    rampTo: { type: 'integer', minimum: 0, description: 'start (or stop) users one by one to this many by the end of the phase' },
    gracefulRampDown: { ...duration, description: 'a user stopped by a ramp-down finishes its iteration within this grace (default: the request timeout)' },
    think: { ...think, description: 'pause between iterations' },
  },
  required: ['duration', 'vus'],
  // Without a ramp a phase needs users; a ramp may start from 0.
  if: { type: 'object', ...has('rampTo') },
  then: true,
  else: { properties: { vus: { type: 'integer', minimum: 1 } } },
  additionalProperties: false,
};

const iterationsPhase = {
  description: 'a fixed number of iterations (k6 shared-iterations / per-vu-iterations); the phase ends when they are done',
  type: 'object',
  properties: {
    name: phaseName,
    iterations: { type: 'integer', minimum: 1, description: 'iterations in all, shared among the users (perVu: each user\'s)' },
    vus: { type: 'integer', minimum: 1, description: 'concurrent users (default 1)' },
    perVu: { type: 'boolean', description: 'iterations is per user (k6 per-vu-iterations); default false: shared' },
    maxDuration: { ...duration, description: 'the phase ends at the latest after this long (default 10m)' },
    think: { ...think, description: 'pause between iterations' },
  },
  required: ['iterations'],
  additionalProperties: false,
};

/** "has these keys": `required`, with the keys declared too (Ajv's strictRequired wants them in the same object). */
function has(...keys: string[]) {
  return { properties: Object.fromEntries(keys.map((key) => [key, {}])), required: keys };
}

const phase = {
  if: { type: 'object', ...has('iterations') },
  then: { $ref: '#/definitions/iterationsPhase' },
  else: { if: { type: 'object', ...has('vus') }, then: { $ref: '#/definitions/closedPhase' }, else: { $ref: '#/definitions/openPhase' } },
};

const statusCode = { type: 'integer', minimum: 100, maximum: 599 };

const expect = {
  type: 'object',
  properties: {
    status: { anyOf: [statusCode, { type: 'array', items: statusCode, minItems: 1 }], description: 'accepted status (or list)' },
    headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'header → exact value or /regex/' },
    json: { type: 'object', description: 'JSONPath ($.id) → expected value or /regex/' },
    contains: { type: 'string', description: 'the body contains this text' },
  },
  additionalProperties: false,
};

const capture = {
  description: 'variable name → $.jsonpath, { header: name }, { cookie: name } or { regex: "...", group: 1 }',
  type: 'object',
  additionalProperties: {
    anyOf: [
      { type: 'string', pattern: '^\\$', errorMessage: 'must be a JSONPath starting with $' },
      { type: 'object', properties: { header: { type: 'string' } }, required: ['header'], additionalProperties: false },
      { type: 'object', properties: { cookie: { type: 'string', description: 'a cookie the response sets (Set-Cookie), by name' } }, required: ['cookie'], additionalProperties: false },
      {
        type: 'object',
        properties: { regex: { type: 'string' }, group: { type: 'integer', minimum: 0 } },
        required: ['regex'],
        additionalProperties: false,
      },
    ],
  },
};

const graphql = {
  type: 'object',
  properties: { query: { type: 'string' }, variables: { type: 'object' }, operationName: { type: 'string' } },
  required: ['query'],
  additionalProperties: false,
};

const tags = { type: 'object', additionalProperties: scalarValue, description: 'labels, e.g. { kind: read }: in result.json endpoints, and SLOs can select by them' };

const path = { type: 'string', description: 'path (/api/x/{{ id }}) relative to target, or an absolute URL' };

const requestStep = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'endpoint name in reports (default: METHOD /path)' },
    ...Object.fromEntries(METHODS.map((method) => [method, path])),
    graphql,
    headers,
    query: { type: 'object', additionalProperties: scalarValue, description: 'query parameters' },
    json: { description: 'JSON body; sets content-type: application/json' },
    body: { type: 'string', description: 'raw body' },
    expect,
    capture,
    tags,
  },
  oneOf: [...METHODS, 'graphql'].map((method) => has(method)),
  not: has('json', 'body'),
  additionalProperties: false,
};

const thinkStep = { type: 'object', properties: { think }, required: ['think'], additionalProperties: false };

const step = { if: { type: 'object', ...has('think') }, then: { $ref: '#/definitions/thinkStep' }, else: { $ref: '#/definitions/requestStep' } };

const sloExpr = { type: 'string', pattern: SLO_EXPR_PATTERN, errorMessage: 'must be an SLO expression "<metric> <op> <value>", e.g. "p95 < 200ms" or "error_rate < 1%"' };

const slo = {
  anyOf: [
    {
      type: 'string',
      description: '"p95 < 200ms", "error_rate < 1%", "get-product: p99 < 300ms"',
      pattern: SLO_PATTERN,
      errorMessage: 'must be an SLO "<metric> <op> <value>", e.g. "p95 < 200ms", "error_rate < 1%" or "get-product: p99 < 300ms"',
    },
    {
      type: 'object',
      properties: {
        expr: sloExpr,
        endpoint: { type: 'string' },
        tags: { type: 'object', additionalProperties: scalarValue, description: 'judge over the steps carrying every one of these tags, e.g. { kind: read }' },
        abortOnFail: { type: 'boolean', description: 'stop the run as soon as this fails' },
        window: { ...duration, description: 'evaluate abortOnFail over this trailing window' },
      },
      required: ['expr'],
      additionalProperties: false,
    },
    { type: 'object', description: 'endpoint: expression', minProperties: 1, maxProperties: 1, additionalProperties: sloExpr },
  ],
};

export const scenarioSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'bench scenario',
  type: 'object',
  properties: {
    name: { type: 'string', description: 'scenario name (default: file name)' },
    target: { type: 'string', description: 'base URL, e.g. http://127.0.0.1:3000 (--target overrides)' },
    http: {
      type: 'object',
      properties: {
        timeout: { ...duration, description: 'per-request deadline (default 10s)' },
        connections: { type: 'integer', minimum: 1, description: 'connections per origin' },
        maxInFlight: { type: 'integer', minimum: 1, description: 'open model: an arrival that finds this many iterations under way is dropped (default 10000)' },
        headers,
        graphqlPath: { type: 'string', description: 'where graphql steps post (default /graphql)' },
        insecure: { type: 'boolean', description: 'https: accept any certificate, e.g. a self-signed staging server (default false)' },
        maxHeaderSize: { type: 'integer', minimum: 1024, maximum: 1048576, description: "a response head's size limit in bytes (default 16384); a larger head is a protocol error" },
        compression: { type: 'boolean', description: 'send accept-encoding: gzip, deflate, br and decode bodies a check reads (default: only for steps whose checks or captures read the body); false: never' },
        cookies: { enum: ['on', 'keep', 'off'], description: 'cookie jar per virtual user: on (default) empties it at each new iteration, keep keeps it across iterations, off sends none' },
        redirects: { type: 'integer', minimum: 0, maximum: 20, description: 'redirects to follow per request (default 0: a 3xx is the response); followed hops are part of the step latency' },
        version: { enum: ['1.1', '2', 'auto', 1.1, 2], description: "HTTP version: auto (default: HTTP/2 when TLS's ALPN offers it, one stream per connection), 2 (https: HTTP/2, streams multiplexed on http.connections connections; http: h2c by prior knowledge), 1.1" },
        pipelining: { type: 'integer', minimum: 1, maximum: 100, description: 'HTTP/1.1 benchmark mode: up to N idempotent requests written back to back on a connection (default 1: none); latency then includes head-of-line waiting' },
        maxStreams: { type: 'integer', minimum: 1, maximum: 1000, description: 'HTTP/2 (version 2): concurrent streams per connection (default 100)' },
        tls: {
          type: 'object',
          description: 'https: files relative to this scenario (PEM) and the name to verify',
          properties: {
            ca: { type: 'string', description: 'CA certificate(s) to trust' },
            cert: { type: 'string', description: 'client certificate' },
            key: { type: 'string', description: "client certificate's key" },
            servername: { type: 'string', description: 'TLS server name (SNI) and the name verified' },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
    maxRate: { ...rate, description: 'safety ceiling on arrivals per second' },
    load: { type: 'array', items: { $ref: '#/definitions/phase' }, minItems: 1, description: 'phases, in order' },
    gracefulStop: { ...duration, description: 'after the last phase, iterations under way finish within this grace (default: the request timeout + 1s)' },
    variables: { type: 'object', description: 'constants usable as {{ name }}' },
    data: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: {
          csv: { type: 'string', description: 'path relative to this file' },
          order: { enum: ['sequential', 'random'] },
          delimiter: { type: 'string', minLength: 1, description: 'field separator (default ","), e.g. ";" or "\t"' },
        },
        required: ['csv'],
        additionalProperties: false,
      },
    },
    setup: { type: 'array', items: { $ref: '#/definitions/step' }, description: 'steps run once before the load' },
    flows: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          weight: { type: 'number', exclusiveMinimum: 0 },
          tags: { ...tags, description: 'labels for every step of this flow (a step\'s own tags win)' },
          steps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } },
        },
        required: ['steps'],
        additionalProperties: false,
      },
    },
    slo: { type: 'array', items: slo, description: 'absent: p95 < 200ms, rps >= 100, error_rate < 1%' },
    stream: {
      type: 'object',
      description: 'live metrics during the run (README "Live metrics"); --stream KIND=URL adds outputs',
      properties: {
        prometheus: { type: 'string', description: 'remote-write URL, e.g. http://prometheus:9090/api/v1/write' },
        otlp: { type: 'string', description: 'OTLP/HTTP metrics URL, e.g. http://collector:4318/v1/metrics' },
        interval: { ...duration, description: 'how often to send (default 5s, at least 1s)' },
        labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'extra labels on every series' },
        histograms: { enum: ['native', 'classic'], description: 'latency as a native histogram (default) or classic le buckets' },
      },
      additionalProperties: false,
    },
  },
  required: ['load', 'flows'],
  additionalProperties: false,
  definitions: { phase, openPhase, closedPhase, iterationsPhase, step, thinkStep, requestStep },
};

/** The published file's exact text. */
export function schemaFileText(): string {
  return `${JSON.stringify(scenarioSchema, null, 2)}\n`;
}
