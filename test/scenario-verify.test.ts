import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../src/errors.js';
import { parseScenario } from '../src/scenario/load.js';
import type { RequestStep, ResponseView, Vars } from '../src/types.js';

/** The first step of a one-step scenario. */
async function stepOf(step: string, setup = ''): Promise<RequestStep> {
  const text = `${setup}load: [{ duration: 1s, rate: 1 }]\nvariables: { want: 7 }\nflows:\n  - steps:\n      - ${step.trim().replace(/\n/g, '\n        ')}\n`;
  const plan = await parseScenario(text, '/s.yml', { env: {} });
  return plan.flows[0]!.steps[0] as RequestStep;
}

const response = (status: number, body: string | null = null, headers: ResponseView['headers'] = {}): ResponseView => ({ status, headers, body });

describe('verify: status', () => {
  it('by default accepts < 400 and names the failed check "status 2xx/3xx"', async () => {
    const step = await stepOf('get: /x');
    expect(step.verify(response(200), {})).toBeNull();
    expect(step.verify(response(302), {})).toBeNull();
    expect(step.verify(response(404), {})).toEqual({ kind: 'status', check: 'status 2xx/3xx' });
    expect(step.readBody).toBe(false);
  });

  it('expect.status accepts only the listed statuses', async () => {
    const one = await stepOf('post: /x\nexpect: { status: 201 }');
    expect(one.verify(response(201), {})).toBeNull();
    // A success status that is not the expected one is a failed expectation; an error status stays 'status'.
    expect(one.verify(response(200), {})).toEqual({ kind: 'check', check: 'status 201' });
    expect(one.verify(response(503), {})).toEqual({ kind: 'status', check: 'status 201' });
    const many = await stepOf('get: /x\nexpect: { status: [200, 404] }');
    expect(many.verify(response(404), {})).toBeNull();
    expect(many.verify(response(500), {})).toEqual({ kind: 'status', check: 'status 200|404' });
  });
});

describe('verify: checks', () => {
  it('json checks compare values (templates and /regex/ allowed)', async () => {
    const step = await stepOf('get: /x\nexpect: { json: { $.id: "{{ want }}", $.user.name: /^User \\d+$/, "$.tags[1]": b } }');
    const vars: Vars = { want: 7 };
    expect(step.readBody).toBe(true);
    expect(step.verify(response(200, '{"id":7,"user":{"name":"User 7"},"tags":["a","b"]}'), vars)).toBeNull();
    expect(step.verify(response(200, '{"id":"7","user":{"name":"User 7"},"tags":["a","b"]}'), vars)).toEqual({ kind: 'check', check: 'json $.id' });
    expect(step.verify(response(200, '{"id":7,"user":{"name":"Bob"},"tags":["a","b"]}'), vars)).toEqual({ kind: 'check', check: 'json $.user.name' });
    expect(step.verify(response(200, 'not json'), vars)).toEqual({ kind: 'check', check: 'json $.id' });
  });

  it('complex JSONPath goes through jsonpath-plus', async () => {
    const step = await stepOf('get: /x\ncapture: { cheap: "$.items[?(@.price < 5)].name" }');
    const vars: Vars = {};
    expect(step.verify(response(200, '{"items":[{"name":"a","price":9},{"name":"b","price":2}]}'), vars)).toBeNull();
    expect(vars.cheap).toBe('b');
  });

  it('header checks: exact value or /regex/, case-insensitive names', async () => {
    const step = await stepOf('get: /x\nexpect: { headers: { Content-Type: /json/, x-ver: "2" } }');
    expect(step.readBody).toBe(false);
    expect(step.verify(response(200, null, { 'content-type': 'application/json', 'x-ver': '2' }), {})).toBeNull();
    expect(step.verify(response(200, null, { 'content-type': 'text/html', 'x-ver': '2' }), {})).toEqual({ kind: 'check', check: 'header content-type' });
    expect(step.verify(response(200, null, { 'content-type': 'application/json' }), {})).toEqual({ kind: 'check', check: 'header x-ver' });
  });

  it('contains looks for a substring', async () => {
    const step = await stepOf('get: /x\nexpect: { contains: ok }');
    expect(step.verify(response(200, '{"status":"ok"}'), {})).toBeNull();
    expect(step.verify(response(200, '{"status":"down"}'), {})).toEqual({ kind: 'check', check: 'contains "ok"' });
  });

  it('a failed status is reported before checks', async () => {
    const step = await stepOf('get: /x\nexpect: { status: 200, contains: ok }');
    expect(step.verify(response(500, 'ok'), {})).toEqual({ kind: 'status', check: 'status 200' });
  });
});

