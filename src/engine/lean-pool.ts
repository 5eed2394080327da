// The lean client's connections to one origin: up to `max` keep-alive sockets, opened lazily, one
// request in flight on each, and a FIFO queue of requests waiting for a free one.
//
// A waiting request is bound to no socket: it goes to whichever connection frees up (or is opened)
// first. So a connection that dies takes only the request it was carrying, which had been written and
// so is failed, never silently sent twice; the waiting ones are served by its replacement.
//
// When the generator runs out of file descriptors (EMFILE), the pool carries on with the connections it
// has: the request that could not get a socket waits for one of them, no new socket is tried until a
// back-off has passed (doubling, up to 2 s), and only with no connection at all are requests given up
// as 'unsent' (the generator's limit, never the target's fault). No retry loop can spin the event loop.
//
// Connections open progressively: at most MAX_CONNECTING connects are under way at once (the rest of
// the requests wait for them), so 2,000 users starting together do not overflow the server's listen
// queue. A free connection idle for longer than its server's Keep-Alive hint is retired, not reused.
import { describeGeneratorLimit, errorCode } from './classify.js';
import { LeanConnection, type ConnectionOptions, type ConnectionOwner } from './lean-connection.js';
import type { LeanExchange } from './lean-exchange.js';

const FIRST_BACKOFF_MS = 100;
/** connects under way at once, per origin */
export const MAX_CONNECTING = 64;
const MAX_BACKOFF_MS = 2000;

