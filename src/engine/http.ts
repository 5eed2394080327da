// The HTTP layer: undici's lowest-overhead API (Dispatcher.dispatch with a plain handler), one Pool per
// origin. It never rejects: every outcome, success or failure, comes back as data through a callback.
//
// Deadlines are total (headers and body) and cost no timer per request: every request sent with one
// client has the same timeout, so deadlines expire in send order, and one sweep aborts the overdue.
import { Pool, type Dispatcher } from 'undici';
import type { ErrorKind, RequestSpec } from '../types.js';
import { classifyError, describeError } from './classify.js';

export interface HttpOutcome {
  status: number;
  /** raw header pairs as undici hands them over; parsed only when a step needs them */
  rawHeaders: Buffer[] | null;
  body: string | null;
  /** 'interrupted': aborted by a stop of the run, not a fault of the target (not recorded) */
  error: ErrorKind | 'interrupted' | null;
  /** one line, for the first error of a kind (e.g. "connection refused at 127.0.0.1:9") */
  errorDetail: string | null;
}

export type OutcomeCallback = (outcome: HttpOutcome) => void;

export interface HttpClientOptions {
  connections: number;
  timeoutMs: number;
}

const DEADLINE_CODE = 'BENCH_DEADLINE';

class DeadlineError extends Error {
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

/** One in-flight request: the undici handler and its deadline bookkeeping in one object. */
class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  rawHeaders: Buffer[] | null = null;
  chunks: Buffer[] | null;
  done = false;
  abort: ((err?: Error) => void) | null = null;
  /** set when the deadline passed before undici handed us an abort function */
  overdue: Error | null = null;

  constructor(
    readonly deadline: number,
    readBody: boolean,
    private readonly callback: OutcomeCallback,
    private readonly onSettled: () => void,
  ) {
    this.chunks = readBody ? [] : null;
  }

  onConnect(abort: (err?: Error) => void): void {
    if (this.overdue) abort(this.overdue);
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.status = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    // Bodies are always consumed; only kept when a check or capture reads them.
    this.chunks?.push(chunk);
    return true;
  }

  onComplete(): void {
    const body = this.chunks ? Buffer.concat(this.chunks).toString('utf8') : null;
    this.settle({ status: this.status, rawHeaders: this.rawHeaders, body, error: null, errorDetail: null });
  }

  onError(err: Error): void {
    // Aborted by our own stop, or by closing the pool at the end: not a fault of the target.
    const ours = err instanceof InterruptedError || (err as { code?: string }).code === 'UND_ERR_DESTROYED';
    const error = ours ? 'interrupted' : classifyError(err);
    this.settle({ status: this.status, rawHeaders: this.rawHeaders, body: null, error, errorDetail: describeError(err) });
  }

  expire(timeoutMs: number): void {
    if (this.done) return;
    const err = new DeadlineError(timeoutMs);
    if (this.abort) this.abort(err);
    else this.overdue = err;
  }

  private settle(outcome: HttpOutcome): void {
    if (this.done) return;
    this.done = true;
    this.chunks = null;
    this.onSettled();
    this.callback(outcome);
  }
}

export class HttpClient {
  private readonly pools = new Map<string, Pool>();
  /** in-flight exchanges in send order = deadline order */
  private queue: Exchange[] = [];
  private head = 0;
  private sweeper: NodeJS.Timeout | null = null;
  inFlight = 0;

  constructor(
    private readonly origin: string,
    private readonly options: HttpClientOptions,
    private readonly now: () => number,
  ) {}

  send(spec: RequestSpec, readBody: boolean, callback: OutcomeCallback): void {
    const { origin, path } = this.route(spec.path);
    const exchange = new Exchange(this.now() + this.options.timeoutMs, readBody, callback, this.settled);
    this.inFlight++;
    this.queue.push(exchange);
    this.ensureSweeper();
    try {
      this.pool(origin).dispatch({ origin, path, method: spec.method as Dispatcher.HttpMethod, headers: spec.headers, body: spec.body ?? null }, exchange);
    } catch (err) {
      exchange.onError(err as Error);
    }
  }

  /** Abort everything still in flight (used when a run is interrupted). */
  abortAll(): void {
    for (let i = this.head; i < this.queue.length; i++) {
      const ex = this.queue[i]!;
      if (ex.done) continue;
      if (ex.abort) ex.abort(new InterruptedError());
      else ex.overdue = new InterruptedError();
    }
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
  }

  private readonly settled = (): void => {
    this.inFlight--;
  };

  private route(path: string): { origin: string; path: string } {
    if (path.startsWith('/')) return { origin: this.origin, path };
    const url = new URL(path);
    return { origin: url.origin, path: url.pathname + url.search };
  }

  private pool(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      const { connections, timeoutMs } = this.options;
      pool = new Pool(origin, {
        connections,
        pipelining: 1,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connectTimeout: Math.min(timeoutMs, 10_000),
        keepAliveTimeout: 30_000,
      });
      // A pool emits connectionError for failed connects; the request's own onError carries it.
      pool.on('connectionError', () => undefined);
      this.pools.set(origin, pool);
    }
    return pool;
  }

  private ensureSweeper(): void {
    if (this.sweeper) return;
    const every = Math.max(5, Math.min(50, this.options.timeoutMs / 20));
    this.sweeper = setInterval(() => this.sweep(), every);
    this.sweeper.unref();
  }

  private sweep(): void {
    const now = this.now();
    const q = this.queue;
    while (this.head < q.length) {
      const ex = q[this.head]!;
      if (!ex.done && ex.deadline > now) break;
      if (!ex.done) ex.expire(this.options.timeoutMs);
      this.head++;
    }
    // Compact the queue now and then, so memory stays flat on long runs.
    if (this.head > 4096 && this.head * 2 > q.length) {
      this.queue = q.slice(this.head);
      this.head = 0;
    }
    if (this.head === this.queue.length && this.inFlight === 0 && this.sweeper) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }
}

/** Raw header pairs → lower-cased header object, for checks and captures. */
export function parseRawHeaders(raw: Buffer[] | null): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {};
  if (!raw) return headers;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    const prior = headers[name];
    headers[name] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return headers;
}
