// What every HTTP transport (undici-client.ts, the lean HTTP/1.1 client) offers the engine, and the
// outcome it hands back. A transport never rejects: every outcome, success or failure, is data.
import type { ErrorKind, RequestSpec } from '../types.js';

/** The outcome of a request the generator could not send for lack of its own resources (EMFILE). */
export const UNSENT = 'unsent';

export interface HttpOutcome {
  status: number;
  /**
   * raw header pairs as the transport's parser hands them over (undici: Buffers, llhttp in node: strings);
   * parsed only when a step needs them
   */
  rawHeaders: ReadonlyArray<Buffer | string> | null;
  body: string | null;
  /**
   * 'interrupted': aborted by a stop of the run, not a fault of the target (recorded as such);
   * 'unsent': the generator could not send it (out of file descriptors): counted as dropped, not an error
   */
  error: ErrorKind | typeof UNSENT | null;
  /** one line, for the first error of a kind (e.g. "connection refused at 127.0.0.1:9") */
  errorDetail: string | null;
  /** the protocol that carried the response: 'h1' or 'h2' ('' when there was none) */
  protocol: string;
  /** the body's content-encoding when it was kept undecoded (http.compression off), else null */
  encoding: string | null;
  /**
   * clock reading when the request was written to its connection (after a new connection's connect),
   * the start of its service time; NaN when it never was (it waited in the pool, or was refused)
   */
  writtenMs: number;
}

/** Who hears the outcome: one method on a long-lived object, so the hot path creates no closure per request. */
export interface OutcomeReceiver {
  onOutcome(outcome: HttpOutcome): void;
}

export interface HttpClientOptions {
  connections: number;
  timeoutMs: number;
  /** https: skip certificate verification */
  insecure?: boolean;
  /** the response head's size limit, bytes (default 16 KB, node's) */
  maxHeaderSize?: number;
  /** HTTP/1.1 pipelining: idempotent requests in flight per connection (default 1: none; a benchmark mode) */
  pipelining?: number;
  /** HTTP version (default auto: HTTP/2 if TLS's ALPN offers it); '2' over http: is h2c by prior knowledge */
  version?: '1.1' | '2' | 'auto';
  /** HTTP/2 with version '2': concurrent streams per connection (default 100) */
  maxStreams?: number;
  /** https: PEM files (absolute paths) and the TLS server name */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string };
  /** decode gzip/br/deflate bodies a check reads (default true; false: kept as received, and said so) */
  decode?: boolean;
  /**
   * told (once per occurrence) when the generator ran out of file descriptors and carried on with fewer
   * connections than asked: a one-line message for the user
   */
  onGeneratorLimit?: (detail: string) => void;
}

/** The engine's view of an HTTP client. Deadlines are total (headers and body), `timeoutMs` from the send. */
export interface HttpTransport {
  readonly inFlight: number;
  /** Send one request; `sentMs` is the caller's clock reading for the send (saves a second reading). */
  send(spec: RequestSpec, readBody: boolean, receiver: OutcomeReceiver, sentMs: number): void;
  /** Resolves once nothing is in flight, or after `ms`, whichever comes first. */
  idleOrAfter(ms: number): Promise<void>;
  /** Abort everything still in flight (outcome error 'interrupted'). */
  abortAll(): void;
  close(): Promise<void>;
  /** which client, and what it did that is no single request's outcome */
  stats(): TransportStats;
}

export interface TransportStats {
  client: 'lean' | 'undici';
  /** requests sent once more on a fresh connection after a reused keep-alive connection was found closed */
  retries: number;
}

/** A connect is given up after this long at most (or the request timeout, if shorter). */
export const MAX_CONNECT_TIMEOUT_MS = 10_000;

export const DEADLINE_CODE = 'BENCH_DEADLINE';

/** The reason given to a request whose total deadline passed (classified as 'timeout'). */
export class DeadlineError extends Error {
  readonly code = DEADLINE_CODE;
  constructor(timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
  }
}

/** The reason given to requests aborted because the run was stopped. */
export class InterruptedError extends Error {
  readonly code = 'BENCH_INTERRUPTED';
  constructor() {
    super('run stopped');
  }
}

/** Raw header pairs → lower-cased header object, for checks and captures. */
export function parseRawHeaders(raw: ReadonlyArray<Buffer | string> | null): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (!raw) return headers;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = latin1(raw[i]!).toLowerCase();
    const value = latin1(raw[i + 1]!);
    const prior = headers[name];
    headers[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return headers;
}

function latin1(part: Buffer | string): string {
  return typeof part === 'string' ? part : part.toString('latin1');
}

/**
 * A body kept for a step's checks and captures stops being kept past this size (it is still read to
 * the end): the step's checks then see no body and fail, instead of the generator holding gigabytes.
 */
export const MAX_KEPT_BODY_BYTES = 16 * 1024 * 1024;
