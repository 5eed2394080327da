// The undici codec: https targets (and whenever node's llhttp binding is missing) go through undici's
// lowest-overhead API (Dispatcher.dispatch with a plain handler), one Pool per origin. The exchange
// itself — body cap and join, decoding, classification, settling — is the shared core (exchange.ts).
//
// undici is loaded only when this client is first used (a dynamic import: it costs ~20 MB of RSS a
// plain-http run never needs). Requests sent before it has loaded wait for it, under their deadlines.
//
// Deadlines are total (headers and body) and cost no timer per request: every request sent with one
// client has the same timeout, so deadlines expire in send order, and one sweep aborts the overdue.
import { readFileSync } from 'node:fs';
import type { Dispatcher, Pool } from 'undici';
import type { RequestSpec } from '../types.js';
import { InFlight } from './in-flight.js';
import { describeError } from './classify.js';
import { ExchangeCore, type ExchangeOwner } from './exchange.js';
import { absoluteUrl, checkRequest, isIdempotent, joinTarget, targetBase } from './request-check.js';
import { DeadlineError, InterruptedError, MAX_CONNECT_TIMEOUT_MS, type HttpClientOptions, type HttpTransport, type OutcomeReceiver, type TransportStats } from './transport-types.js';

type Undici = typeof import('undici');
let undici: Undici | null = null;
let loading: Promise<Undici> | null = null;

/** undici, imported once, on first need. */
export function loadUndici(): Promise<Undici> {
  return (loading ??= import('undici').then((module) => (undici = module)));
}

/** One in-flight request: the undici handler on the shared exchange core. */
class UndiciExchange extends ExchangeCore implements Dispatcher.DispatchHandler {
  abort: ((err?: Error) => void) | null = null;
  /** set when the deadline passed before undici handed us an abort function */
  overdue: Error | null = null;
  private expired = false;
  /** sent on a pool that may speak HTTP/2 */
  h2 = false;
  declare prev: UndiciExchange | null;
  declare next: UndiciExchange | null;

  /** undici calls this at the first byte of the response: a connection lost after it cut the response short */
  onResponseStarted(): void {
    this.responseStarted = true;
  }

  onConnect(abort: (err?: Error) => void): void {
    // Settled while it waited in undici's queue: it must not go on the wire now.
    if (this.overdue) return abort(this.overdue);
    this.abort = abort;
    // undici calls this on a connected socket right before it writes the request: service time starts.
    this.markWritten();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume?: unknown, statusText?: string): boolean {
    // undici hands an HTTP/2 response no status text (h2 has none); HTTP/1.1 servers send a reason phrase.
    this.protocol = this.h2 && statusText === '' ? 'h2' : 'h1';
    this.onHead(statusCode, rawHeaders);
    return true;
  }

  onData(chunk: Buffer): boolean {
    this.onBody(chunk);
    return true;
  }

  onComplete(): void {
    this.complete();
  }

  onError(err: Error): void {
    this.fail(err);
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
    this.fail(err);
  }
}

interface Pending {
  origin: string;
  options: Dispatcher.DispatchOptions;
  exchange: UndiciExchange;
}

export class UndiciClient implements HttpTransport, ExchangeOwner {
  private readonly pools = new Map<string, Pool>();
  private readonly flights: InFlight<UndiciExchange>;
  private lastOrigin = '';
  /** the descriptor error of the last EMFILE, and until when new sockets are not tried */
  private starved: Error | null = null;
  private starvedUntil = 0;
  private backoffMs = 100;
  private lastPool: Pool | null = null;
  /** requests sent before undici had loaded */
  private pending: Pending[] | null = null;
  private closed = false;

  private readonly origin: string;
  /** a target's path prefix (http://host/api → /api) and query, joined to every relative step path */
  private readonly basePath: string;
  private readonly baseQuery: string;
  private readonly decode: boolean;
  /** the pools may speak HTTP/2: ALPN over TLS (version auto or 2), or h2c by prior knowledge (version 2) */
  private readonly h2: boolean;
  private readonly h2c: boolean;

