import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/scenario/load.js';
import { ScenarioError } from '../src/errors.js';
import { compileTemplate, compileText, TemplateError, TemplateScope } from '../src/scenario/template.js';
import { compileValue } from '../src/scenario/template-value.js';
import type { RequestStep } from '../src/types.js';

const scope = TemplateScope.empty().with(['price', 'token', 'colors', 'id']).with(['users'], new Set(['user', 'password']));

describe('templates', () => {
  it('a whole-value template keeps the value type', () => {
    expect(compileTemplate('{{ price }}', scope)({ price: 12.5 })).toBe(12.5);
    expect(compileTemplate('{{price}}', scope)({ price: [1, 2] })).toEqual([1, 2]);
    expect(compileTemplate('{{ users.user }}', scope)({ users: { user: 'u7' } })).toBe('u7');
  });

  it('mixed text is a string; missing values render empty', () => {
    const render = compileText('Bearer {{ token }} for {{ users.user }}!', scope);
    expect(render({ token: 'abc', users: { user: 'u1' } })).toBe('Bearer abc for u1!');
    expect(render({})).toBe('Bearer  for !');
    expect(compileText('n={{ price }}', scope)({ price: { a: 1 } })).toBe('n={"a":1}');
  });

  it('text without templates is returned as is', () => {
    expect(compileTemplate('/plain/path', scope)({})).toBe('/plain/path');
  });

  it('functions: randomInt (inclusive), randomItem (variable or literal), uuid, now', () => {
    const ints = new Set(Array.from({ length: 300 }, () => compileTemplate('{{ randomInt(1, 3) }}', scope)({})));
    expect([...ints].sort()).toEqual([1, 2, 3]);
    const picked = compileTemplate('{{ randomItem(colors) }}', scope);
    for (let i = 0; i < 20; i++) expect(['red', 'blue']).toContain(picked({ colors: ['red', 'blue'] }));
    expect([7, 'x']).toContain(compileTemplate('{{ randomItem([7, "x"]) }}', scope)({}));
    expect(compileTemplate('{{ uuid() }}', scope)({})).toMatch(/^[0-9a-f-]{36}$/);
    const now = compileTemplate('{{ now() }}', scope)({}) as number;
    expect(Math.abs(now - Date.now())).toBeLessThan(60_000);
  });

  it('encodes substituted values when asked (paths), not the literal text', () => {
    const render = compileText('/a b/{{ id }}', scope, encodeURIComponent);
    expect(render({ id: 'x/y?z' })).toBe('/a b/x%2Fy%3Fz');
  });

  it('unknown names, fields and functions are errors with hints', () => {
    expect(() => compileTemplate('{{ prise }}', scope)).toThrow(/unknown variable "prise" \(did you mean "price"\?\)/);
    expect(() => compileTemplate('{{ users.pass }}', scope)).toThrow(/has no field "pass"/);
    expect(() => compileTemplate('{{ randInt(1, 2) }}', scope)).toThrow(/unknown function "randInt" \(did you mean "randomInt"\?\)/);
    expect(() => compileTemplate('{{ randomInt(1) }}', scope)).toThrow(/randomInt takes 2 arguments/);
    expect(() => compileTemplate('{{ price', scope)).toThrow(TemplateError);
    expect(() => compileTemplate('{{ a b }}', scope)).toThrow(/cannot read/);
    expect(() => compileTemplate('{{ }}', scope)).toThrow(/empty/);
  });

  it('structured values: constant subtrees stay constant, templates keep types', () => {
    const problems: string[] = [];
    const sink = { add: (_p: unknown, m: string) => problems.push(m) };
    const body = compileValue({ a: 1, b: ['{{ price }}', 'x'], c: { d: 'p={{ price }}' } }, scope, ['json'], sink);
    expect(body.constant).toBe(false);
    expect(body.render({ price: 3 })).toEqual({ a: 1, b: [3, 'x'], c: { d: 'p=3' } });
    expect(compileValue({ a: [1, 'x'] }, scope, ['json'], sink).constant).toBe(true);
    compileValue({ a: '{{ nope }}' }, scope, ['json'], sink);
    expect(problems).toEqual([expect.stringMatching(/unknown variable "nope"/)]);
  });
});

describe('templates in a scenario', () => {
  const scenario = (steps: string) => `load: [{ duration: 1s, rate: 1 }]\nvariables: { qty: 2 }\nflows:\n  - steps:\n${steps}`;

  it('a captured number stays a number in the JSON body', async () => {
    const plan = await parseScenario(
      scenario('      - get: /p\n        capture: { price: $.price, id: $.id }\n      - post: /cart\n        json: { productId: "{{ id }}", price: "{{ price }}", qty: "{{ qty }}", label: "#{{ id }}" }\n'),
      '/s.yml',
      { env: {} },
    );
    const [get, post] = plan.flows[0]!.steps as RequestStep[];
    const vars = plan.iterationVars(0, {});
    expect(get!.verify({ status: 200, headers: {}, body: '{"id":12,"price":12.5}' }, vars)).toBeNull();
    expect(post!.render(vars).body).toBe('{"productId":12,"price":12.5,"qty":2,"label":"#12"}');
  });

  it('an unknown template name is a load-time problem with its line', async () => {
    const error = await parseScenario(scenario('      - get: /p\n      - post: /cart\n        json: { price: "{{ price }}" }\n'), '/s.yml', { env: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as ScenarioError).problems).toEqual([
      { file: '/s.yml', line: 7, col: 24, path: 'flows[0].steps[1].json.price', message: 'unknown variable "price" (known: qty)' },
    ]);
  });

  it('setup captures are visible in every flow', async () => {
    const text = `setup:\n  - post: /login\n    capture: { token: $.token }\n${scenario('      - get: /me\n        headers: { authorization: "Bearer {{ token }}" }\n')}`;
    const plan = await parseScenario(text, '/s.yml', { env: {} });
    const step = plan.flows[0]!.steps[0] as RequestStep;
    const shared = {};
    expect((plan.setup[0] as RequestStep).verify({ status: 200, headers: {}, body: '{"token":"T"}' }, shared)).toBeNull();
    expect(step.render(plan.iterationVars(0, shared)).headers.authorization).toBe('Bearer T');
  });
});
