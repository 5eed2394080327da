// Failures become data: every transport error is classified from undici's / Node's stable error codes.
import type { ErrorKind } from '../types.js';

const CONNECT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT', 'ECONNABORTED']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'BENCH_DEADLINE']);
const PROTOCOL = new Set(['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'UND_ERR_RES_EXCEEDED_MAX_SIZE', 'UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'UND_ERR_INFO', 'UND_ERR_RESPONSE']);

export function classifyError(err: unknown): ErrorKind {
  const code = errorCode(err);
  if (code === undefined) return 'other';
  if (TIMEOUT.has(code)) return 'timeout';
  if (CONNECT.has(code)) return 'connect';
  if (RESET.has(code)) return 'reset';
  // llhttp parse errors: HPE_INVALID_CONSTANT, HPE_INVALID_HEADER_TOKEN, …
  if (PROTOCOL.has(code) || code.startsWith('HPE_')) return 'protocol';
  return 'other';
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

/** A one-line human description, e.g. "connection refused at 127.0.0.1:9". */
export function describeError(err: unknown): string {
  const e = err as { code?: string; address?: string; port?: number; message?: string; cause?: unknown };
  const inner = (e?.cause ?? e) as { code?: string; address?: string; port?: number; message?: string };
  const where = inner?.address ? ` at ${inner.address}${inner.port ? `:${inner.port}` : ''}` : '';
  switch (errorCode(err)) {
    case 'ECONNREFUSED':
      return `connection refused${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found${where}`;
    case 'ECONNRESET':
      return `connection reset${where}`;
    default:
      return (inner?.message ?? e?.message ?? String(err)).split('\n')[0]!;
  }
}
