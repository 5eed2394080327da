// The lean client's connections to one origin: up to `max` keep-alive sockets, opened lazily, one
// request in flight on each, and a FIFO queue of requests waiting for a free one.
//
// A waiting request is bound to no socket: it goes to whichever connection frees up (or is opened)
// first. So a connection that dies takes only the request it was carrying, which had been written and
// so is failed, never silently sent twice; the waiting ones are served by its replacement.
import { LeanConnection, type ConnectionOwner } from './lean-connection.js';
import type { LeanExchange } from './lean-exchange.js';

export class OriginPool implements ConnectionOwner {
  private readonly connections = new Set<LeanConnection>();
  /** free keep-alive connections, most recently used last (warm sockets are reused first) */
  private readonly idle: LeanConnection[] = [];
  private queue: LeanExchange[] = [];
  private queueHead = 0;
  private destroyed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly max: number,
  ) {}

  submit(exchange: LeanExchange): void {
    const free = this.idle.pop();
    if (free !== undefined) return free.start(exchange);
    if (this.connections.size < this.max) return this.open().start(exchange);
    this.queue.push(exchange);
  }

  connectionFree(connection: LeanConnection): void {
    const next = this.nextWaiting();
    if (next !== null) connection.start(next);
    else this.idle.push(connection);
  }

  connectionGone(connection: LeanConnection): void {
    this.connections.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at >= 0) this.idle.splice(at, 1);
    if (this.destroyed) return;
    const next = this.nextWaiting();
    if (next !== null) this.open().start(next);
  }

  /** Close every connection; waiting requests are the client's to settle. */
  destroy(): void {
    this.destroyed = true;
    for (const connection of [...this.connections]) connection.retire();
    this.queue = [];
    this.queueHead = 0;
  }

  private open(): LeanConnection {
    const connection = new LeanConnection(this.host, this.port, this);
    this.connections.add(connection);
    return connection;
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
