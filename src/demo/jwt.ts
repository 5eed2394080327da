// JWT HS256 with node:crypto only: enough to issue a login token and check it on /profile.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function signature(signingInput: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(signingInput).digest();
}

/** Signs `claims`, adding iat and exp (seconds since the epoch). */
export function signJwt(claims: JwtClaims, secret: string, ttlSeconds = 3600, nowMs = Date.now()): string {
  const iat = Math.floor(nowMs / 1000);
  const body = base64url(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds }));
  const input = `${HEADER}.${body}`;
  return `${input}.${signature(input, secret).toString('base64url')}`;
}

function decodeJson(part: string): JwtClaims | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JwtClaims) : null;
  } catch {
    return null;
  }
}

/** The claims of a valid, unexpired HS256 token signed with `secret`; null for anything else. */
export function verifyJwt(token: string, secret: string, nowMs = Date.now()): JwtClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, body, sig] = parts as [string, string, string];
  // Only HS256 is accepted: a token naming another algorithm (e.g. "none") is rejected outright.
  if (decodeJson(header)?.alg !== 'HS256') return null;
  const expected = signature(`${header}.${body}`, secret);
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const claims = decodeJson(body);
  if (!claims) return null;
  if (typeof claims.exp === 'number' && claims.exp * 1000 <= nowMs) return null;
  return claims;
}
