// Serialises one request into what the lean client writes to its socket: request line, host, the
// step's headers, content-length, blank line, body. Checked first by request-check.ts, as undici's
// requests are, so both clients send (or refuse) the same requests. Pure.
import type { RequestSpec } from '../types.js';
import { checkHeaders, checkMethod, encodePath } from './request-check.js';

export { InvalidRequestError } from './request-check.js';

/** methods whose servers expect a length even without a body (as undici sends them) */
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** a head with a Latin-1 header value goes out as Latin-1 bytes (as undici writes it), not UTF-8 */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * `path` is the request target (base path joined, starting with '/'); `host` the origin's host[:port].
 * One string in the usual case (written as UTF-8: ASCII head, UTF-8 body); a Buffer when a header
 * value holds Latin-1. Throws InvalidRequestError for a request that cannot be sent.
 */
export function serializeRequest(spec: RequestSpec, path: string, host: string): string | Buffer {
  const method = spec.method;
  checkMethod(method);
  let head = `${method} ${encodePath(path)} HTTP/1.1\r\n`;
  let hostSet = false;
  const headers = checkHeaders(spec.headers);
  for (const name in headers) {
    if (name.length === 4 && name.toLowerCase() === 'host') hostSet = true;
    head += `${name}: ${headers[name]!}\r\n`;
  }
  if (!hostSet) head += `host: ${host}\r\n`;
  const body = spec.body;
  if (body !== undefined && body !== null) head += `content-length: ${Buffer.byteLength(body)}\r\n\r\n`;
  else head += PAYLOAD_METHODS.has(method) ? 'content-length: 0\r\n\r\n' : '\r\n';
  if (NON_ASCII.test(head)) return body ? Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body, 'utf8')]) : Buffer.from(head, 'latin1');
  return body ? head + body : head;
}
