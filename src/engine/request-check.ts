// One check of a request before either HTTP client sends it, so both send (or refuse) exactly the same
// requests. undici refuses some requests inside dispatch, and a refusal there marks the connection busy
// for good (a pool with N connections wedges after N of them): nothing it would refuse may reach it.
//
//   - the path is percent-encoded as browsers do: spaces, controls, `"<>\`` and every non-ASCII
//     character (as UTF-8 bytes) become %XX; a '%' already there is left alone.
//   - header names must be RFC 9110 tokens; values may hold tab, visible ASCII and Latin-1 (obs-text)
//     only: no CR, LF, NUL or other control character, nothing beyond U+00FF.
//   - the message framing and the connection are the client's: content-length, transfer-encoding and
//     keep-alive are left out (the length sent is the body's own); upgrade and expect are refused.
// An invalid request throws InvalidRequestError (classified 'protocol', a one-line message). Pure.
import type { RequestSpec } from '../types.js';

/** What undici calls an invalid argument; the same code, so both transports classify it alike. */
export class InvalidRequestError extends Error {
  readonly code = 'UND_ERR_INVALID_ARG';
}

/** RFC 9110 token: method and header names. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** anything a header value may not hold (undici's rule: tab, 0x20–0x7E, 0x80–0xFF) */
const BAD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
/** what a request target may not hold as is */
const PATH_ENCODE = /[^\x21\x23-\x3b\x3d\x3f-\x5f\x61-\x7e]/;
const PATH_ENCODE_ALL = /[^\x21\x23-\x3b\x3d\x3f-\x5f\x61-\x7e]/gu;

/** The request's method, path (the request target) and headers to send; throws InvalidRequestError. */
export interface CheckedRequest {
  path: string;
  headers: Record<string, string>;
}

/**
 * A step path that does not start with '/': an absolute http(s) URL, parsed. Anything else (no '/', a
 * URL that does not parse, another scheme) throws InvalidRequestError.
 */
export function absoluteUrl(path: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(path);
  } catch {
    // not a URL: said below
  }
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidRequestError(`invalid request URL "${printable(path)}": a step's path starts with / or is an http:// or https:// URL`);
  }
  return url;
}

export function checkMethod(method: string): void {
  if (!TOKEN.test(method)) throw new InvalidRequestError(`invalid request method "${printable(method)}"`);
}

/**
 * A relative step path joined to the target's path prefix and query string: `http://h/api?k=1` and
 * `/users?page=2` → `/api/users?page=2&k=1`. A fragment (`#…`) is never sent, as browsers do not.
 */
export function joinTarget(basePath: string, baseQuery: string, path: string): string {
  if (baseQuery === '' && path.indexOf('#') < 0) return basePath + path;
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  if (baseQuery === '') return basePath + path;
  return basePath + path + (path.includes('?') ? '&' : '?') + baseQuery;
}

/** The prefix and query (without '?') of a target URL, for joinTarget. */
export function targetBase(url: URL): { basePath: string; baseQuery: string } {
  return { basePath: url.pathname.replace(/\/+$/, ''), baseQuery: url.search.replace(/^\?/, '') };
}

