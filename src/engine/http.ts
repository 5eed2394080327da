// The HTTP layer: undici's lowest-overhead API (Dispatcher.dispatch with a plain handler), one Pool per
// origin. It never rejects: every outcome, success or failure, comes back as data to its receiver.
//
// Deadlines are total (headers and body) and cost no timer per request: every request sent with one
// client has the same timeout, so deadlines expire in send order, and one sweep aborts the overdue.
// In-flight exchanges form a linked list in send order; a settled exchange unlinks itself at once, so
// nothing finished stays reachable (a finished response kept alive until a sweep would be promoted
// to the old generation and make every major GC dearer).
import { Pool, type Dispatcher } from 'undici';
import type { ErrorKind, RequestSpec } from '../types.js';
import { InFlight } from './in-flight.js';
import { classifyError, describeError, isGeneratorLimit } from './classify.js';
import { absoluteUrl, checkRequest } from './request-check.js';
import { DeadlineError, InterruptedError, MAX_KEPT_BODY_BYTES, UNSENT, type HttpClientOptions, type HttpOutcome, type HttpTransport, type OutcomeReceiver } from './transport-types.js';

// The shared contracts used to live here; re-exported so existing imports keep working.
export { InterruptedError, parseRawHeaders, type HttpClientOptions, type HttpOutcome, type HttpTransport, type OutcomeReceiver } from './transport-types.js';

/**
 * One in-flight request: the undici handler, its deadline bookkeeping and its outcome in one object
 * (the receiver is handed the exchange itself, so no outcome object is built per request).
 */
class Exchange implements Dispatcher.DispatchHandler, HttpOutcome {
  status = 0;
  rawHeaders: ReadonlyArray<Buffer | string> | null = null;
  body: string | null = null;
  error: ErrorKind | typeof UNSENT | null = null;
  errorDetail: string | null = null;
  writtenMs = NaN;
  chunks: Buffer[] | null;
  private keptBytes = 0;
  done = false;
  abort: ((err?: Error) => void) | null = null;
  /** set when the deadline passed before undici handed us an abort function */
  overdue: Error | null = null;
  responseStarted = false;
  /** neighbours in the client's in-flight list (send order = deadline order) */
  prev: Exchange | null = null;
  next: Exchange | null = null;
  private expired = false;

  constructor(
    readonly deadline: number,
    readBody: boolean,
    private readonly receiver: OutcomeReceiver,
    private readonly client: HttpClient,
  ) {
    this.chunks = readBody ? [] : null;
  }

  /** undici calls this at the first byte of the response: a connection lost after it cut the response short */
  onResponseStarted(): void {
    this.responseStarted = true;
  }

  onConnect(abort: (err?: Error) => void): void {
    // Settled while it waited in undici's queue: it must not go on the wire now.
    if (this.overdue) return abort(this.overdue);
    this.abort = abort;
    // undici calls this on a connected socket right before it writes the request: service time starts.
    this.writtenMs = this.client.clock();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[]): boolean {
    this.status = statusCode;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    // Bodies are always consumed; only kept when a check or capture reads them, and only up to a cap.
    const chunks = this.chunks;
    if (chunks === null) return true;
    this.keptBytes += chunk.length;
    if (this.keptBytes > MAX_KEPT_BODY_BYTES) this.chunks = null;
    else chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const chunks = this.chunks;
    // One chunk (the usual case) decodes without a copy; several are joined once.
    if (chunks) this.body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    this.settle();
  }

  onError(err: Error): void {
    if (this.done) return;
    // Aborted by our own stop, or by closing the pool at the end: not a fault of the target.
    const ours = err instanceof InterruptedError || (err as { code?: string }).code === 'UND_ERR_DESTROYED';
    const context = { responseStarted: this.responseStarted };
    this.body = null;
    this.error = ours ? 'interrupted' : isGeneratorLimit(err) ? UNSENT : classifyError(err, context);
    if (this.error === UNSENT) this.client.outOfDescriptors(err);
    this.errorDetail = describeError(err, context);
    this.settle();
  }

  expire(timeoutMs: number): void {
    // Once is enough: an overdue exchange stays listed until undici settles it.
    if (this.done || this.expired) return;
    this.expired = true;
    this.cut(new DeadlineError(timeoutMs));
  }

  /**
   * Abort on the wire; or, still waiting in undici's queue (no abort function yet), settle now: a
   * queued request would otherwise outlive its deadline or the run (a wedged pool never dispatches it).
   */
  cut(err: Error): void {
    if (this.done) return;
    if (this.abort) return this.abort(err);
    this.overdue = err;
    this.onError(err);
  }

  private settle(): void {
    if (this.done) return;
    this.done = true;
    this.chunks = null;
    this.client.settled(this);
    this.receiver.onOutcome(this);
    // The receiver has read what it needs; let the response's buffers go with the next scavenge.
    this.rawHeaders = null;
    this.body = null;
  }
}

