// The demo's product catalogue: computed from the id, so every process (monolith or product service)
// agrees on the data without sharing any state.

export const PRODUCT_COUNT = 1000;

export interface Product {
  id: number;
  name: string;
  price: number;
  stock: number;
}

export interface ProductSummary {
  id: number;
  name: string;
  price: number;
}

export function isProductId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= PRODUCT_COUNT;
}

/** The product with this id, or null outside 1..PRODUCT_COUNT. */
export function productById(id: number): Product | null {
  if (!isProductId(id)) return null;
  return { id, name: `Product ${id}`, price: id + 0.5, stock: (id * 37) % 101 };
}

export function listProducts(limit: number): ProductSummary[] {
  const count = Math.min(Math.max(limit, 0), PRODUCT_COUNT);
  const products: ProductSummary[] = [];
  for (let id = 1; id <= count; id++) products.push({ id, name: `Product ${id}`, price: id + 0.5 });
  return products;
}
