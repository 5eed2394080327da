// Facts about the target before any load is sent: where it resolves, and whether it answers at all.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { RunError } from '../errors.js';
import { describeError } from '../engine/classify.js';
import { loadUndici } from '../engine/undici-client.js';

/** For a non-loopback target, the line that says where the load will really go (null for loopback). */
export async function describeTarget(target: string): Promise<string | null> {
  const host = new URL(target).hostname.replace(/^\[|\]$/g, '');
  if (isLoopback(host)) return null;
  try {
    const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
    return `bench: target ${host} resolves to ${addresses.join(', ')} — load goes there`;
  } catch {
    return `bench: target ${host} does not resolve; every request will fail to connect`;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** --preflight: one request to the target's origin; a target that cannot be reached fails fast (exit 3). */
export async function preflight(target: string, timeoutMs: number): Promise<void> {
  try {
    // undici only when asked for (--preflight): it is ~20 MB a plain http run does not need.
    const { request } = await loadUndici();
    const res = await request(new URL(target).origin + '/', { method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    await res.body.dump();
  } catch (err) {
    const detail = describeError(err);
    const host = new URL(target).host;
    throw new RunError(`preflight: ${detail}${detail.includes(host) ? '' : ` (${host})`}`);
  }
}
