// Serialises one request into the single string the lean client writes to its socket: request line,
// host, the step's headers, content-length, blank line, body. Pure.
import type { RequestSpec } from '../types.js';

/** What undici calls an invalid argument; the same code, so both transports classify it alike. */
export class InvalidRequestError extends Error {
  readonly code = 'UND_ERR_INVALID_ARG';
}

/** CR, LF or NUL in a name, value or path would let a value smuggle a second request: refused. */
const UNSAFE = /[\r\n\0]/;
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** methods whose servers expect a length even without a body (as undici sends them) */
const PAYLOAD_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * `path` is already the request target (base path joined, starting with '/'); `host` the origin's
 * host[:port]. Throws InvalidRequestError for a request that cannot be written safely.
 */
export function serializeRequest(spec: RequestSpec, path: string, host: string): string {
  const method = spec.method;
  if (!METHOD_TOKEN.test(method)) throw new InvalidRequestError(`invalid request method "${method}"`);
  if (UNSAFE.test(path) || path.includes(' ')) throw new InvalidRequestError('invalid request path: it contains a space or a line break');
  let head = `${method} ${path} HTTP/1.1\r\n`;
  let hostSet = false;
  const headers = spec.headers;
  for (const name in headers) {
    const value = headers[name]!;
    if (UNSAFE.test(name) || UNSAFE.test(value)) throw new InvalidRequestError(`invalid header "${name.replace(UNSAFE, ' ')}": it contains a line break`);
    if (isFraming(name)) continue; // the length is ours to state: a stale one would desynchronise the connection
    if (name.length === 4 && name.toLowerCase() === 'host') hostSet = true;
    head += `${name}: ${value}\r\n`;
  }
  if (!hostSet) head += `host: ${host}\r\n`;
  const body = spec.body;
  if (body !== undefined && body !== null) return `${head}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  return PAYLOAD_METHODS.has(method) ? `${head}content-length: 0\r\n\r\n` : `${head}\r\n`;
}

/** content-length and transfer-encoding (compared only when the length could match). */
function isFraming(name: string): boolean {
  if (name.length !== 14 && name.length !== 17) return false;
  const lower = name.toLowerCase();
  return lower === 'content-length' || lower === 'transfer-encoding';
}