export class HttpClient implements HttpTransport {
  private readonly pools = new Map<string, Pool>();
  private readonly flights: InFlight<Exchange>;
  private lastOrigin = '';
  /** the descriptor error of the last EMFILE, and until when new sockets are not tried */
  private starved: Error | null = null;
  private starvedUntil = 0;
  private backoffMs = 100;
  private lastPool: Pool | null = null;

  private readonly origin: string;
  /** a target's path prefix (http://host/api → /api), put before every relative step path */
  private readonly basePath: string;

  constructor(
    target: string,
    private readonly options: HttpClientOptions,
    private readonly now: () => number,
  ) {
    const url = new URL(target);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.flights = new InFlight(options.timeoutMs, () => this.sweep());
  }

  get inFlight(): number {
    return this.flights.count;
  }

  /** The generator ran out of file descriptors: back off (doubling, up to 2 s) and tell the user once. */
  outOfDescriptors(err: Error): void {
    const now = this.now();
    if (this.starved !== null && now < this.starvedUntil) return;
    this.backoffMs = this.starved === null ? 100 : Math.min(2000, this.backoffMs * 2);
    this.starved = err;
    this.starvedUntil = now + this.backoffMs;
    this.options.onGeneratorLimit?.(describeError(err));
  }

  /** The client's clock, for its exchanges. */
  clock(): number {
    return this.now();
  }

  /** Send one request; `sentMs` is the caller's clock reading for the send (saves a second reading). */
  send(spec: RequestSpec, readBody: boolean, receiver: OutcomeReceiver, sentMs: number): void {
    const exchange = new Exchange(sentMs + this.options.timeoutMs, readBody, receiver, this);
    this.flights.add(exchange);
    // Out of file descriptors a moment ago, and no connection to queue on: given up at once (no new
    // socket is tried until the back-off has passed, so failing connects cannot spin the event loop).
    if (this.starved !== null && sentMs < this.starvedUntil && this.pool(this.origin).stats.connected === 0) return exchange.onError(this.starved);
    const relative = spec.path.charCodeAt(0) === 47; /* '/' */
    try {
      const url = relative ? null : absoluteUrl(spec.path);
      const origin = url === null ? this.origin : url.origin;
      // Checked before dispatch: a request undici refuses inside dispatch leaves its connection marked
      // busy for good, and the pool wedges after as many refusals as it has connections.
      const { path, headers } = checkRequest(spec, url === null ? this.basePath + spec.path : url.pathname + url.search);
      this.pool(origin).dispatch({ origin, path, method: spec.method as Dispatcher.HttpMethod, headers, body: spec.body ?? null }, exchange);
    } catch (err) {
      exchange.onError(err as Error);
    }
  }

  /** Resolves once nothing is in flight, or after `ms`, whichever comes first (drain without polling). */
  idleOrAfter(ms: number): Promise<void> {
    return this.flights.idleOrAfter(ms);
  }

  /** Abort everything still in flight (used when a run is interrupted). */
  abortAll(): void {
    for (let ex = this.flights.oldest; ex !== null; ) {
      const next = ex.next;
      ex.cut(new InterruptedError());
      ex = next;
    }
  }

  async close(): Promise<void> {
    this.flights.stopSweeping();
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
    this.lastPool = null;
  }

  /** Called by an exchange when it settles. */
  settled(exchange: Exchange): void {
    this.flights.remove(exchange);
  }

  private pool(origin: string): Pool {
    // The common case, one origin, skips the map lookup.
    if (origin === this.lastOrigin && this.lastPool) return this.lastPool;
    let pool = this.pools.get(origin);
    if (!pool) {
      const { connections, timeoutMs } = this.options;
      pool = new Pool(origin, {
        connections,
        pipelining: 1,
        // 0: no undici timer per request. The sweeper enforces our total deadline (headers and body),
        // which is stricter than undici's per-phase timeouts; theirs would only re-arm timers.
        headersTimeout: 0,
        bodyTimeout: 0,
        connectTimeout: Math.min(timeoutMs, 10_000),
        connect: { rejectUnauthorized: !this.options.insecure },
        keepAliveTimeout: 30_000,
      });
      // A pool emits connectionError for failed connects; the request's own onError carries it.
      pool.on('connectionError', () => undefined);
      this.pools.set(origin, pool);
    }
    this.lastOrigin = origin;
    this.lastPool = pool;
    return pool;
  }

  private sweep(): void {
    const now = this.now();
    // Expiring aborts; undici may settle the exchange (and unlink it) synchronously or later.
    for (let ex = this.flights.oldest; ex !== null && ex.deadline <= now; ) {
      const next = ex.next;
      ex.expire(this.options.timeoutMs);
      ex = next;
    }
  }
}