export class OriginPool implements ConnectionOwner {
  private readonly connections = new Set<LeanConnection>();
  /** free keep-alive connections, most recently used last (warm sockets are reused first) */
  private readonly idle: LeanConnection[] = [];
  private queue: LeanExchange[] = [];
  private queueHead = 0;
  private destroyed = false;
  /** how many connections may be open: `max`, or fewer after the generator ran out of descriptors */
  private limit: number;
  private backoffMs = FIRST_BACKOFF_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  /** the descriptor error, while no connection can be had (requests are then given up at once) */
  private starved: Error | null = null;
  /** connections whose connect is under way */
  private readonly connecting = new Set<LeanConnection>();
  /** requests sent once more on a fresh connection after their reused one was found closed */
  retries = 0;

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly max: number,
    private readonly now: () => number,
    /** told when the generator ran out of file descriptors (a one-line message) */
    private readonly onGeneratorLimit?: (detail: string) => void,
    private readonly maxConnecting = MAX_CONNECTING,
    /** http.pipelining: idempotent requests in flight per connection (1: no pipelining) */
    private readonly depth = 1,
  ) {
    this.limit = max;
  }

  /** pipelined connections with room for another request (depth > 1 only) */
  private readonly spare: LeanConnection[] = [];

  /** `nowMs`: the clock as the client read it for this send, used as the write time if it goes out at once */
  submit(exchange: LeanExchange, nowMs = Number.NaN): void {
    const free = this.freeConnection();
    if (free !== null) return this.startOn(free, exchange, nowMs);
    if (this.depth > 1 && exchange.idempotent) {
      const open = this.spareFor(exchange);
      if (open !== null) return this.startOn(open, exchange, nowMs);
    }
    if (this.canOpen()) return this.open().start(exchange);
    if (this.starved !== null && this.connections.size === 0) return exchange.fail(this.starved);
    this.queue.push(exchange);
  }

  connectionFree(connection: LeanConnection): void {
    if (this.depth > 1) return this.pipelinedFree(connection);
    const next = this.nextWaiting();
    if (next !== null) return connection.start(next);
    // The clock is read only for a connection whose server gave a Keep-Alive hint.
    if (connection.keepAliveMs !== Infinity) connection.idleSince = this.now();
    this.idle.push(connection);
  }

  connectionGone(connection: LeanConnection): void {
    this.connections.delete(connection);
    this.connecting.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
    if (this.destroyed) return;
    this.openForWaiting();
  }

  connectionOpened(connection: LeanConnection): void {
    this.connecting.delete(connection);
    this.starved = null;
    // A socket could be had again: the next one is tried soon (each failure doubles the wait again).
    if (this.limit < this.max) this.backoffMs = FIRST_BACKOFF_MS;
    // Pipelining: requests that waited for the connect may now go behind the first one.
    if (this.depth > 1 && connection.outstanding > 0) this.fill(connection);
    this.openForWaiting();
  }

  retry(exchange: LeanExchange): void {
    exchange.retriable = false;
    this.retries++;
    if (this.destroyed) return exchange.fail(new Error('client closed'));
    // A fresh connection, not a reused one: the point is not to meet a stale socket again.
    if (this.connections.size < this.limit) return this.open().start(exchange);
    this.pushFront(exchange);
  }

  outOfDescriptors(connection: LeanConnection, exchange: LeanExchange | null, err: Error): void {
    if (this.destroyed) return exchange?.fail(err);
    const live = this.connections.size - (this.connections.has(connection) ? 1 : 0);
    this.limit = live;
    this.onGeneratorLimit?.(describeGeneratorLimit(errorCode(err) ?? 'EMFILE', live));
    if (exchange !== null && !exchange.done) this.pushFront(exchange);
    if (live === 0) {
      // Nothing can carry a request now: the waiting ones are given up (dropped), not kept to time out.
      this.starved = err;
      for (let next = this.nextWaiting(); next !== null; next = this.nextWaiting()) next.fail(err);
    }
    this.scheduleRetry();
  }

  /** Close every connection; waiting requests are the client's to settle. */
  destroy(): void {
    this.destroyed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const connection of [...this.connections]) connection.retire();
    this.queue = [];
    this.queueHead = 0;
  }

  /** After the back-off, one more connection may be tried (one at a time: each failure doubles the wait). */
  private scheduleRetry(): void {
    if (this.retryTimer !== null) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(MAX_BACKOFF_MS, this.backoffMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.destroyed) return;
      this.limit = Math.min(this.max, this.connections.size + 1);
      const next = this.canOpen() ? this.nextWaiting() : null;
      if (next !== null) this.open().start(next);
      // Below the asked-for number still: try for one more after the next back-off (if it is needed then).
      if (this.limit < this.max) this.scheduleRetry();
    }, wait);
    this.retryTimer.unref();
  }

  private pushFront(exchange: LeanExchange): void {
    if (this.queueHead > 0) this.queue[--this.queueHead] = exchange;
    else this.queue.unshift(exchange);
  }

  private open(): LeanConnection {
    const connection = new LeanConnection(this.connection, this);
    this.connections.add(connection);
    this.connecting.add(connection);
    return connection;
  }

  /** Pipelining: a response came; fill the connection from the queue as far as it may take them. */
  private pipelinedFree(connection: LeanConnection): void {
    this.fill(connection);
    if (connection.outstanding === 0) {
      if (connection.keepAliveMs !== Infinity) connection.idleSince = this.now();
      this.idle.push(connection);
    } else this.offerSpare(connection);
  }

  /** Gives `connection` waiting requests as long as it can take them (FIFO: stops at one it cannot). */
  private fill(connection: LeanConnection): void {
    for (let next = this.nextWaiting(); next !== null; next = this.nextWaiting()) {
      if (!connection.canPipeline(next, this.depth)) {
        this.pushFront(next);
        break;
      }
      connection.start(next);
    }
    if (connection.outstanding > 0) this.offerSpare(connection);
  }

  private startOn(connection: LeanConnection, exchange: LeanExchange, nowMs: number): void {
    connection.start(exchange, nowMs);
    if (this.depth > 1 && exchange.idempotent) this.offerSpare(connection);
  }

  private offerSpare(connection: LeanConnection): void {
    if (connection.inSpare || connection.outstanding >= this.depth) return;
    connection.inSpare = true;
    this.spare.push(connection);
  }

  /** A pipelined connection that can take `exchange` now, or null (stale entries are dropped). */
  private spareFor(exchange: LeanExchange): LeanConnection | null {
    while (this.spare.length > 0) {
      const connection = this.spare[this.spare.length - 1]!;
      if (connection.canPipeline(exchange, this.depth) && connection.outstanding > 0) {
        if (connection.outstanding + 1 >= this.depth) {
          this.spare.pop();
          connection.inSpare = false;
        }
        return connection;
      }
      this.spare.pop();
      connection.inSpare = false;
    }
    return null;
  }

  private canOpen(): boolean {
    return this.connections.size < this.limit && this.connecting.size < this.maxConnecting;
  }

  /** Opens connections for waiting requests, as far as the limits allow. */
  private openForWaiting(): void {
    while (this.canOpen()) {
      const next = this.nextWaiting();
      if (next === null) return;
      this.open().start(next);
    }
  }

  /** The warmest idle connection its server has not retired by now (Keep-Alive hint), or null. */
  private freeConnection(): LeanConnection | null {
    for (let free = this.idle.pop(); free !== undefined; free = this.idle.pop()) {
      if (free.closed) continue;
      if (free.outstanding > 0) continue; // pipelining: taken from the spare list meanwhile
      if (free.keepAliveMs === Infinity || this.now() - free.idleSince < free.keepAliveMs) return free;
      free.retire();
    }
    return null;
  }

  /** The oldest waiting request still wanted (one that expired while waiting is skipped here). */
  private nextWaiting(): LeanExchange | null {
    const queue = this.queue;
    while (this.queueHead < queue.length) {
      const exchange = queue[this.queueHead]!;
      queue[this.queueHead++] = undefined as unknown as LeanExchange; // let it go
      if (!exchange.done) return this.compacted(exchange);
    }
    return this.compacted(null);
  }

  /** Drops the consumed front of the queue now and then, so the array does not grow for ever. */
  private compacted<T>(result: T): T {
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return result;
  }
}
