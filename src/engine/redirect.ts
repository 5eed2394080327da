// Following a redirect as browsers do (RFC 9110 §15.4). Pure: status, Location and the request in,
// the next request out.
import type { RequestSpec } from '../types.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function isRedirect(status: number): boolean {
  return REDIRECTS.has(status);
}

/** The Location header among raw header pairs, or null. */
export function locationOf(raw: ReadonlyArray<Buffer | string> | null): string | null {
  if (raw === null) return null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 8) continue;
    const text = typeof name === 'string' ? name : name.toString('latin1');
    if (text.toLowerCase() !== 'location') continue;
    const value = raw[i + 1]!;
    return typeof value === 'string' ? value : value.toString('latin1');
  }
  return null;
}

/**
 * The request that follows a redirect from `fromUrl` (absolute): 303 (and 301/302 after a POST) become
 * a GET without body; 307/308 keep method and body. Leaving the origin drops authorization and cookie
 * headers (the jar adds the cookies that belong to the new origin). Null when Location is no URL.
 */
export function followRedirect(spec: RequestSpec, status: number, location: string, fromUrl: string): { spec: RequestSpec; url: string } | null {
  let url: URL;
  try {
    url = new URL(location, fromUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  const toGet = status === 303 ? spec.method !== 'HEAD' : (status === 301 || status === 302) && spec.method === 'POST';
  const headers: Record<string, string> = {};
  const sameOrigin = new URL(fromUrl).origin === url.origin;
  for (const name in spec.headers) {
    const lower = name.toLowerCase();
    if (toGet && (lower === 'content-type' || lower === 'content-length')) continue;
    if (!sameOrigin && (lower === 'authorization' || lower === 'cookie' || lower === 'proxy-authorization' || lower === 'host')) continue;
    if (lower === 'cookie') continue; // the jar states the cookies for the new URL
    headers[name] = spec.headers[name]!;
  }
  const next: RequestSpec = { method: toGet ? 'GET' : spec.method, path: url.href, headers };
  if (!toGet && spec.body !== undefined) next.body = spec.body;
  return { spec: next, url: url.href };
}