/** Methods RFC 9110 calls idempotent: only these are retried after a stale keep-alive connection. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

export function isIdempotent(method: string): boolean {
  return method === 'GET' || IDEMPOTENT.has(method);
}

/** `path` as it goes on the request line: percent-encoded where it has to be (usually unchanged). */
export function encodePath(path: string): string {
  if (!PATH_ENCODE.test(path)) return path;
  return path.replace(PATH_ENCODE_ALL, (ch) => {
    let out = '';
    for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte < 16 ? '0' : ''}${byte.toString(16).toUpperCase()}`;
    return out;
  });
}

/** What a client does with a valid header (see headerDisposition). */
export const KEEP = 0;
export const DROP = 1;
export const HOST = 2;
/** added to KEEP or HOST when the value holds Latin-1 (0x80–0xFF): undici writes it as Latin-1 bytes */
export const LATIN1 = 4;

/** a value of tab and visible ASCII only: the common case, one scan */
const PLAIN_VALUE = /[^\t\x20-\x7e]/;

/** header names seen before, with their disposition: a scenario has few, so the token check runs once per name */
const knownNames = new Map<string, number>();
const MAX_KNOWN_NAMES = 4096;

/**
 * KEEP, DROP (the client states it: content-length, transfer-encoding, keep-alive) or HOST (keep; the
 * caller refuses a second one, see duplicateHost), plus LATIN1 when the value is not plain ASCII.
 * Throws InvalidRequestError for a header that cannot be sent. The hot path: one map lookup for the
 * name and one scan of the value.
 */
export function headerDisposition(name: string, value: string): number {
  let disposition = knownNames.get(name);
  if (disposition === undefined) {
    const problem = headerProblem(name, null);
    if (problem !== null) throw new InvalidRequestError(problem);
    const managed = managedHeader(name);
    disposition = managed === 'drop' ? DROP : managed === 'host' ? HOST : managed === 'connection' ? CONNECTION : KEEP;
    if (knownNames.size < MAX_KNOWN_NAMES) knownNames.set(name, disposition);
  }
  if (disposition === CONNECTION) {
    if (BAD_VALUE.test(value) || !isTokenList(value)) throw new InvalidRequestError(headerProblem(name, value)!);
    return CONNECTION;
  }
  if (!PLAIN_VALUE.test(value)) return disposition;
  if (BAD_VALUE.test(value)) throw new InvalidRequestError(headerProblem(name, value)!);
  return disposition === DROP ? DROP : disposition + LATIN1;
}

export function duplicateHost(): InvalidRequestError {
  return new InvalidRequestError('invalid header "host": it is given twice');
}

/**
 * The headers to send: `headers` itself when all are valid and none is the client's to state, else a
 * copy without those. Throws InvalidRequestError for a header that cannot be sent.
 */
export function checkHeaders(headers: Record<string, string>): Record<string, string> {
  let kept: Record<string, string> | null = null;
  let host = false;
  for (const name in headers) {
    const value = headers[name]!;
    const disposition = headerDisposition(name, value) & ~LATIN1;
    if (disposition === DROP) {
      kept ??= copyUntil(headers, name);
      continue;
    }
    if (disposition === HOST) {
      if (host) throw duplicateHost();
      host = true;
    }
    if (kept !== null) kept[name] = value;
  }
  return kept ?? headers;
}

/**
 * Why one header cannot be sent, or null. `value` null: the name only (a templated value is checked
 * per request). The scenario loader asks this of constant headers, so they fail at load instead.
 */
export function headerProblem(name: string, value: string | null): string | null {
  if (!TOKEN.test(name)) return `invalid header name "${printable(name)}": a header name is a token (letters, digits and !#$%&'*+-.^_\`|~)`;
  const managed = managedHeader(name);
  if (managed === 'refuse') return `header "${name}" is not supported: the client manages it`;
  if (value === null) return null;
  if (BAD_VALUE.test(value)) return `invalid header "${name}": its value ${valueFault(value)}`;
  if (managed === 'connection' && !isTokenList(value)) return `invalid header "${name}": its value is not a list of tokens`;
  return null;
}

/**
 * A connection header (its value a list of tokens). undici does not send it as is: it writes
 * `connection: close` when the list holds `close`, else `connection: keep-alive`; the lean client too.
 */
export const CONNECTION = 3;

function isTokenList(value: string): boolean {
  return value.split(',').every((option) => TOKEN.test(option.trim()));
}

/** The whole check: method, path (to encode) and headers. `path` is the request target, joined to any base path. */
export function checkRequest(spec: RequestSpec, path: string): CheckedRequest {
  checkMethod(spec.method);
  return { path: encodePath(path), headers: checkHeaders(spec.headers) };
}

type Managed = 'drop' | 'host' | 'connection' | 'refuse' | null;

/** Compared in lower case only when the length could match: most headers are none of these. */
function managedHeader(name: string): Managed {
  const n = name.length;
  if (n !== 4 && n !== 6 && n !== 7 && n !== 10 && n !== 14 && n !== 17) return null;
  switch (name.toLowerCase()) {
    case 'content-length':
    case 'transfer-encoding':
    case 'keep-alive':
      return 'drop';
    case 'host':
      return 'host';
    case 'connection':
      return 'connection';
    case 'upgrade':
    case 'expect':
      return 'refuse';
    default:
      return null;
  }
}

function copyUntil(headers: Record<string, string>, stop: string): Record<string, string> {
  const copy: Record<string, string> = {};
  for (const name in headers) {
    if (name === stop) break;
    copy[name] = headers[name]!;
  }
  return copy;
}

function valueFault(value: string): string {
  if (/[\r\n]/.test(value)) return 'contains a line break (CR or LF)';
  if (value.includes('\0')) return 'contains a NUL character';
  if (/[^\x00-\xff]/.test(value)) return 'has a character beyond Latin-1 (U+00FF); percent-encode it';
  return 'contains a control character';
}

/** A name or method for a one-line message: controls shown as escapes. */
function printable(text: string): string {
  const shown = JSON.stringify(text).slice(1, -1);
  return shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}
