// The exchange core both wire codecs share (undici-client.ts, lean-*.ts): one request from send to
// outcome — the body kept up to a cap and joined once, decoded (content-encoding) only when a check or
// capture reads it, the failure classified, the outcome settled exactly once and handed to its receiver
// — so both clients keep, join, fail and settle alike. A codec subclasses it and feeds it the response
// (onHead, onBody, complete) or a failure (fail).
//
// The exchange is the outcome (the receiver is handed this object), so no outcome object is built per
// request; after the receiver returns, the response's buffers are let go.
import type { ErrorKind } from '../types.js';
import { classifyError, describeError, isGeneratorLimit } from './classify.js';
import type { Linked } from './in-flight.js';
import { decodeBody } from './decode.js';
import { InterruptedError, MAX_KEPT_BODY_BYTES, UNSENT, type HttpOutcome, type OutcomeReceiver } from './transport-types.js';

/** The client an exchange belongs to. */
export interface ExchangeOwner {
  /** the exchange settled: take it off the in-flight list */
  settled(exchange: ExchangeCore): void;
  /** the client's clock */
  clock(): number;
  /** the generator ran out of file descriptors (this exchange is 'unsent') */
  outOfDescriptors?(err: Error): void;
}

/** Error codes that say the client itself cut the request (closing its pool at the end of the run). */
const OURS = new Set(['UND_ERR_DESTROYED', 'BENCH_INTERRUPTED']);

export abstract class ExchangeCore implements HttpOutcome, Linked<ExchangeCore> {
  status = 0;
  rawHeaders: ReadonlyArray<Buffer | string> | null = null;
  body: string | null = null;
  error: ErrorKind | typeof UNSENT | null = null;
  errorDetail: string | null = null;
  writtenMs = NaN;
  /** the protocol that carried the response ('h1', 'h2'), '' before a response */
  protocol = '';
  /** the response's content-encoding when its body was kept undecoded (http.compression off), else null */
  encoding: string | null = null;
  done = false;
  /** true once the first byte of the response arrived: a connection lost after it cut the response short */
  responseStarted = false;
  prev: ExchangeCore | null = null;
  next: ExchangeCore | null = null;
  private chunks: Buffer[] | null;
  private keptBytes = 0;

  constructor(
    readonly deadline: number,
    readBody: boolean,
    private readonly receiver: OutcomeReceiver,
    protected readonly owner: ExchangeOwner,
    /** decode gzip/br/deflate bodies (http.compression on: accept-encoding was sent) */
    private readonly decode: boolean,
  ) {
    this.chunks = readBody ? [] : null;
  }

  /** The request went out on a connected socket: its service time starts now. */
  markWritten(nowMs = Number.NaN): void {
    this.writtenMs = nowMs === nowMs ? nowMs : this.owner.clock();
  }

  onHead(status: number, rawHeaders: ReadonlyArray<Buffer | string>): void {
    this.status = status;
    this.rawHeaders = rawHeaders;
  }

  /** true while the body is kept (a check or capture reads it, and it is within the cap) */
  get keepsBody(): boolean {
    return this.chunks !== null;
  }

  /** Bodies are always consumed; kept only when a check or capture reads them, and only up to a cap. */
  onBody(chunk: Buffer): void {
    const chunks = this.chunks;
    if (chunks === null) return;
    this.keptBytes += chunk.length;
    if (this.keptBytes > MAX_KEPT_BODY_BYTES) this.chunks = null;
    else chunks.push(chunk);
  }

  complete(): void {
    const chunks = this.chunks;
    if (chunks !== null) {
      // One chunk (the usual case) needs no copy; several are joined once.
      const bytes = chunks.length === 1 ? chunks[0]! : chunks.length === 0 ? null : Buffer.concat(chunks);
      const decoded = decodeBody(bytes, this.rawHeaders, this.decode);
      this.body = decoded.body;
      this.encoding = decoded.encoding;
    }
    this.settle();
  }

  fail(err: Error): void {
    if (this.done) return;
    const context = { responseStarted: this.responseStarted };
    const code = (err as { code?: string }).code;
    this.body = null;
    this.error = err instanceof InterruptedError || (code !== undefined && OURS.has(code)) ? 'interrupted' : isGeneratorLimit(err) ? UNSENT : classifyError(err, context);
    if (this.error === UNSENT) this.owner.outOfDescriptors?.(err);
    this.errorDetail = describeError(err, context);
    this.settle();
  }

  private settle(): void {
    if (this.done) return;
    this.done = true;
    this.chunks = null;
    this.settling();
    this.owner.settled(this);
    this.receiver.onOutcome(this);
    // The receiver has read what it needs; let the response's buffers go with the next scavenge.
    this.rawHeaders = null;
    this.body = null;
  }

  /** A codec's own clean-up as the exchange settles (before the receiver hears of it). */
  protected settling(): void {}
}
