import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startTopology, type Topology, type TopologyKind } from '../src/demo/index.js';

// The servers run as forked children of the compiled dist/demo/service-main.js.
beforeAll(() => {
  if (existsSync(new URL('../dist/demo/service-main.js', import.meta.url))) return;
  // Exit status ignored: tsc still emits when another engineer's file has a type error.
  spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: new URL('..', import.meta.url), stdio: 'ignore' });
}, 120_000);

const dispatcher = new Agent({ connections: 8 });
afterAll(() => dispatcher.close());

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: any;
}

async function call(base: string, method: string, path: string, options: { json?: unknown; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const body = options.json === undefined ? options.body : JSON.stringify(options.json);
  const res = await request(base + path, {
    dispatcher,
    method: method as 'GET',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, json: text ? JSON.parse(text) : null };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !isZombie(pid);
}

// An orphan that exited stays a zombie until init reaps it (slowly, on some machines): it runs nothing.
function isZombie(pid: number): boolean {
  try {
    return / Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\)/, ' '));
  } catch {
    return false;
  }
}

const GRAPHQL_QUERY = 'query($id: Int!) { product(id: $id) { name price } }';

describe.each<TopologyKind>(['monolith', 'microservices'])('%s topology', (kind) => {
  let topology: Topology;
  let url: string;
  beforeAll(async () => {
    topology = await startTopology(kind, { storeLatencyMs: 2, cacheTtlMs: 60_000 });
    url = topology.url;
  });
  afterAll(() => topology?.stop());

  it('runs the expected processes on loopback', () => {
    const roles = topology.processes.map((p) => p.role);
    expect(roles).toEqual(kind === 'monolith' ? ['monolith'] : ['product', 'user', 'payment', 'gateway']);
    expect(new Set(topology.processes.map((p) => p.pid)).size).toBe(roles.length);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers /health', async () => {
    expect(await call(url, 'GET', '/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('serves products through the read cache: miss, then hit with the same data', async () => {
    const miss = await call(url, 'GET', '/api/products/12');
    const hit = await call(url, 'GET', '/api/products/12');
    expect(miss.status).toBe(200);
    expect(miss.headers['x-cache']).toBe('miss');
    expect(hit.headers['x-cache']).toBe('hit');
    expect(miss.json).toEqual({ id: 12, name: 'Product 12', price: 12.5, stock: expect.any(Number) });
    expect(hit.json).toEqual(miss.json);
  });

  it.each(['/api/products/0', '/api/products/1001', '/api/products/abc', '/api/products/12/x'])('404 for %s', async (path) => {
    expect(await call(url, 'GET', path)).toMatchObject({ status: 404, json: { error: 'not found' } });
  });

  it('lists products with ?limit and rejects a bad limit', async () => {
    const list = await call(url, 'GET', '/api/products?limit=3');
    expect(list.status).toBe(200);
    expect(list.json).toEqual([
      { id: 1, name: 'Product 1', price: 1.5 },
      { id: 2, name: 'Product 2', price: 2.5 },
      { id: 3, name: 'Product 3', price: 3.5 },
    ]);
    expect((await call(url, 'GET', '/api/products?limit=zero')).status).toBe(400);
  });

  it('logs in with a JWT that opens /profile; 401 without or with a forged token', async () => {
    const login = await call(url, 'POST', '/api/users/login', { json: { user: 'user7', password: 'secret7' } });
    expect(login.status).toBe(200);
    expect(login.json.userId).toBe(7);
    expect(login.json.token.split('.')).toHaveLength(3);
    const profile = await call(url, 'GET', '/profile', { headers: { authorization: `Bearer ${login.json.token}` } });
    expect(profile).toMatchObject({ status: 200, json: { userId: 7, name: 'User 7' } });

    expect((await call(url, 'GET', '/profile')).status).toBe(401);
    const [header, , sig] = login.json.token.split('.');
    const forged = Buffer.from(JSON.stringify({ userId: 1 })).toString('base64url');
    expect((await call(url, 'GET', '/profile', { headers: { authorization: `Bearer ${header}.${forged}.${sig}` } })).status).toBe(401);
  });

  it('401 on bad credentials, 400 on a non-JSON body', async () => {
    expect((await call(url, 'POST', '/api/users/login', { json: { user: 'user7', password: 'nope' } })).status).toBe(401);
    expect((await call(url, 'POST', '/api/users/login', { body: 'user=user7' })).status).toBe(400);
  });

  it('serves users by id', async () => {
    expect(await call(url, 'GET', '/api/users/7')).toMatchObject({
      status: 200,
      json: { id: 7, name: 'User 7', email: 'user7@example.com' },
    });
    expect((await call(url, 'GET', '/api/users/101')).status).toBe(404);
  });

  it('adds to a cart (201) and rejects a missing field (400)', async () => {
    const cart = await call(url, 'POST', '/api/cart', { json: { productId: 12, price: 12.5 } });
    expect(cart).toMatchObject({ status: 201, json: { cartId: expect.any(String), items: 1, total: 12.5 } });
    // Templated values may arrive as numeric strings.
    expect((await call(url, 'POST', '/api/cart', { json: { productId: '12', price: '12.5' } })).status).toBe(201);
    expect((await call(url, 'POST', '/api/cart', { json: { productId: 12 } })).status).toBe(400);
    expect((await call(url, 'POST', '/api/cart', { json: { price: 12.5 } })).status).toBe(400);
  });

  it('approves payments and rejects a missing amount', async () => {
    const payment = await call(url, 'POST', '/api/payments', { json: { amount: 12.5, currency: 'EUR' } });
    expect(payment).toMatchObject({ status: 201, json: { paymentId: expect.any(String), status: 'approved' } });
    expect((await call(url, 'POST', '/api/payments', { json: { currency: 'EUR' } })).status).toBe(400);
  });

  it('answers GraphQL product queries with data, null, or errors', async () => {
    const found = await call(url, 'POST', '/graphql', { json: { query: GRAPHQL_QUERY, variables: { id: 123 } } });
    expect(found).toMatchObject({ status: 200, json: { data: { product: { name: 'Product 123', price: 123.5 } } } });
    expect(Object.keys(found.json.data.product)).toEqual(['name', 'price']);

    const missing = await call(url, 'POST', '/graphql', { json: { query: GRAPHQL_QUERY, variables: { id: 5000 } } });
    expect(missing).toMatchObject({ status: 200, json: { data: { product: null } } });

    const broken = await call(url, 'POST', '/graphql', { json: { query: '{ product(id: 1) { name ' } });
    expect(broken.status).toBe(200);
    expect(broken.json.errors[0].message).toEqual(expect.any(String));
    expect(broken.json.data).toBeUndefined();
  });

  it('404 for unknown paths, 405 for a wrong method', async () => {
    expect((await call(url, 'GET', '/nope')).status).toBe(404);
    expect((await call(url, 'DELETE', '/api/products/1')).status).toBe(405);
  });
});

describe('microservices gateway circuit breaker', () => {
  it('opens when the product service dies: fast 503s, other services unaffected', async () => {
    const topology = await startTopology('microservices', { breaker: { failureThreshold: 3, cooldownMs: 60_000 } });
    try {
      const product = topology.processes.find((p) => p.role === 'product')!;
      expect((await call(topology.url, 'GET', '/api/products/1')).status).toBe(200);
      process.kill(product.pid, 'SIGKILL');
      for (let i = 0; i < 100 && isAlive(product.pid); i++) await new Promise((r) => setTimeout(r, 20));

      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await call(topology.url, 'GET', '/api/products/1')).status);
      // Failures reach the gateway as 502 until the breaker opens (after 3; a health probe may count too).
      expect(statuses.slice(-3)).toEqual([503, 503, 503]);
      expect(statuses.every((s) => s === 502 || s === 503)).toBe(true);

      const refused = await call(topology.url, 'GET', '/api/products/2');
      expect(refused.json.error).toContain('circuit open');
      expect(refused.headers['retry-after']).toBe('1');
      const graphql = await call(topology.url, 'POST', '/graphql', { json: { query: GRAPHQL_QUERY, variables: { id: 1 } } });
      expect(graphql.status).toBe(503);
      expect(graphql.json.errors[0].message).toContain('circuit open');

      expect((await call(topology.url, 'GET', '/api/users/7')).status).toBe(200);
      expect((await call(topology.url, 'GET', '/health/upstreams')).json).toEqual({
        product: 'open',
        user: 'closed',
        payment: 'closed',
      });
    } finally {
      await topology.stop();
    }
  });
});

