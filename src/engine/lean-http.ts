// The lean HTTP/1.1 client for plain-http targets: keep-alive `net` sockets, node's native llhttp
// parser, one write per request, and nothing per request beyond one small object. Same contract as
// undici-client.ts: it never rejects, every outcome comes back as data, same error kinds — both share
// the exchange core (exchange.ts) and the request check (request-check.ts).
//
// Deadlines are total (headers and body) and cost no timer per request: every request sent with one
// client has the same timeout, so deadlines expire in send order, and one sweep gives up on the
// overdue. An overdue request's connection is destroyed (its response could still arrive later and be
// taken for the next request's) and replaced on demand. A request whose deadline passed while its
// connection was still connecting failed to connect ('connect'), not to answer.
//
// An absolute https:// step URL (rare: the target itself is http) is handed to an undici client.
import type { RequestSpec } from '../types.js';
import { UndiciClient } from './undici-client.js';
import { LeanExchange } from './lean-exchange.js';
import { MAX_CONNECTING, OriginPool } from './lean-pool.js';
import { ConnectTimeoutError, type LeanConnection } from './lean-connection.js';
import { InFlight } from './in-flight.js';
import { serializeRequest } from './lean-request.js';
import { absoluteUrl, isIdempotent, joinTarget, targetBase } from './request-check.js';
import { DeadlineError, InterruptedError, MAX_CONNECT_TIMEOUT_MS, type HttpClientOptions, type HttpTransport, type OutcomeReceiver, type TransportStats } from './transport-types.js';

interface Origin {
  pool: OriginPool;
  /** host[:port], for the host header */
  host: string;
}

export class LeanHttpClient implements HttpTransport {
  private readonly origins = new Map<string, Origin>();
  private readonly targetOrigin: Origin;
  private readonly targetUrl: URL;
  /** a target's path prefix (http://host/api → /api) and query, joined to every relative step path */
  private readonly basePath: string;
  private readonly baseQuery: string;
  private readonly flights: InFlight<LeanExchange>;
  private readonly decode: boolean;
  private tls: UndiciClient | null = null;
  /** retries counted by pools already closed */
  private closedRetries = 0;

  constructor(
    target: string,
    private readonly options: HttpClientOptions,
    private readonly now: () => number,
  ) {
    this.targetUrl = new URL(target);
    if (this.targetUrl.protocol !== 'http:') throw new Error(`the lean HTTP client speaks plain http only, not ${this.targetUrl.protocol}`);
    ({ basePath: this.basePath, baseQuery: this.baseQuery } = targetBase(this.targetUrl));
    this.decode = options.decode !== false;
    this.targetOrigin = this.originFor(this.targetUrl);
    // Giving up settles an exchange synchronously, which takes it off the list.
    this.flights = new InFlight(options.timeoutMs, () => this.giveUpUntil(this.now(), (ex) => this.overdueReason(ex)));
  }

  get inFlight(): number {
    return this.flights.count + (this.tls?.inFlight ?? 0);
  }

  send(spec: RequestSpec, readBody: boolean, receiver: OutcomeReceiver, sentMs: number): void {
    const relative = spec.path.charCodeAt(0) === 47; /* '/' */
    let url: URL | null = null;
    let invalid: Error | null = null;
    if (!relative) {
      try {
        url = absoluteUrl(spec.path);
      } catch (err) {
        invalid = err as Error;
      }
    }
    if (url !== null && url.protocol !== 'http:') return this.tlsClient().send(spec, readBody, receiver, sentMs);
    const method = spec.method;
    const exchange = new LeanExchange(sentMs + this.options.timeoutMs, readBody, method === 'HEAD', isIdempotent(method), receiver, this, this.decode);
    this.flights.add(exchange);
    if (invalid !== null) return exchange.fail(invalid);
    const origin = url === null ? this.targetOrigin : this.originFor(url);
    try {
      exchange.request = serializeRequest(spec, url === null ? joinTarget(this.basePath, this.baseQuery, spec.path) : url.pathname + url.search, origin.host);
    } catch (err) {
      return exchange.fail(err as Error);
    }
    origin.pool.submit(exchange, sentMs);
  }

  idleOrAfter(ms: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    if (this.tls !== null && this.tls.inFlight > 0) return Promise.all([this.flights.idleOrAfter(ms), this.tls.idleOrAfter(ms)]).then(() => undefined);
    return this.flights.idleOrAfter(ms);
  }

  abortAll(): void {
    this.giveUpAll(() => new InterruptedError());
    this.tls?.abortAll();
  }

  async close(): Promise<void> {
    this.flights.stopSweeping();
    // Anything still in flight now was cut by the end of the run, not by the target.
    this.giveUpAll(() => new InterruptedError());
    for (const origin of this.origins.values()) {
      this.closedRetries += origin.pool.retries;
      origin.pool.destroy();
    }
    this.origins.clear();
    await this.tls?.close();
    this.tls = null;
  }

  stats(): TransportStats {
    let retries = this.closedRetries + (this.tls?.stats().retries ?? 0);
    for (const origin of this.origins.values()) retries += origin.pool.retries;
    return { client: 'lean', retries };
  }

  clock(): number {
    return this.now();
  }

  /** Called by an exchange when it settles. */
  settled(exchange: LeanExchange): void {
    this.flights.remove(exchange);
  }

  private overdueReason(exchange: LeanExchange): Error {
    const carrier = exchange.carrier as LeanConnection | null;
    if (carrier !== null && carrier.connecting) {
      const url = this.targetUrl;
      return new ConnectTimeoutError(url.hostname, Number(url.port || 80), this.options.timeoutMs);
    }
    return new DeadlineError(this.options.timeoutMs);
  }

  private giveUpAll(reason: (ex: LeanExchange) => Error): void {
    this.giveUpUntil(Infinity, reason);
  }

  /**
   * Gives up on every exchange due by `until`: the waiting ones first, then those on a connection.
   * In that order, a connection retired for its overdue request cannot hand an equally overdue
   * waiting request to a fresh connection and so put it on the wire.
   */
  private giveUpUntil(until: number, reason: (ex: LeanExchange) => Error): void {
    for (const onWire of [false, true]) {
      for (let ex = this.flights.oldest; ex !== null && ex.deadline <= until; ) {
        const next = ex.next;
        if ((ex.carrier !== null) === onWire) ex.giveUp(reason(ex));
        ex = next;
      }
    }
  }

  private originFor(url: URL): Origin {
    let origin = this.origins.get(url.origin);
    if (origin === undefined) {
      const host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // [::1] → ::1
      const port = Number(url.port || 80);
      const connection = { host, port, connectTimeoutMs: Math.min(this.options.timeoutMs, MAX_CONNECT_TIMEOUT_MS), maxHeaderSize: this.options.maxHeaderSize ?? 0 };
      const depth = Math.max(1, this.options.pipelining ?? 1);
      origin = { pool: new OriginPool(connection, Math.max(1, this.options.connections), this.now, this.options.onGeneratorLimit, MAX_CONNECTING, depth), host: url.host };
      this.origins.set(url.origin, origin);
    }
    return origin;
  }

  private tlsClient(): UndiciClient {
    return (this.tls ??= new UndiciClient(this.targetUrl.href, this.options, this.now));
  }
}
