// Serialises one request into what the lean client writes to its socket: request line, host, the
// step's headers, content-length, blank line, body. Checked first by request-check.ts, as undici's
// requests are, so both clients send (or refuse) the same requests. Pure.
import type { RequestSpec } from '../types.js';
import { checkMethod, CONNECTION, duplicateHost, DROP, encodePath, headerDisposition, HOST, LATIN1 } from './request-check.js';

export { InvalidRequestError } from './request-check.js';

/** methods whose servers expect a length even without a body (as undici sends them) */
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * `path` is the request target (base path joined, starting with '/'); `host` the origin's host[:port].
 * One string in the usual case (written as UTF-8: ASCII head, UTF-8 body); a Buffer when a header
 * value holds Latin-1. Throws InvalidRequestError for a request that cannot be sent.
 */
export function serializeRequest(spec: RequestSpec, path: string, host: string): string | Buffer {
  const method = spec.method;
  checkMethod(method);
  // The layout undici writes, byte for byte: request line, host, connection, the step's headers in
  // order, content-length, blank line (test/wire-bytes.test.ts holds both clients to it).
  let rest = '';
  let hostValue: string | null = null;
  let connection = 'keep-alive';
  /** a head with a Latin-1 header value goes out as Latin-1 bytes (as undici writes it), not UTF-8 */
  let latin1 = false;
  const headers = spec.headers;
  for (const name in headers) {
    const value = headers[name]!;
    let disposition = headerDisposition(name, value);
    if (disposition >= LATIN1) {
      latin1 = true;
      disposition -= LATIN1;
    }
    if (disposition === DROP) continue; // the length is ours to state: a stale one would desynchronise the connection
    if (disposition === HOST) {
      if (hostValue !== null) throw duplicateHost();
      hostValue = value;
      continue;
    }
    if (disposition === CONNECTION) {
      if (/(^|,)\s*close\s*(,|$)/i.test(value)) connection = 'close';
      continue;
    }
    rest += `${name}: ${value}\r\n`;
  }
  let head = `${method} ${encodePath(path)} HTTP/1.1\r\nhost: ${hostValue ?? host}\r\nconnection: ${connection}\r\n${rest}`;
  const body = spec.body;
  if (body !== undefined && body !== null) head += `content-length: ${Buffer.byteLength(body)}\r\n\r\n`;
  else head += PAYLOAD_METHODS.has(method) ? 'content-length: 0\r\n\r\n' : '\r\n';
  if (latin1) return body ? Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]) : Buffer.from(head, 'latin1');
  return body ? head + body : head;
}