describe('stop()', () => {
  it.each<TopologyKind>(['monolith', 'microservices'])('leaves no %s child process alive', async (kind) => {
    const topology = await startTopology(kind);
    const pids = topology.processes.map((p) => p.pid);
    expect(pids.every(isAlive)).toBe(true);
    await topology.stop();
    await topology.stop(); // idempotent
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

describe('orphan safety', () => {
  const INDEX = new URL('../dist/demo/index.js', import.meta.url).href;

  /** Runs `script` in a separate Node parent; resolves with the child PIDs it printed, and the parent. */
  function parentProcess(script: string) {
    const parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = new Promise<number[]>((resolve, reject) => {
      let out = '';
      parent.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out) as number[]);
      });
      parent.once('exit', () => reject(new Error(`parent exited before reporting: ${out}`)));
    });
    const exited = new Promise<void>((resolve) => parent.once('exit', () => resolve()));
    return { parent, pids, exited };
  }

  async function allGone(pids: number[]): Promise<number[]> {
    for (let i = 0; i < 150 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 20));
    return pids.filter(isAlive);
  }

  const START = `const t = await (await import(${JSON.stringify(INDEX)})).startTopology('microservices');
    console.log(JSON.stringify(t.processes.map((p) => p.pid)));`;

  it('children end themselves when their parent is killed (IPC disconnect)', async () => {
    const { parent, pids, exited } = parentProcess(`${START} setInterval(() => {}, 1000);`);
    const children = await pids;
    expect(children.every(isAlive)).toBe(true);
    parent.kill('SIGKILL');
    await exited;
    expect(await allGone(children)).toEqual([]);
  });

  it('no child outlives a parent that exits without stop()', async () => {
    const { pids, exited } = parentProcess(`${START} setTimeout(() => process.exit(0), 50);`);
    const children = await pids;
    await exited;
    expect(await allGone(children)).toEqual([]);
  });
});
