// Failures become data: every transport error is classified from undici's / Node's stable error codes.
// Pure: the HTTP layer hands in the error and whether the response had begun to arrive.
import type { ErrorKind } from '../types.js';

const CONNECT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EAI_NONAME', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNABORTED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED']);
// HTTP/2: a stream reset (RST_STREAM, a refused stream) or a session ended by GOAWAY before the response
// began is the h2 form of a connection reset; after it began, it cut the response short (protocol).
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_SESSION_ERROR']);
/** reset-like codes that, once the response began, mean it was cut short */
const CUT_SHORT = new Set(['UND_ERR_SOCKET', 'ERR_HTTP2_STREAM_ERROR', 'ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_STREAM_CANCEL', 'ERR_HTTP2_SESSION_ERROR']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'BENCH_DEADLINE']);
const PROTOCOL = new Set([
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_RES_EXCEEDED_MAX_SIZE',
  'UND_ERR_HEADERS_OVERFLOW',
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_INFO',
  'UND_ERR_RESPONSE',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_HTTP2_ERROR',
  'ERR_HTTP2_INVALID_HEADER_VALUE',
  'ERR_HTTP2_HEADERS_AFTER_RESPOND',
  'ERR_HTTP2_INVALID_SESSION',
]);
/** The generator's own limit (file descriptors), never the target's fault: see isGeneratorLimit. */
const GENERATOR_LIMIT = new Set(['EMFILE', 'ENFILE']);
/** undici's SocketError: the connection ended (FIN or error) while a request was outstanding. */
const CONNECTION_LOST = 'UND_ERR_SOCKET';

export interface ErrorContext {
  /** true once the first byte of the response arrived (undici's onResponseStarted) */
  responseStarted?: boolean;
}

export function classifyError(err: unknown, context: ErrorContext = {}): ErrorKind {
  const code = errorCode(err);
  // llhttp parse errors sometimes come without a code (e.g. "Expected HTTP/"): the name is stable.
  if (code === undefined) return isParserError(err) ? 'protocol' : 'other';
  if (TIMEOUT.has(code)) return 'timeout';
  if (CONNECT.has(code)) return 'connect';
  // A connection that ends after the response began cut the response short (headers cut mid-line, a body
  // shorter than its Content-Length): the target broke HTTP framing, which is a protocol fault, not a reset.
  if (CUT_SHORT.has(code) && context.responseStarted) return 'protocol';
  if (RESET.has(code)) return 'reset';
  // llhttp parse errors: HPE_INVALID_CONSTANT, HPE_INVALID_HEADER_TOKEN, …
  if (PROTOCOL.has(code) || code.startsWith('HPE_')) return 'protocol';
  return 'other';
}

/**
 * The generator ran out of file descriptors (EMFILE: this process, ENFILE: the whole system) opening a
 * connection: the request never left, and the target had no part in it. Not an ErrorKind: the
 * transports report it as an 'unsent' outcome, counted as dropped, never as an error of the target.
 */
export function isGeneratorLimit(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && GENERATOR_LIMIT.has(code);
}

/** The one-line message for the generator's file-descriptor limit. */
export function describeGeneratorLimit(code: string, openConnections?: number): string {
  const at = openConnections === undefined ? '' : ` with ${openConnections} connection${openConnections === 1 ? '' : 's'} open`;
  return `the generator ran out of file descriptors (${code})${at}; raise the limit with \`ulimit -n\` (not a fault of the target)`;
}

function isParserError(err: unknown): boolean {
  return (err as { name?: unknown } | null)?.name === 'HTTPParserError';
}

/** The code of an error or of its cause (undici wraps socket errors). */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_ABORTED') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return typeof (err as { code?: unknown })?.code === 'string' ? (err as { code: string }).code : undefined;
}

interface ErrorShape {
  code?: string;
  address?: string;
  port?: number;
  message?: string;
  cause?: unknown;
  /** undici's SocketError carries the socket's addresses here */
  socket?: { remoteAddress?: string; remotePort?: number };
}

/** A one-line human description, e.g. "connection refused at 127.0.0.1:9". */
export function describeError(err: unknown, context: ErrorContext = {}): string {
  const e = (err ?? {}) as ErrorShape;
  const inner = (e.cause ?? e) as ErrorShape;
  const where = whereOf(inner) || whereOf(e);
  switch (errorCode(err)) {
    case 'ECONNREFUSED':
      return `connection refused${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `host not found${where}`;
    case 'ECONNRESET':
      return `connection reset${where}`;
    case CONNECTION_LOST:
      return context.responseStarted ? `response cut short: the connection closed before the response was complete${where}` : `connection closed by the target before any response${where}`;
    case 'EMFILE':
    case 'ENFILE':
      return describeGeneratorLimit(errorCode(err)!);
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return `no complete response in time${where}`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'CERT_HAS_EXPIRED':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate not accepted (${errorCode(err)})${where}; for a self-signed test server set http.insecure: true`;
    default:
      return firstLine(textOf(inner?.message) || textOf(e?.message) || textOf(err) || 'unknown error');
  }
}

function whereOf(e: ErrorShape | undefined): string {
  if (!e || typeof e !== 'object') return '';
  const address = e.address ?? e.socket?.remoteAddress;
  const port = e.port ?? e.socket?.remotePort;
  return address ? ` at ${address}${port ? `:${port}` : ''}` : '';
}

/** Anything → text, never throwing (a null-prototype object has no toString). */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return value === undefined || value === null ? '' : String(value);
  } catch {
    return '';
  }
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
