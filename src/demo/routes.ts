// Which service owns which path: the one routing table both topologies share, so the monolith
// and the gateway can never disagree about the API.

export type ServiceName = 'product' | 'user' | 'payment';
export const SERVICE_NAMES: readonly ServiceName[] = ['product', 'user', 'payment'];

export function serviceFor(path: string): ServiceName | null {
  if (path === '/api/products' || path.startsWith('/api/products/') || path === '/api/cart') return 'product';
  if (path.startsWith('/api/users/') || path === '/profile') return 'user';
  if (path === '/api/payments') return 'payment';
  return null;
}

/** "/api/products/12" → 12; null when the last segment is not a plain decimal integer. */
export function idFromPath(path: string, prefix: string): number | null {
  const rest = path.slice(prefix.length);
  return /^[1-9]\d{0,8}$/.test(rest) ? Number(rest) : null;
}
