// A whole user journey against a server that checks every request it receives (issue 4's acceptance):
// CSV credentials → captured token in a header → captured price in a JSON body, plus a weighted GraphQL flow.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../src/engine/engine.js';
import { buildResult } from '../src/result/build.js';
import { preparePlan } from '../src/scenario/prepare.js';
import { startServer, type TestServer } from './helpers/servers.js';

const USERS = ['ann', 'bob', 'cyd', 'dee'];

const SCENARIO = `
name: journey-check
http:
  timeout: 2s
  headers: { x-env: "\${JOURNEY_ENV}" }
load:
  - { duration: 2s, rate: 100/s }
data:
  users: { csv: users.csv }
flows:
  - name: shop
    weight: 3
    steps:
      - name: login
        post: /login
        json: { user: "{{ users.user }}", password: "{{ users.password }}" }
        capture: { token: $.token }
      - name: get-product
        get: /api/products/{{ randomInt(1, 1000) }}
        headers: { authorization: "Bearer {{ token }}" }
        expect: { status: 200 }
        capture: { productId: $.id, price: $.price }
      - name: add-to-cart
        post: /api/cart
        json: { productId: "{{ productId }}", price: "{{ price }}" }
        expect: { status: 201 }
  - name: graphql
    weight: 1
    steps:
      - name: product-graphql
        graphql: { query: "query($id: Int!) { product(id: $id) { name price } }", variables: { id: 7 } }
slo:
  - error_rate < 1%
  - get-product: p99 < 500ms
`;

let server: TestServer;
let dir: string;
const wrong: string[] = [];
const tokens = new Set<string>();
const counts = { login: 0, product: 0, cart: 0, graphql: 0 };

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(null);
      }
    });
  });
}

async function checkingHandler(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fail = (why: string): void => {
    wrong.push(`${req.method} ${req.url}: ${why}`);
    res.statusCode = 400;
    res.end();
  };
  if (req.headers['x-env'] !== 'from-the-environment') return fail(`x-env header ${String(req.headers['x-env'])}`);
  const body = await readBody(req);
  const json = (status: number, value: unknown): void => {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(value));
  };
  if (req.method === 'POST' && req.url === '/login') {
    counts.login++;
    const { user, password } = (body ?? {}) as { user?: string; password?: string };
    if (!user || !USERS.includes(user) || password !== `pw,"${user}"`) return fail(`credentials ${user}/${password}`);
    const token = `tok-${user}-${counts.login}`;
    tokens.add(token);
    return json(200, { token });
  }
  const product = /^\/api\/products\/(\d+)$/.exec(req.url ?? '');
  if (req.method === 'GET' && product) {
    counts.product++;
    const id = Number(product[1]);
    if (id < 1 || id > 1000) return fail(`id ${id}`);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!tokens.has(token)) return fail(`token ${token}`);
    return json(200, { id, price: id * 1.5 });
  }
  if (req.method === 'POST' && req.url === '/api/cart') {
    counts.cart++;
    const { productId, price } = (body ?? {}) as { productId?: unknown; price?: unknown };
    if (typeof productId !== 'number' || typeof price !== 'number' || price !== productId * 1.5) return fail(`cart ${JSON.stringify(body)}`);
    return json(201, { items: 1 });
  }
  if (req.method === 'POST' && req.url === '/graphql') {
    counts.graphql++;
    const { query, variables } = (body ?? {}) as { query?: string; variables?: { id?: unknown } };
    if (!query?.includes('product(id: $id)') || variables?.id !== 7) return fail(`graphql ${JSON.stringify(body)}`);
    return json(200, { data: { product: { name: 'Product 7', price: 10.5 } } });
  }
  fail('unknown route');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bench-journey-'));
  // Quoted fields with a comma and a quote inside: the CSV must be read by a real parser.
  writeFileSync(join(dir, 'users.csv'), `user,password\n${USERS.map((u) => `${u},"pw,""${u}"""`).join('\n')}\n`);
  writeFileSync(join(dir, 'journey.yml'), SCENARIO);
  server = await startServer((req, res) => void checkingHandler(req, res));
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a user journey against a checking server', () => {
  it('sends only right requests, honours weights, and reports every step as an endpoint', async () => {
    const plan = await preparePlan(join(dir, 'journey.yml'), { JOURNEY_ENV: 'from-the-environment' }, { target: server.url });
    const engine = new Engine(plan);
    await engine.setup();
    const run = await engine.run();
    const result = buildResult(plan, engine.aggregator.summarize(run.durationMs), { startedAt: run.startedAt, durationMs: run.durationMs });

    expect(wrong).toEqual([]);
    expect(result.totals.errors).toBe(0);
    const iterations = counts.login + counts.graphql;
    expect(iterations).toBe(200);
    // Weights 3:1 → graphql is a quarter of 200 iterations; ±4 standard deviations (≈ ±25).
    expect(counts.graphql).toBeGreaterThan(25);
    expect(counts.graphql).toBeLessThan(75);
    expect(counts.cart).toBe(counts.login);
    expect(result.endpoints.map((e) => e.name)).toEqual(['login', 'get-product', 'add-to-cart', 'product-graphql']);
    expect(result.slo.map((s) => [s.expr, s.endpoint, s.pass])).toEqual([
      ['error_rate < 1%', null, true],
      ['p99 < 500ms', 'get-product', true],
    ]);
    expect(plan.secrets).toContain('from-the-environment');
  });

  it('counts a failed expectation as a check error, by name, and fails the error-rate SLO', async () => {
    writeFileSync(
      join(dir, 'expect.yml'),
      `name: expect-fail
load: [{ duration: 500ms, rate: 40/s }]
flows:
  - steps:
      - name: graphql-wrong
        post: /graphql
        json: { query: "query($id: Int!) { product(id: $id) { name price } }", variables: { id: 7 } }
        headers: { x-env: from-the-environment }
        expect: { status: 201 }
slo: [error_rate < 1%]
`,
    );
    const plan = await preparePlan(join(dir, 'expect.yml'), {}, { target: server.url });
    const engine = new Engine(plan);
    const run = await engine.run();
    const result = buildResult(plan, engine.aggregator.summarize(run.durationMs), { startedAt: run.startedAt, durationMs: run.durationMs });
    // 200 where 201 was expected: a failed expectation (kind check), not an error status.
    expect(result.totals.errorKinds).toEqual({ check: 20 });
    expect(result.totals.checks).toEqual({ 'status 201': 20 });
    expect(result.pass).toBe(false);
  });

  it('refuses a scenario whose \${VAR:?message} is unset, naming the variable', async () => {
    writeFileSync(join(dir, 'needs-env.yml'), SCENARIO.replace('\${JOURNEY_ENV}', '\${JOURNEY_TOKEN:?set a token}'));
    await expect(preparePlan(join(dir, 'needs-env.yml'), {}, { target: server.url })).rejects.toThrow(/JOURNEY_TOKEN.*set a token/);
  });
});
