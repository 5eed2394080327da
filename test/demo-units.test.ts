import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CircuitBreaker } from '../src/demo/circuit-breaker.js';
import { CartStore } from '../src/demo/carts.js';
import { parseProductQuery, selectFields } from '../src/demo/graphql.js';
import { signJwt, verifyJwt } from '../src/demo/jwt.js';
import { ReadCache } from '../src/demo/read-cache.js';
import { serviceFor } from '../src/demo/routes.js';
import { checkCredentials } from '../src/demo/users.js';
import { productById } from '../src/demo/catalog.js';

describe('jwt', () => {
  const secret = 'test-secret';

  it('verifies what it signed', () => {
    const token = signJwt({ userId: 7 }, secret);
    expect(verifyJwt(token, secret)).toMatchObject({ userId: 7 });
  });

  it('rejects a tampered payload, a wrong secret, an expired token and alg none', () => {
    const token = signJwt({ userId: 7 }, secret, 60, 1_000_000);
    const [header, , sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ userId: 1, exp: 9e9 })).toString('base64url');
    expect(verifyJwt(`${header}.${forged}.${sig}`, secret, 1_000_000)).toBeNull();
    expect(verifyJwt(token, 'other-secret', 1_000_000)).toBeNull();
    expect(verifyJwt(token, secret, 1_000_000 + 61_000)).toBeNull();
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(verifyJwt(`${none}.${token.split('.')[1]}.`, secret, 1_000_000)).toBeNull();
    expect(verifyJwt('not-a-token', secret)).toBeNull();
  });
});

describe('graphql product query', () => {
  it('reads the id from variables, literals and strings', () => {
    const q = 'query GetProduct($id: Int!) { product(id: $id) { name price } }';
    expect(parseProductQuery(q, { id: 123 })).toEqual({ ok: true, query: { id: 123, fields: ['name', 'price'] } });
    expect(parseProductQuery('{ product(id: 5) { id, stock } }')).toEqual({ ok: true, query: { id: 5, fields: ['id', 'stock'] } });
    expect(parseProductQuery('query { product(id: "9") { name } } # done')).toEqual({ ok: true, query: { id: 9, fields: ['name'] } });
  });

  it.each([
    ['mutation { pay }', 'Only queries'],
    ['{ user(id: 1) { name } }', 'Cannot query field "user"'],
    ['{ product(id: 1) { secret } }', 'Cannot query field "secret" on type "Product"'],
    ['query($id: Int!) { product(id: $id) { name } }', 'Variable "$id" is not defined'],
    ['{ product(id: 1.5) { name } }', 'must be an Int'],
    ['{ product(id: 1) { name }', 'unexpected end'],
    ['{ product(id: 1) { } }', 'empty selection'],
    ['{ product(id: 1) { name } } { product(id: 2) { name } }', 'only one operation'],
    ['{ product(id: 1) { name } } %', 'unexpected character'],
  ])('%s → error', (query, message) => {
    const outcome = parseProductQuery(query);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toContain(message);
  });

  it('parses any integer variable back to the same id', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), (id) => {
        const outcome = parseProductQuery('query($id: Int!) { product(id: $id) { id } }', { id });
        return outcome.ok && outcome.query.id === id;
      }),
    );
  });

  it('selects the requested fields in order, and keeps null', () => {
    expect(selectFields(productById(3), ['price', 'name'])).toEqual({ price: 3.5, name: 'Product 3' });
    expect(Object.keys(selectFields(productById(3), ['price', 'name'])!)).toEqual(['price', 'name']);
    expect(selectFields(null, ['name'])).toBeNull();
  });
});

describe('circuit breaker', () => {
  function breakerAt(clock: { now: number }) {
    return new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 }, () => clock.now);
  }

  it('opens after N consecutive failures, not after N scattered ones', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    breaker.recordFailure();
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
  });

  it('half-opens after the cool-down with a single trial, closing on success', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    clock.now = 999;
    expect(breaker.allow()).toBe(false);
    clock.now = 1000;
    expect(breaker.allow()).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.allow()).toBe(false); // the trial is in flight
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('re-opens for a full cool-down when the trial fails', () => {
    const clock = { now: 0 };
    const breaker = breakerAt(clock);
    for (let i = 0; i < 3; i++) breaker.recordFailure();
    clock.now = 1500;
    expect(breaker.allow()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    clock.now = 2400;
    expect(breaker.allow()).toBe(false);
    clock.now = 2500;
    expect(breaker.allow()).toBe(true);
  });
});

describe('read cache', () => {
  it('misses, then hits until the TTL runs out', async () => {
    const clock = { now: 0 };
    const cache = new ReadCache<number, string>(100, () => clock.now);
    let loads = 0;
    const load = async () => `v${++loads}`;
    expect(await cache.read(1, load)).toEqual({ value: 'v1', hit: false });
    clock.now = 99;
    expect(await cache.read(1, load)).toEqual({ value: 'v1', hit: true });
    clock.now = 100;
    expect(await cache.read(1, load)).toEqual({ value: 'v2', hit: false });
  });

  it('shares one load between concurrent misses on a key', async () => {
    const cache = new ReadCache<number, number>(1000);
    let loads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve(++loads), 5));
    const reads = await Promise.all([cache.read(1, load), cache.read(1, load), cache.read(2, load)]);
    expect(loads).toBe(2);
    expect(reads[0]!.value).toBe(reads[1]!.value);
  });

  it('caches nothing with a TTL of 0', async () => {
    const cache = new ReadCache<number, number>(0);
    let loads = 0;
    await cache.read(1, async () => ++loads);
    expect(await cache.read(1, async () => ++loads)).toEqual({ value: 2, hit: false });
    expect(cache.size).toBe(0);
  });
});

describe('users, routes, carts', () => {
  it('accepts userN/secretN only', () => {
    expect(checkCredentials('user7', 'secret7')).toBe(7);
    expect(checkCredentials('user100', 'secret100')).toBe(100);
    expect(checkCredentials('user7', 'secret8')).toBeNull();
    expect(checkCredentials('user101', 'secret101')).toBeNull();
    expect(checkCredentials('user07', 'secret7')).toBeNull();
    expect(checkCredentials(7, 'secret7')).toBeNull();
  });

  it('routes every API path to its owning service', () => {
    expect(serviceFor('/api/products')).toBe('product');
    expect(serviceFor('/api/products/12')).toBe('product');
    expect(serviceFor('/api/cart')).toBe('product');
    expect(serviceFor('/api/users/login')).toBe('user');
    expect(serviceFor('/profile')).toBe('user');
    expect(serviceFor('/api/payments')).toBe('payment');
    expect(serviceFor('/api/productsx')).toBeNull();
    expect(serviceFor('/admin')).toBeNull();
  });

  it('adds to an existing cart and forgets the oldest beyond its bound', () => {
    const carts = new CartStore(2);
    const first = carts.add(1.25)!;
    expect(carts.add(2.5, first.cartId)).toEqual({ cartId: first.cartId, items: 2, total: 3.75 });
    carts.add(1);
    carts.add(1);
    expect(carts.size).toBe(2);
    expect(carts.add(1, first.cartId)).toBeNull();
  });
});
