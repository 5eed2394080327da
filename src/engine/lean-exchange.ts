// One request of the lean client, from send to outcome: the serialised request, the response as it
// arrives, the deadline bookkeeping, and the outcome itself (the receiver is handed this object, so
// no outcome object is built per request).
import type { ErrorKind } from '../types.js';
import { classifyError, describeError, isGeneratorLimit } from './classify.js';
import { InterruptedError, MAX_KEPT_BODY_BYTES, UNSENT, type HttpOutcome, type OutcomeReceiver } from './transport-types.js';

export { MAX_KEPT_BODY_BYTES };

export interface ExchangeOwner {
  settled(exchange: LeanExchange): void;
  /** the client's clock */
  clock(): number;
}

/** What an exchange knows of the connection carrying it: enough to give up on it. */
export interface Carrier {
  abandon(exchange: LeanExchange): void;
}

export class LeanExchange implements HttpOutcome {
  status = 0;
  rawHeaders: ReadonlyArray<Buffer | string> | null = null;
  body: string | null = null;
  error: ErrorKind | typeof UNSENT | null = null;
  errorDetail: string | null = null;
  writtenMs = NaN;
  done = false;
  /** true once the first byte of the response arrived: a connection lost after it cut the response short */
  responseStarted = false;
  /** the serialised request until a connection writes it; '' afterwards */
  request: string | Buffer = '';
  /** the connection carrying it, while it does */
  carrier: Carrier | null = null;
  /** neighbours in the client's in-flight list (send order = deadline order) */
  prev: LeanExchange | null = null;
  next: LeanExchange | null = null;
  private chunks: Buffer[] | null;
  private keptBytes = 0;

  constructor(
    readonly deadline: number,
    readBody: boolean,
    readonly isHead: boolean,
    private readonly receiver: OutcomeReceiver,
    private readonly owner: ExchangeOwner,
  ) {
    this.chunks = readBody ? [] : null;
  }

  /** The request went out on a connected socket: its service time starts now. */
  markWritten(): void {
    this.writtenMs = this.owner.clock();
  }

  onHeaders(status: number, rawHeaders: ReadonlyArray<string>): void {
    this.status = status;
    this.rawHeaders = rawHeaders;
  }

  onBody(chunk: Buffer): void {
    const chunks = this.chunks;
    if (chunks === null) return; // consumed, not kept
    this.keptBytes += chunk.length;
    if (this.keptBytes > MAX_KEPT_BODY_BYTES) this.chunks = null;
    else chunks.push(chunk);
  }

  complete(): void {
    const chunks = this.chunks;
    // One chunk (the usual case) decodes without a copy; several are joined once.
    if (chunks) this.body = chunks.length === 1 ? chunks[0]!.toString('utf8') : chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8');
    this.settle();
  }

  fail(err: Error): void {
    if (this.done) return;
    const context = { responseStarted: this.responseStarted };
    this.body = null;
    this.error = err instanceof InterruptedError ? 'interrupted' : isGeneratorLimit(err) ? UNSENT : classifyError(err, context);
    this.errorDetail = describeError(err, context);
    this.settle();
  }

  /** Give up on the exchange (deadline, stop): its connection, if any, is destroyed, then it fails with `reason`. */
  giveUp(reason: Error): void {
    if (this.done) return;
    const carrier = this.carrier;
    this.carrier = null;
    carrier?.abandon(this);
    this.fail(reason);
  }

  private settle(): void {
    if (this.done) return;
    this.done = true;
    this.chunks = null;
    this.request = '';
    this.owner.settled(this);
    this.receiver.onOutcome(this);
    // The receiver has read what it needs; let the response's buffers go with the next scavenge.
    this.rawHeaders = null;
    this.body = null;
  }
}
