// One request of the lean HTTP/1.1 codec: the exchange core (exchange.ts) plus what the lean wire needs
// — the serialised request, the connection carrying it, and whether it may be retried once on a fresh
// connection when a reused keep-alive connection turns out to have been closed by the server.
import { ExchangeCore, type ExchangeOwner } from './exchange.js';
import type { OutcomeReceiver } from './transport-types.js';

export type { ExchangeOwner };

/** What an exchange knows of the connection carrying it: enough to give up on it. */
export interface Carrier {
  abandon(exchange: LeanExchange): void;
}

export class LeanExchange extends ExchangeCore {
  /** the serialised request; kept until the exchange settles (a retry writes it again) */
  request: string | Buffer = '';
  /** the connection carrying it, while it does */
  carrier: Carrier | null = null;
  /** an idempotent request not yet retried: it may go once more on a fresh connection */
  retriable: boolean;
  /** GET, HEAD, PUT, DELETE, OPTIONS, TRACE: may be retried, and pipelined */
  readonly idempotent: boolean;
  declare prev: LeanExchange | null;
  declare next: LeanExchange | null;

  constructor(
    deadline: number,
    readBody: boolean,
    readonly isHead: boolean,
    idempotent: boolean,
    receiver: OutcomeReceiver,
    owner: ExchangeOwner,
    decode: boolean,
  ) {
    super(deadline, readBody, receiver, owner, decode);
    this.retriable = idempotent;
    this.idempotent = idempotent;
    this.protocol = 'h1';
  }

  /** Give up on the exchange (deadline, stop): its connection, if any, is destroyed, then it fails with `reason`. */
  giveUp(reason: Error): void {
    if (this.done) return;
    const carrier = this.carrier;
    this.carrier = null;
    carrier?.abandon(this);
    this.fail(reason);
  }

  protected override settling(): void {
    this.request = '';
  }
}
