// The lean HTTP/1.1 client for plain-http targets: keep-alive `net` sockets, node's native llhttp
// parser, one write per request, and nothing per request beyond one small object. Same contract as
// undici's HttpClient (http.ts): it never rejects, every outcome comes back as data, same error kinds.
//
// Deadlines are total (headers and body) and cost no timer per request: every request sent with one
// client has the same timeout, so deadlines expire in send order, and one sweep gives up on the
// overdue. An overdue request's connection is destroyed (its response could still arrive later and be
// taken for the next request's) and replaced on demand.
//
// An absolute https:// step URL (rare: the target itself is http) is handed to an undici client.
import type { RequestSpec } from '../types.js';
import { HttpClient } from './http.js';
import { LeanExchange, type ExchangeOwner } from './lean-exchange.js';
import { OriginPool } from './lean-pool.js';
import { InFlight } from './in-flight.js';
import { serializeRequest } from './lean-request.js';
import { absoluteUrl } from './request-check.js';
import { DeadlineError, InterruptedError, type HttpClientOptions, type HttpTransport, type OutcomeReceiver } from './transport-types.js';

interface Origin {
  pool: OriginPool;
  /** host[:port], for the host header */
  host: string;
}

export class LeanHttpClient implements HttpTransport, ExchangeOwner {
  private readonly origins = new Map<string, Origin>();
  private readonly targetOrigin: Origin;
  private readonly targetUrl: URL;
  /** a target's path prefix (http://host/api → /api), put before every relative step path */
  private readonly basePath: string;
  private readonly flights: InFlight<LeanExchange>;
  private tls: HttpClient | null = null;

  constructor(
    target: string,
    private readonly options: HttpClientOptions,
    private readonly now: () => number,
  ) {
    this.targetUrl = new URL(target);
    if (this.targetUrl.protocol !== 'http:') throw new Error(`the lean HTTP client speaks plain http only, not ${this.targetUrl.protocol}`);
    this.basePath = this.targetUrl.pathname.replace(/\/+$/, '');
    this.targetOrigin = this.originFor(this.targetUrl);
    // Giving up settles an exchange synchronously, which takes it off the list.
    this.flights = new InFlight(options.timeoutMs, () => this.giveUpUntil(this.now(), () => new DeadlineError(this.options.timeoutMs)));
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
    const exchange = new LeanExchange(sentMs + this.options.timeoutMs, readBody, spec.method === 'HEAD', receiver, this);
    this.flights.add(exchange);
    if (invalid !== null) return exchange.fail(invalid);
    const origin = url === null ? this.targetOrigin : this.originFor(url);
    try {
      exchange.request = serializeRequest(spec, url === null ? this.basePath + spec.path : url.pathname + url.search, origin.host);
    } catch (err) {
      return exchange.fail(err as Error);
    }
    origin.pool.submit(exchange);
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
    for (const origin of this.origins.values()) origin.pool.destroy();
    this.origins.clear();
    await this.tls?.close();
    this.tls = null;
  }

  clock(): number {
    return this.now();
  }

  /** Called by an exchange when it settles. */
  settled(exchange: LeanExchange): void {
    this.flights.remove(exchange);
  }

  private giveUpAll(reason: () => Error): void {
    this.giveUpUntil(Infinity, reason);
  }

  /**
   * Gives up on every exchange due by `until`: the waiting ones first, then those on a connection.
   * In that order, a connection retired for its overdue request cannot hand an equally overdue
   * waiting request to a fresh connection and so put it on the wire.
   */
  private giveUpUntil(until: number, reason: () => Error): void {
    for (const onWire of [false, true]) {
      for (let ex = this.flights.oldest; ex !== null && ex.deadline <= until; ) {
        const next = ex.next;
        if ((ex.carrier !== null) === onWire) ex.giveUp(reason());
        ex = next;
      }
    }
  }

  private originFor(url: URL): Origin {
    let origin = this.origins.get(url.origin);
    if (origin === undefined) {
      const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1'); // [::1] → ::1
      const port = Number(url.port || 80);
      origin = { pool: new OriginPool(hostname, port, Math.max(1, this.options.connections), this.options.onGeneratorLimit), host: url.host };
      this.origins.set(url.origin, origin);
    }
    return origin;
  }

  private tlsClient(): HttpClient {
    return (this.tls ??= new HttpClient(this.targetUrl.href, this.options, this.now));
  }
}
