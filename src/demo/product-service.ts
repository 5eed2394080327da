// Products (cache-aside over the simulated data store) and the cart.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isProductId, PRODUCT_COUNT, type Product, type ProductSummary } from './catalog.js';
import { CartStore } from './carts.js';
import { createDataStore } from './data-store.js';
import { HttpError, readJsonObject, requireMethod, sendJson, toNumber, type Handler } from './http-json.js';
import { ReadCache } from './read-cache.js';
import { idFromPath } from './routes.js';

export interface ProductServiceOptions {
  storeLatencyMs: number;
  cacheTtlMs: number;
}

export interface ProductLookup {
  product: Product | null;
  hit: boolean;
}

export interface ProductService {
  handle: Handler;
  /** Used in-process by the monolith's GraphQL resolver. */
  lookup(id: number): Promise<ProductLookup>;
}

const PRODUCT_PREFIX = '/api/products/';
const DEFAULT_LIST_LIMIT = 20;

function parseLimit(query: string): number {
  const raw = new URLSearchParams(query).get('limit');
  if (raw === null) return DEFAULT_LIST_LIMIT;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > PRODUCT_COUNT) {
    throw new HttpError(400, `limit must be an integer 1..${PRODUCT_COUNT}`);
  }
  return limit;
}

function parseCartItem(body: Record<string, unknown>): { price: number; cartId?: string } {
  const productId = toNumber(body.productId);
  const price = toNumber(body.price);
  if (productId === null) throw new HttpError(400, 'productId is required');
  if (!isProductId(productId)) throw new HttpError(400, 'productId is not a known product');
  if (price === null || price < 0) throw new HttpError(400, 'price is required (a number >= 0)');
  if (body.cartId !== undefined && typeof body.cartId !== 'string') throw new HttpError(400, 'cartId must be a string');
  return body.cartId === undefined ? { price } : { price, cartId: body.cartId };
}

export function createProductService(options: ProductServiceOptions): ProductService {
  const store = createDataStore(options.storeLatencyMs);
  const products = new ReadCache<number, Product | null>(options.cacheTtlMs);
  const lists = new ReadCache<number, ProductSummary[]>(options.cacheTtlMs);
  const carts = new CartStore();

  async function lookup(id: number): Promise<ProductLookup> {
    if (!isProductId(id)) return { product: null, hit: false };
    const read = await products.read(id, () => store.getProduct(id));
    return { product: read.value, hit: read.hit };
  }

  async function getProduct(res: ServerResponse, path: string): Promise<void> {
    const { product, hit } = await lookup(idFromPath(path, PRODUCT_PREFIX) ?? 0);
    if (product === null) return sendJson(res, 404, { error: 'not found' });
    sendJson(res, 200, product, { 'x-cache': hit ? 'hit' : 'miss' });
  }

  async function list(res: ServerResponse, query: string): Promise<void> {
    const limit = parseLimit(query);
    const read = await lists.read(limit, () => store.listProducts(limit));
    sendJson(res, 200, read.value, { 'x-cache': read.hit ? 'hit' : 'miss' });
  }

  async function addToCart(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const item = parseCartItem(await readJsonObject(req));
    const cart = carts.add(item.price, item.cartId);
    if (cart === null) return sendJson(res, 404, { error: 'cart not found' });
    sendJson(res, 201, cart);
  }

  const handle: Handler = async (req, res, path, query) => {
    if (path === '/api/cart') {
      requireMethod(req, 'POST');
      return addToCart(req, res);
    }
    requireMethod(req, 'GET');
    if (path === '/api/products') return list(res, query);
    if (path.startsWith(PRODUCT_PREFIX)) return getProduct(res, path);
    sendJson(res, 404, { error: 'not found' });
  };

  return { handle, lookup };
}
