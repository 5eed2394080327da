// Small HTTP helpers shared by every demo server: JSON in and out, errors as one JSON line.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 64 * 1024;

/** An error that is the answer: its status and message go to the client as JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A route handler: path without the query string, query string without the '?'. */
export type Handler = (req: IncomingMessage, res: ServerResponse, path: string, query: string) => Promise<void>;

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function requireMethod(req: IncomingMessage, method: string): void {
  if (req.method !== method) throw new HttpError(405, 'method not allowed', { allow: method });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The body parsed as a JSON object; 400 for anything else. */
export async function readJsonObject(req: IncomingMessage): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, 'body must be JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, 'body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** A number, or a numeric string (templated JSON values may arrive as strings); null otherwise. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function answerError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) sendJson(res, error.status, { error: error.message }, error.headers);
  else sendJson(res, 500, { error: 'internal error' });
}

/** A server's request listener: /health, then the handler; errors become JSON answers. */
export function toListener(handler: Handler): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    if (path === '/health') return sendJson(res, 200, { status: 'ok' });
    handler(req, res, path, query).catch((error: unknown) => answerError(res, error));
  };
}