  constructor(
    target: string,
    private readonly options: HttpClientOptions,
    private readonly now: () => number,
  ) {
    const url = new URL(target);
    this.origin = url.origin;
    ({ basePath: this.basePath, baseQuery: this.baseQuery } = targetBase(url));
    this.decode = options.decode !== false;
    this.h2c = url.protocol === 'http:' && options.version === '2';
    this.h2 = this.h2c || (url.protocol === 'https:' && options.version !== '1.1');
    this.flights = new InFlight(options.timeoutMs, () => this.sweep());
    void loadUndici();
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

  clock(): number {
    return this.now();
  }

  send(spec: RequestSpec, readBody: boolean, receiver: OutcomeReceiver, sentMs: number): void {
    const exchange = new UndiciExchange(sentMs + this.options.timeoutMs, readBody, receiver, this, this.decode);
    exchange.h2 = this.h2;
    this.flights.add(exchange);
    // Out of file descriptors a moment ago, and no connection to queue on: given up at once (no new
    // socket is tried until the back-off has passed, so failing connects cannot spin the event loop).
    if (this.starved !== null && sentMs < this.starvedUntil && (this.lastPool?.stats.connected ?? 0) === 0) return exchange.fail(this.starved);
    const relative = spec.path.charCodeAt(0) === 47; /* '/' */
    try {
      const url = relative ? null : absoluteUrl(spec.path);
      const origin = url === null ? this.origin : url.origin;
      // Checked before dispatch: a request undici refuses inside dispatch leaves its connection marked
      // busy for good, and the pool wedges after as many refusals as it has connections.
      const { path, headers } = checkRequest(spec, url === null ? joinTarget(this.basePath, this.baseQuery, spec.path) : url.pathname + url.search);
      const options: Dispatcher.DispatchOptions = { origin, path, method: spec.method as Dispatcher.HttpMethod, headers, body: spec.body ?? null, idempotent: isIdempotent(spec.method) };
      if (undici === null) return this.wait({ origin, options, exchange });
      this.pool(origin).dispatch(options, exchange);
    } catch (err) {
      exchange.fail(err as Error);
    }
  }

  idleOrAfter(ms: number): Promise<void> {
    return this.flights.idleOrAfter(ms);
  }

  abortAll(): void {
    for (let ex = this.flights.oldest; ex !== null; ) {
      const next = ex.next;
      ex.cut(new InterruptedError());
      ex = next;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.flights.stopSweeping();
    this.abortPending();
    await Promise.all([...this.pools.values()].map((p) => p.destroy().catch(() => undefined)));
    this.pools.clear();
    this.lastPool = null;
  }

  stats(): TransportStats {
    // undici retries a request on a reused socket the server closed only when told to (not done
    // here); it honours Keep-Alive hints itself, so there is nothing of ours to count.
    return { client: 'undici', retries: 0 };
  }

  settled(exchange: ExchangeCore): void {
    this.flights.remove(exchange as UndiciExchange);
  }

  private wait(pending: Pending): void {
    if (this.pending === null) {
      this.pending = [];
      loadUndici().then(
        () => this.flushPending(),
        (err: Error) => this.abortPending(err),
      );
    }
    this.pending.push(pending);
  }

  private flushPending(): void {
    const pending = this.pending ?? [];
    this.pending = null;
    for (const { origin, options, exchange } of pending) {
      if (exchange.done) continue; // expired while undici loaded
      if (this.closed) exchange.fail(new InterruptedError());
      else this.pool(origin).dispatch(options, exchange);
    }
  }

  private abortPending(err: Error = new InterruptedError()): void {
    const pending = this.pending ?? [];
    this.pending = null;
    for (const { exchange } of pending) exchange.fail(err);
  }

  private pool(origin: string): Pool {
    // The common case, one origin, skips the map lookup.
    if (origin === this.lastOrigin && this.lastPool) return this.lastPool;
    let pool = this.pools.get(origin);
    if (!pool) {
      const { connections, timeoutMs } = this.options;
      // Version 2: streams multiplexed, maxStreams per connection. Auto: HTTP/2 if ALPN offers it, but one
      // request per connection at a time (were HTTP/1.1 negotiated instead, deeper would mean pipelining).
      const streams = this.options.version === '2' ? (this.options.maxStreams ?? 100) : 1;
      // HTTP/1.1 pipelining (benchmark mode): undici pipelines idempotent requests only, as the lean client.
      const depth = this.h2 ? streams : Math.max(1, this.options.pipelining ?? 1);
      const h2 = this.h2 && (origin.startsWith('https:') || this.h2c);
      pool = new undici!.Pool(origin, {
        connections,
        pipelining: depth,
        ...(h2 ? { allowH2: true, maxConcurrentStreams: Math.max(streams, 1) } : {}),
        // 0: no undici timer per request. The sweeper enforces our total deadline (headers and body),
        // which is stricter than undici's per-phase timeouts; theirs would only re-arm timers.
        headersTimeout: 0,
        bodyTimeout: 0,
        connectTimeout: Math.min(timeoutMs, MAX_CONNECT_TIMEOUT_MS),
        // (undici's Pool builds its connector from `connect`: h2c by prior knowledge is said there)
        connect: h2 && origin.startsWith('http:') ? { ...this.tlsOptions(), useH2c: true } : this.tlsOptions(),
        keepAliveTimeout: 30_000,
        ...(this.options.maxHeaderSize ? { maxHeaderSize: this.options.maxHeaderSize } : {}),
      });
      // A pool emits connectionError for failed connects; the request's own onError carries it.
      pool.on('connectionError', () => undefined);
      this.pools.set(origin, pool);
    }
    this.lastOrigin = origin;
    this.lastPool = pool;
    return pool;
  }

  /** TLS options: certificate checks (unless insecure), the scenario's CA, client certificate and server name. */
  private tlsOptions(): Record<string, unknown> {
    const tls = this.options.tls ?? {};
    const connect: Record<string, unknown> = { rejectUnauthorized: !this.options.insecure };
    if (tls.ca) connect.ca = readFileSync(tls.ca);
    if (tls.cert) connect.cert = readFileSync(tls.cert);
    if (tls.key) connect.key = readFileSync(tls.key);
    if (tls.servername) connect.servername = tls.servername;
    return connect;
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
