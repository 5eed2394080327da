// A simulated database: the catalogue behind a timer, so a cache miss costs what a real query would.
import { listProducts, productById, type Product, type ProductSummary } from './catalog.js';

export interface DataStore {
  getProduct(id: number): Promise<Product | null>;
  listProducts(limit: number): Promise<ProductSummary[]>;
}

function after<T>(latencyMs: number, value: () => T): Promise<T> {
  if (latencyMs <= 0) return Promise.resolve(value());
  return new Promise((resolve) => setTimeout(() => resolve(value()), latencyMs));
}

export function createDataStore(latencyMs: number): DataStore {
  return {
    getProduct: (id) => after(latencyMs, () => productById(id)),
    listProducts: (limit) => after(latencyMs, () => listProducts(limit)),
  };
}
