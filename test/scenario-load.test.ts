import { VERSION } from '../src/version.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioError, UsageError, type Problem } from '../src/errors.js';
import { loadScenario, parseScenario } from '../src/scenario/load.js';
import type { RequestStep } from '../src/types.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'scenarios');
const fixture = (name: string) => join(FIXTURES, name);
const scratch = mkdtempSync(join(tmpdir(), 'bench-scenario-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function problemsOf(promise: Promise<unknown>): Promise<Problem[]> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).problems;
}

const brief = (problems: Problem[]) => problems.map((p) => `${p.line}:${p.col} ${p.path} ${p.message}`);

function minimal(extra = ''): string {
  return `load:\n  - { duration: 1s, rate: 1/s }\nflows:\n  - steps:\n      - get: /x\n${extra}`;
}

describe('loadScenario: a valid file', () => {
  it('compiles every part of the format into the Plan', async () => {
    const plan = await loadScenario(fixture('valid-full.yml'), { env: { API_KEY: 'k-123456' } });
    expect(plan.name).toBe('full');
    expect(plan.file).toBe(fixture('valid-full.yml'));
    expect(plan.target).toBe('http://127.0.0.1:3000');
    expect(plan.http).toEqual({ timeoutMs: 2000, connections: 8, maxInFlight: 500, graphqlPath: '/gql' });
    expect(plan.maxRate).toBe(100);
    expect(plan.phases).toEqual([
      { kind: 'open', durationMs: 1000, rate: 10, rampTo: 20 },
      { kind: 'open', durationMs: 500, rate: 5, rampTo: 5 },
      { kind: 'closed', durationMs: 90_000, vus: 3, thinkMinMs: 50, thinkMaxMs: 200 },
    ]);
    expect(plan.endpoints).toEqual(['setup-login', 'login', 'GET /api/products/{{ randomItem([1, 2, 3]) }}/{{ picks.note }}', 'cart', 'graphql Ping']);
    expect(plan.setup).toHaveLength(1);
    expect(plan.flows.map((f) => [f.name, f.weight, f.steps.map((s) => s.kind)])).toEqual([
      ['shop', 3, ['request', 'request', 'think', 'request']],
      ['gql', 1, ['request']],
    ]);
    expect(plan.flows[0]!.steps[2]).toEqual({ kind: 'think', minMs: 50, maxMs: 50 });
    expect(plan.slo.map((s) => [s.expr, s.endpoint, s.metric, s.threshold, s.abortOnFail, s.windowMs])).toEqual([
      ['p95 < 200ms', null, 'p95', 200, false, 0],
      ['p99 < 300ms', 'login', 'p99', 300, false, 0],
      ['error_rate < 1%', 'cart', 'error_rate', 0.01, false, 0],
      ['p99 < 1s', 'login', 'p99', 1000, true, 10_000],
    ]);
    expect(plan.sloDefaults).toBe(false);
    expect(plan.secrets).toContain('k-123456');
  });

  it('renders requests: merged headers, encoded path values, query, bodies', async () => {
    const plan = await loadScenario(fixture('valid-full.yml'), { env: { API_KEY: 'k' } });
    const [login, product, , cart] = plan.flows[0]!.steps as RequestStep[];
    const vars = plan.iterationVars(1, {});
    // login reads its body (a JSONPath capture): compression is asked for; product reads none, so it is not.
    expect(login!.render(vars)).toEqual({
      method: 'POST',
      path: '/api/users/login',
      headers: { 'user-agent': `bench/${VERSION}`, accept: 'application/json', 'x-api-key': 'k', 'content-type': 'application/json', 'accept-encoding': 'gzip, deflate, br' },
      body: JSON.stringify({ user: 'bob', password: 'secret2', n: 5 }),
    });
    vars.token = 'tok/1';
    const request = product!.render(vars);
    expect(request.path).toMatch(/^\/api\/products\/[123]\/[^/?]+\?limit=5&q=a%20b$/);
    expect(request.path).not.toMatch(/[ "\n]/);
    expect(request.headers).toEqual({ 'user-agent': `bench/${VERSION}`, accept: 'text/plain', 'x-api-key': 'k', authorization: 'Bearer tok/1' });
    expect(request.body).toBeUndefined();
    expect(cart!.render(vars)).toMatchObject({ method: 'PUT', body: 'raw tok/1', headers: { 'content-type': 'text/plain' } });
    const gql = plan.flows[1]!.steps[0] as RequestStep;
    const sent = gql.render(vars);
    expect(sent.path).toBe('/gql');
    expect(JSON.parse(sent.body!)).toMatchObject({ query: '{ ping }', operationName: 'Ping', variables: { id: expect.any(Number) } });
    expect(gql.readBody).toBe(true);
    expect(product!.readBody).toBe(false);
    expect(login!.readBody).toBe(true);
  });

  it('defaults: name from the file, no target, SLO defaults, http defaults', async () => {
    const file = join(scratch, 'my-test.yml');
    writeFileSync(file, minimal());
    const plan = await loadScenario(file, { env: {} });
    expect(plan.name).toBe('my-test');
    expect(plan.target).toBe('');
    expect(plan.http).toEqual({ timeoutMs: 10_000, maxInFlight: 10_000, graphqlPath: '/graphql' });
    expect(plan.sloDefaults).toBe(true);
    expect(plan.slo.map((s) => s.expr)).toEqual(['p95 < 200ms', 'rps >= 100', 'error_rate < 1%']);
    expect(plan.endpoints).toEqual(['GET /x']);
    expect(plan.maxRate).toBeUndefined();
  });
});

describe('loadScenario: invalid files', () => {
  it('reports every problem at once, with line, column and field path', async () => {
    const problems = await problemsOf(loadScenario(fixture('invalid-many.yml'), { env: {} }));
    expect(problems.every((p) => p.file === fixture('invalid-many.yml'))).toBe(true);
    expect(brief(problems)).toEqual([
      '2:9 target is not an http(s) URL, e.g. http://127.0.0.1:3000',
      '4:12 http.timeout must be a duration like 500ms, 30s or 1m30s',
      '5:3 http.conections unknown key "conections" (did you mean "connections"?)',
      '7:28 load[0].rate must be a rate like 100/s or 6000/m',
      '12:14 flows[0].steps[0].get unknown variable "tokn" (no variables, captures or data sources are defined yet)',
      '16:38 flows[0].steps[1].json.r unknown function "rand" (known: randomInt(min, max), randomItem(list), uuid(), now())',
      '17:19 flows[0].steps[1].expect.stauts unknown key "stauts" (did you mean "status"?)',
      '18:16 flows[0].steps[2].think "200ms..50ms": the range must go from low to high',
      '20:14 flows[0].steps[3].get "api/no-slash" must start with "/" (relative to target) or be an http(s):// URL',
      '23:5 slo[1] no step is named "nope" (endpoints: one, two, three)',
      '24:5 slo[2] cannot read threshold "fast" for p95 (a duration like 200ms or 1.5s)',
    ]);
  });

  it('a capture is only visible to later steps', async () => {
    const text = `load: [{ duration: 1s, rate: 1 }]\nflows:\n  - steps:\n      - get: /a/{{ later }}\n      - get: /b\n        capture: { later: $.x }\n      - get: /c/{{ later }}\n`;
    const problems = await problemsOf(parseScenario(text, '/s.yml', { env: {} }));
    expect(brief(problems)).toEqual(['4:14 flows[0].steps[0].get unknown variable "later" (known: )'.replace(' (known: )', ' (no variables, captures or data sources are defined yet)')]);
  });

  it('requires load and flows, and says what a step needs', async () => {
    const problems = await problemsOf(parseScenario('name: x\nflows:\n  - steps:\n      - name: a\n', '/s.yml', { env: {} }));
    expect(brief(problems)).toEqual([
      '1:1  missing required key "load"',
      '4:9 flows[0].steps[0] needs one of: get, post, put, patch, delete, head, graphql',
    ]);
  });

  it('several problems at one field are all reported', async () => {
    const problems = await problemsOf(parseScenario('name: x\n', '/s.yml', { env: {} }));
    expect(brief(problems)).toEqual(['1:1  missing required key "load"', '1:1  missing required key "flows"']);
  });

  it('durations need a unit: a bare number is ambiguous (seconds in Artillery, milliseconds elsewhere)', async () => {
    const text = 'load: [{ duration: 2, rate: 10 }]\nhttp: { timeout: "1" }\nflows:\n  - steps:\n      - get: /\n      - think: 0\n';
    const problems = await problemsOf(parseScenario(text, '/s.yml', { env: {} }));
    expect(brief(problems)).toEqual([
      '1:20 load[0].duration needs a unit, e.g. 2s or 500ms (a bare number is ambiguous)',
      '2:18 http.timeout must be a duration like 500ms, 30s or 1m30s',
    ]);
  });

  it('YAML syntax errors are located', async () => {
    const problems = await problemsOf(parseScenario('load: [1, 2\nflows: x\n', '/s.yml', { env: {} }));
    expect(problems[0]).toMatchObject({ file: '/s.yml', line: expect.any(Number), col: expect.any(Number) });
    expect(problems[0]!.message).not.toMatch(/\n/);
  });

  it('a non-map document is one clear problem', async () => {
    const problems = await problemsOf(parseScenario('- just\n- a list\n', '/s.yml', { env: {} }));
    expect(problems[0]!.message).toMatch(/a scenario is a map/);
  });

  it('stops alias bombs and absurd nesting quickly, without a stack trace', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) bomb.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`);
    const problems = await problemsOf(parseScenario(`${bomb.join('\n')}\n`, '/s.yml', { env: {} }));
    expect(problems[0]!.message).toMatch(/alias/);
    const deep = `load: ${'['.repeat(200)}${']'.repeat(200)}\n`;
    const deepProblems = await problemsOf(parseScenario(deep, '/s.yml', { env: {} }));
    expect(deepProblems[0]!.message).toMatch(/deeper than 64/);
  });

  it('a missing scenario file is a one-line UsageError naming the file', async () => {
    const error = await loadScenario(join(scratch, 'nope.yml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(`scenario file not found: ${join(scratch, 'nope.yml')}`);
  });
});

describe('data sources', () => {
  it('reads quoted CSV fields, resolves paths from the scenario folder, cycles rows per iteration', async () => {
    const plan = await loadScenario(fixture('valid-full.yml'), { env: { API_KEY: 'k' } });
    const users = [0, 1, 2, 3, 4].map((seq) => plan.iterationVars(seq, {}).users as Record<string, string>);
    expect(users.map((u) => u.user)).toEqual(['alice', 'bob', 'carol', 'alice', 'bob']);
    expect(users[0]).toEqual({ user: 'alice', password: 'p,ss', note: 'said "hi"' });
    expect(users[2]!.note).toBe('multi\nline');
    expect(users[3]).toBe(users[0]);
  });

  it('layers variables and data over shared setup captures without copying', async () => {
    const plan = await loadScenario(fixture('valid-full.yml'), { env: { API_KEY: 'k' } });
    const shared = { adminToken: 'adm' };
    const vars = plan.iterationVars(7, shared);
    expect(vars.adminToken).toBe('adm');
    expect(vars.limit).toBe(5);
    expect(vars.colors).toEqual(['red', 'green']);
    vars.token = 'mine';
    expect(shared).toEqual({ adminToken: 'adm' });
    expect(Object.getPrototypeOf(Object.getPrototypeOf(vars))).toBe(shared);
    const picks = new Set(Array.from({ length: 60 }, (_, seq) => (plan.iterationVars(seq, shared).picks as { user: string }).user));
    expect(picks.size).toBeGreaterThan(1);
    expect(plan.iterationVars(5, shared).picks).toBe(plan.iterationVars(5, shared).picks);
  });

  it('a ragged row names the CSV line; a missing file names the scenario line', async () => {
    const problems = await problemsOf(loadScenario(fixture('invalid-csv.yml'), { env: {} }));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: join(FIXTURES, 'data', 'ragged.csv'), line: 3, message: expect.stringMatching(/columns length is 2, got 1/) }),
        expect.objectContaining({ file: fixture('invalid-csv.yml'), line: 5, path: 'data.gone.csv', message: expect.stringMatching(/cannot read data file .*missing\.csv \(ENOENT\)/) }),
      ]),
    );
  });

  it('an unknown field of a data source is a load-time problem', async () => {
    const file = join(scratch, 'field.yml');
    writeFileSync(file, `data:\n  users: { csv: ${join(FIXTURES, 'data', 'quoted.csv')} }\n${minimal().replace('get: /x', 'get: /x/{{ users.pasword }}')}`);
    const problems = await problemsOf(loadScenario(file, { env: {} }));
    expect(brief(problems)).toEqual(['7:14 flows[0].steps[0].get data source "users" has no field "pasword" (did you mean "password"?) (fields: user, password, note)']);
  });
});

describe('environment substitution', () => {
  const env = { HOST: 'api.local', CONNS: '16', TOKEN: 'tok-secret', PASSWORD: 'hunter22', RATE: '20' };

  it('substitutes ${VAR}, ${VAR:-default}, ${VAR:?msg} and $$ in values, retyping unquoted numbers', async () => {
    const plan = await loadScenario(fixture('env.yml'), { env });
    expect(plan.name).toBe('env-default');
    expect(plan.target).toBe('http://api.local:3000');
    expect(plan.http.connections).toBe(16);
    expect(plan.phases[0]).toMatchObject({ rate: 20 });
    const step = plan.flows[0]!.steps[0] as RequestStep;
    const request = step.render(plan.iterationVars(0, {}));
    expect(request.path).toBe('/a?x=${literal}');
    expect(JSON.parse(request.body!)).toEqual({ pw: 'hunter22', t: 7 });
    expect(request.headers.authorization).toBe('Bearer tok-secret');
  });

  it('collects substituted values and auth headers as secrets', async () => {
    const plan = await loadScenario(fixture('env.yml'), { env });
    expect(plan.secrets).toEqual(expect.arrayContaining(['api.local', 'tok-secret', 'hunter22', 'Bearer tok-secret']));
    expect(plan.secrets).not.toContain('env-default');
  });

  it('unset variables are errors naming the variable and line; :? shows its message', async () => {
    const problems = await problemsOf(loadScenario(fixture('env.yml'), { env: {} }));
    expect(brief(problems)).toEqual([
      '2:9 target environment variable HOST is not set: set HOST to the API host',
      '4:16 http.connections environment variable CONNS is not set (give a default with ${CONNS:-value})',
      '6:20 http.headers.authorization environment variable TOKEN is not set (give a default with ${TOKEN:-value})',
      '12:21 flows[0].steps[0].json.pw environment variable PASSWORD is not set (give a default with ${PASSWORD:-value})',
    ]);
  });

  it('cannot inject YAML structure', async () => {
    const text = minimal().replace('get: /x', 'get: /x\n        name: "${EVIL}"');
    const plan = await parseScenario(text, '/s.yml', { env: { EVIL: 'a\nslo: [p1 < 1ms]' } });
    expect(plan.endpoints).toEqual(['a\nslo: [p1 < 1ms]']);
    expect(plan.sloDefaults).toBe(true);
  });
});

describe('secret headers', () => {
  it('authorization, cookie and *token*/*key*/*secret* header values are secrets', async () => {
    const text = minimal().replace('get: /x', 'get: /x\n        headers: { Cookie: "sid=abc", X-Auth-Token: t0k, accept: text/html, authorization: "Basic dXNlcg==" }');
    const plan = await parseScenario(text, '/s.yml', { env: {} });
    expect(plan.secrets.sort()).toEqual(['Basic dXNlcg==', 'dXNlcg==', 'sid=abc', 't0k']);
  });
});
