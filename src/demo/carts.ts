// Carts in memory, bounded: a long load test creates a cart per checkout, and the demo must not grow
// without limit, so the oldest carts are forgotten first (Map keeps insertion order).
import { randomUUID } from 'node:crypto';

export interface Cart {
  cartId: string;
  items: number;
  total: number;
}

export class CartStore {
  private readonly carts = new Map<string, Cart>();
  constructor(private readonly maxCarts = 10_000) {}

  /** Adds one item at `price` to cart `cartId` (a new cart when absent); null when that cart is unknown. */
  add(price: number, cartId?: string): Cart | null {
    const cart = cartId === undefined ? this.create() : this.carts.get(cartId);
    if (!cart) return null;
    cart.items += 1;
    cart.total = Math.round((cart.total + price) * 100) / 100;
    return { ...cart };
  }

  get size(): number {
    return this.carts.size;
  }

  private create(): Cart {
    const cart: Cart = { cartId: randomUUID(), items: 0, total: 0 };
    this.carts.set(cart.cartId, cart);
    if (this.carts.size > this.maxCarts) this.carts.delete(this.carts.keys().next().value!);
    return cart;
  }
}