describe('verify: captures', () => {
  it('captures JSONPath values with their types, headers and regex groups', async () => {
    const step = await stepOf('get: /x\ncapture: { id: $.id, price: $.p, sid: { header: Set-Cookie }, code: { regex: "code=(\\\\w+)" }, all: { regex: "c.de", group: 0 } }');
    const vars: Vars = {};
    expect(step.verify(response(200, '{"id":12,"p":12.5,"m":"code=xy7"}', { 'set-cookie': ['a=1', 'b=2'] }), vars)).toBeNull();
    expect(vars).toEqual({ id: 12, price: 12.5, sid: 'a=1, b=2', code: 'xy7', all: 'code' });
  });

  it('a capture that finds nothing fails as "capture <name>"', async () => {
    const step = await stepOf('post: /login\ncapture: { token: $.token }');
    const vars: Vars = {};
    expect(step.verify(response(200, '{"error":"nope"}'), vars)).toEqual({ kind: 'check', check: 'capture token' });
    expect(vars).toEqual({});
    expect(step.verify(response(200, 'oops'), vars)).toEqual({ kind: 'check', check: 'capture token' });
  });

  it('only header captures: the body is not needed', async () => {
    expect((await stepOf('get: /x\ncapture: { etag: { header: etag } }')).readBody).toBe(false);
  });

  it('parses the body JSON at most once per response', async () => {
    const step = await stepOf('get: /x\nexpect: { json: { $.a: 1, $.b: 2 } }\ncapture: { a: $.a, b: $.b }');
    const original = JSON.parse;
    let parses = 0;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>) => {
      parses++;
      return original(...args);
    }) as typeof JSON.parse;
    try {
      expect(step.verify(response(200, '{"a":1,"b":2}'), {})).toBeNull();
    } finally {
      JSON.parse = original;
    }
    expect(parses).toBe(1);
  });

  it('bad regexes, bad JSONPaths and bad capture names are load-time problems', async () => {
    const error = await stepOf('get: /x\ncapture: { a: { regex: "(" }, b: { regex: "x", group: 2 }, c-d: $.x, e: "$[" }').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems.map((p) => `${p.path} ${p.message}`)).toEqual([
      'flows[0].steps[0].capture.a.regex invalid regular expression /(/: Unterminated group',
      'flows[0].steps[0].capture.b.group the regex has 0 group(s), so there is no group 2',
      'flows[0].steps[0].capture.c-d capture name "c-d" must be letters, digits and _ (usable as {{ c-d }})',
      'flows[0].steps[0].capture.e cannot read JSONPath "$["',
    ]);
  });
});

describe('verify: graphql', () => {
  const graphqlStep = 'graphql: { query: "query($id: Int!) { product(id: $id) { name } }", variables: { id: "{{ want }}" } }';

  it('posts JSON to http.graphqlPath and fails on a non-empty errors array', async () => {
    const step = await stepOf(graphqlStep);
    const request = step.render({ want: 123 });
    expect(request).toMatchObject({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' } });
    expect(JSON.parse(request.body!)).toEqual({ query: 'query($id: Int!) { product(id: $id) { name } }', variables: { id: 123 } });
    expect(step.readBody).toBe(true);
    expect(step.verify(response(200, '{"data":{"product":null}}'), {})).toBeNull();
    expect(step.verify(response(200, '{"data":null,"errors":[]}'), {})).toBeNull();
    expect(step.verify(response(200, '{"errors":[{"message":"bad"}]}'), {})).toEqual({ kind: 'check', check: 'graphql errors' });
  });

  it('defaults the endpoint name to the operation or the GraphQL path', async () => {
    const text = (extra: string) => `load: [{ duration: 1s, rate: 1 }]\nhttp: { graphqlPath: /api/gql }\nflows:\n  - steps:\n      - graphql: { query: "{ a }"${extra} }\n`;
    expect((await parseScenario(text(''), '/s.yml', { env: {} })).endpoints).toEqual(['POST /api/gql']);
    expect((await parseScenario(text(', operationName: Q'), '/s.yml', { env: {} })).endpoints).toEqual(['graphql Q']);
  });
});
