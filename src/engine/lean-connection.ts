// One keep-alive connection of the lean client: a `net` socket, one native llhttp parser reused for
// every response on it, and one request in flight — or, with http.pipelining: N (a benchmark mode), up
// to N idempotent requests written back to back, answered in order. The responses one read completes
// are acted on together, their follow-up requests written in one corked batch.
//
// A keep-alive connection the server has closed while it sat idle is found out only when a request is
// written to it: it ends with no response byte. Such a request — idempotent, on a *reused* connection,
// not yet retried — goes back to the pool for one more try on a fresh connection (as browsers and
// undici do), counted as a retry, never hidden. A server's `Keep-Alive: timeout=N` hint is kept: the
// pool retires a connection idle for longer before it would reuse it.
//
// Completion and failure are acted on only after the parser has returned (never inside one of its
// callbacks): the receiver of an outcome may send the next request at once, and bytes that follow a
// complete response in the same read must not be taken for that next request's response.
import net, { type Socket } from 'node:net';
import { allocParser, HTTPParser, releaseParser, type NativeParser, type ParseFailure } from './lean-parser.js';
import type { Carrier, LeanExchange } from './lean-exchange.js';
import { isGeneratorLimit } from './classify.js';

/** The pool a connection belongs to. */
export interface ConnectionOwner {
  /** the connection finished a response and can carry another request */
  connectionFree(connection: LeanConnection): void;
  /** the connection is closed (or closing) and must not be used again */
  connectionGone(connection: LeanConnection): void;
  /** the socket could not be created: the generator is out of file descriptors; `exchange` was never sent */
  outOfDescriptors(connection: LeanConnection, exchange: LeanExchange | null, err: Error): void;
  /** the socket connected (a request written now goes out at once) */
  connectionOpened(connection: LeanConnection): void;
  /** `exchange` was lost with its reused connection before any response byte: send it once more, fresh */
  retry(exchange: LeanExchange): void;
}

/** The connect did not complete within the connect timeout: a 'connect' error, as undici's is. */
export class ConnectTimeoutError extends Error {
  readonly code = 'UND_ERR_CONNECT_TIMEOUT';
  constructor(
    readonly address: string,
    readonly port: number,
    ms: number,
  ) {
    super(`connect timed out after ${ms} ms at ${address}:${port}`);
  }
}

/** How a connection is set up (per origin). */
export interface ConnectionOptions {
  host: string;
  port: number;
  /** give up a connect after this long (a 'connect' error) */
  connectTimeoutMs: number;
  /** llhttp's response-head limit, bytes (0: node's default, 16 KB) */
  maxHeaderSize: number;
}

/**
 * The connection ended (FIN or close) while a request was outstanding. It carries undici's SocketError
 * code on purpose, so both transports classify and describe it alike: 'reset' before the response
 * began, 'protocol' ("response cut short") after.
 */
export class ConnectionLostError extends Error {
  readonly code = 'UND_ERR_SOCKET';
  constructor(readonly socket: { remoteAddress: string; remotePort: number }) {
    super('the connection closed before the response was complete');
  }
}

/** A response llhttp refused; `code` is llhttp's (HPE_…), which classifies as 'protocol'. */
export class ResponseParseError extends Error {
  readonly code: string;
  constructor(failure: ParseFailure) {
    super(`Response does not match the HTTP/1.1 protocol (${failure.reason ?? failure.message})`);
    this.code = failure.code ?? 'HPE_INTERNAL';
  }
}

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

export class LeanConnection implements Carrier {
  /** true once retired: the pool no longer counts or uses it */
  closed = false;
  /** true once the socket connected: a request written from then on goes out at once */
  private connected = false;
  /** the request written before the connect (buffered by the socket), until it connects */
  private unsent: string | Buffer | null = null;
  private readonly socket: Socket;
  private parser: NativeParser | null;
  private current: LeanExchange | null = null;
  /** pipelined requests written after `current`, oldest first (null until pipelining is used) */
  private behind: LeanExchange[] | null = null;
  /** a response completed during the parser call now returning, and any completed after it (pipelining) */
  private completed: LeanExchange | null = null;
  private moreCompleted: LeanExchange[] | null = null;
  /** true while in the pool's list of pipelined connections with room for another request */
  inSpare = false;
  /** false after `Connection: close`, an upgrade or an unsolicited response */
  private reusable = true;
  /** inside a 1xx interim response, which is skipped */
  private interim = false;
  /** header pairs the parser flushed before the head was complete (very many headers) */
  private flushedHeaders: string[] | null = null;
  /** responses completed on this connection: a request on it after the first is on a reused connection */
  private served = 0;
  /** the server's `Keep-Alive: timeout=N` hint, ms (Infinity: none given) */
  keepAliveMs = Infinity;
  /** clock reading when it last became idle (set by the pool) */
  idleSince = 0;
  private connectTimer: NodeJS.Timeout | null = null;
  private readonly host: string;
  private readonly port: number;

  constructor(
    options: ConnectionOptions,
    private readonly owner: ConnectionOwner,
  ) {
    const { host, port } = options;
    this.host = host;
    this.port = port;
    this.parser = allocParser(options.maxHeaderSize);
    this.bindParser(this.parser);
    this.socket = net.connect({ host, port, noDelay: true });
    const connectMs = options.connectTimeoutMs;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (!this.connected && !this.closed) this.lose(new ConnectTimeoutError(host, port, connectMs));
    }, connectMs);
    this.connectTimer.unref();
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // Once connected, llhttp reads straight from the socket's handle (as node:http's server does):
    // no stream, no 'data' event, no Buffer per read. End and errors still come as socket events.
    this.socket.once('connect', () => this.onConnect());
    this.socket.on('end', () => this.onEnd());
    this.socket.on('error', (err: Error) => this.lose(err));
    this.socket.on('close', () => this.onClose());
  }

  /**
   * Write `exchange`'s request (one write). A socket still connecting buffers it: its service time
   * then starts at the connect, as undici's does (undici writes only on a connected socket).
   */
  start(exchange: LeanExchange, nowMs = Number.NaN): void {
    if (this.current === null) this.becomeCurrent(exchange);
    else {
      if (this.behind === null) this.pipelined();
      this.behind!.push(exchange);
    }
    exchange.carrier = this;
    const request = exchange.request;
    // `nowMs` was read just before this send was serialised (a microsecond or so ago): no second read.
    if (this.connected) exchange.markWritten(nowMs);
    else this.unsent = request;
    this.socket.write(request);
  }

  /** The exchange gave up (deadline, stop): the response may still come, so the connection goes. */
  abandon(exchange: LeanExchange): void {
    if (this.current === exchange) this.current = null;
    else if (this.behind !== null) {
      const at = this.behind.indexOf(exchange);
      if (at >= 0) this.behind.splice(at, 1);
    }
    this.retire();
  }

  /** requests written and not yet answered */
  get outstanding(): number {
    return (this.current === null ? 0 : 1) + (this.behind?.length ?? 0);
  }

  /**
   * May `exchange` be pipelined behind what is outstanding, `depth` deep at most? Only an idempotent
   * request, behind idempotent ones, on a connected socket that has not been told to close.
   */
  canPipeline(exchange: LeanExchange, depth: number): boolean {
    if (this.current === null) return !this.closed;
    return exchange.idempotent && this.current.idempotent && this.connected && this.reusable && !this.closed && this.outstanding < depth;
  }

  /** Close for good; tells the pool at once, so a replacement can open before the close completes. */
  /** still connecting: a request given up now timed out connecting */
  get connecting(): boolean {
    return !this.connected && !this.closed;
  }

  retire(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearConnectTimer();
    this.socket.destroy();
    this.owner.connectionGone(this);
  }

  private clearConnectTimer(): void {
    if (this.connectTimer !== null) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  private onConnect(): void {
    this.clearConnectTimer();
    this.connected = true;
    this.unsent = null;
    this.owner.connectionOpened(this);
    this.current?.markWritten();
    this.consume();
  }

  private consume(): void {
    const handle = (this.socket as unknown as { _handle?: object | null })._handle;
    if (this.closed || this.parser === null || !handle) return;
    this.parser.consume(handle);
  }

  /** llhttp consumed a read from the handle: `parsed` is its execute result. */
  private onExecute(parsed: number | ParseFailure): void {
    if (this.closed) return;
    if (typeof parsed !== 'number') return this.lose(new ResponseParseError(parsed));
    // One request outstanding: any byte read is its response's (pipelined connections mark it at
    // each message's begin instead, see pipelined()).
    if (parsed > 0 && this.current !== null && this.behind === null) this.current.responseStarted = true;
    this.afterParse();
  }

  /**
   * The exchange whose response comes next. The parser hands over body bytes (a copied Buffer and a
   * call into JS per chunk) only while that exchange keeps its body for a check or capture.
   */
  private becomeCurrent(exchange: LeanExchange | null): void {
    this.current = exchange;
    const parser = this.parser;
    if (parser !== null) parser[HTTPParser!.kOnBody] = exchange !== null && exchange.keepsBody ? this.onBodyChunk : undefined;
  }

  private readonly onBodyChunk = (chunk: Buffer): void => this.current?.onBody(chunk);

  /**
   * The first request written behind another: from now on a read may end one response and begin the
   * next, so each response's first byte is noted as its message begins (a call per response, which
   * an unpipelined connection does without).
   */
  private pipelined(): void {
    this.behind = [];
    const parser = this.parser;
    if (parser === null) return;
    parser[HTTPParser!.kOnMessageBegin] = () => {
      if (this.current !== null) this.current.responseStarted = true;
    };
  }

  private bindParser(parser: NativeParser): void {
    const m = HTTPParser!;
    parser[m.kOnMessageBegin] = undefined;
    parser[m.kOnExecute] = (parsed: number | ParseFailure) => this.onExecute(parsed);
    parser[m.kOnHeaders] = (headers: string[]) => {
      this.flushedHeaders = this.flushedHeaders ? this.flushedHeaders.concat(headers) : headers;
    };
    parser[m.kOnHeadersComplete] = (_major: number, _minor: number, headers: string[] | undefined, _method: unknown, _url: unknown, status: number, _text: unknown, upgrade: boolean, keepAlive: boolean) =>
      this.onHead(headers, status, upgrade, keepAlive);
    parser[m.kOnBody] = undefined;
    parser[m.kOnMessageComplete] = () => this.onMessageComplete();
  }

  /** llhttp: the head of a response is complete. Returns 1 to tell it the response has no body (HEAD). */
  private onHead(headers: string[] | undefined, status: number, upgrade: boolean, keepAlive: boolean): number {
    const raw = headers ?? this.flushedHeaders ?? [];
    this.flushedHeaders = null;
    const exchange = this.current;
    if (exchange === null) {
      this.reusable = false; // a response nobody asked for: this connection is out of step
      return 0;
    }
    if (status >= 100 && status < 200 && status !== 101) {
      this.interim = true; // 100 Continue, 103 Early Hints: the real response follows
      return 0;
    }
    exchange.onHead(status, raw);
    if (!keepAlive || upgrade) this.reusable = false;
    else this.keepAliveMs = keepAliveHint(raw, this.keepAliveMs);
    return exchange.isHead ? 1 : 0;
  }

  private onMessageComplete(): void {
    if (this.interim) {
      this.interim = false;
      return;
    }
    const exchange = this.current;
    if (exchange === null) return;
    const behind = this.behind;
    this.becomeCurrent(behind !== null && behind.length > 0 ? behind.shift()! : null);
    exchange.carrier = null;
    if (this.completed === null) this.completed = exchange;
    else (this.moreCompleted ??= []).push(exchange);
  }

  private onData(chunk: Buffer): void {
    const parser = this.parser;
    if (parser === null || this.closed) return;
    if (this.current !== null) this.current.responseStarted = true;
    const parsed = parser.execute(chunk);
    if (typeof parsed !== 'number') return this.lose(new ResponseParseError(parsed));
    this.afterParse();
  }

  /** Act on a response completed by the parser call that just returned. */
  private afterParse(): void {
    const exchange = this.completed;
    if (exchange === null) {
      if (!this.reusable && this.current === null) this.retire();
      return;
    }
    this.completed = null;
    const more = this.moreCompleted;
    if (more === null) {
      this.served++;
      // Free (or replace) the connection before the outcome: the receiver may send again at once.
      if (this.reusable && !this.closed) this.owner.connectionFree(this);
      else if (this.current === null) this.retire();
      exchange.complete();
      return;
    }
    // Several pipelined responses in one read: their follow-up requests go out in one write.
    this.moreCompleted = null;
    this.served += 1 + more.length;
    this.socket.cork();
    for (const done of [exchange, ...more]) {
      if (this.reusable && !this.closed) this.owner.connectionFree(this);
      done.complete();
    }
    this.socket.uncork();
    if (!this.reusable && this.current === null) this.retire();
  }

  /** FIN from the target: it may end a read-until-close body, or cut a response short. */
  private onEnd(): void {
    this.reusable = false;
    const parser = this.parser;
    if (parser !== null && !this.closed && this.current !== null) {
      // An error here only says the message was incomplete at EOF: the connection cut it short.
      if (!(parser.finish() instanceof Error)) this.afterParse();
    }
    this.lose(null);
  }

  /** The connection failed or ended: retire it, then fail the request it carried (if any). */
  private lose(err: Error | null): void {
    const exchange = this.current;
    this.current = null;
    const behind = this.behind;
    this.behind = null;
    if (err !== null && !this.connected && !this.closed && isGeneratorLimit(err)) {
      // No socket, so nothing was sent: the request goes back to the pool, which backs off.
      if (exchange !== null) {
        exchange.carrier = null;
        exchange.request = this.unsent ?? '';
      }
      this.unsent = null;
      this.owner.outOfDescriptors(this, exchange, err);
      return this.retire();
    }
    this.retire();
    // Pipelined requests behind the lost one got no byte of their response: each idempotent one (all
    // of them, by canPipeline) goes once more on a fresh connection, counted as a retry.
    if (behind !== null) {
      for (const follower of behind) {
        follower.carrier = null;
        if (follower.done) continue;
        if (follower.retriable) this.owner.retry(follower);
        else follower.fail(this.lossReason(err, false));
      }
    }
    if (exchange === null) return;
    exchange.carrier = null;
    // Written to a reused connection the server had closed (it never answered a byte): once more, fresh.
    if (this.served > 0 && !exchange.responseStarted && exchange.retriable && !exchange.done && isStaleLoss(err)) return this.owner.retry(exchange);
    exchange.fail(this.lossReason(err, exchange.responseStarted));
  }

  private lossReason(err: Error | null, responseStarted: boolean): Error {
    const where = { remoteAddress: this.host, remotePort: this.port };
    if (err === null) return new ConnectionLostError(where);
    // A reset after the first byte cut the response short: a framing fault of the target, as a FIN would be.
    const code = (err as { code?: string }).code;
    if (responseStarted && code !== undefined && RESET_CODES.has(code)) return new ConnectionLostError(where);
    return err;
  }

  private onClose(): void {
    this.clearConnectTimer();
    this.lose(null);
    // Outside any parser call now ('close' comes on a later tick than the destroy): safe to recycle.
    const parser = this.parser;
    this.parser = null;
    if (parser !== null) releaseParser(parser);
  }
}

/** A loss that says the server closed the connection (FIN, reset, broken pipe), not a local fault. */
function isStaleLoss(err: Error | null): boolean {
  if (err === null) return true;
  const code = (err as { code?: string }).code;
  return code !== undefined && RESET_CODES.has(code);
}

/**
 * The `timeout=N` of a response's Keep-Alive header, ms, as the idle time after which the connection is
 * retired (a second less than the hint, as undici's threshold, but at least half of it); else `prior`.
 */
export function keepAliveHint(raw: ReadonlyArray<string>, prior: number): number {
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    // 'Connection' has 10 letters too: the first letter is checked before anything is allocated.
    if (name.length !== 10 || (name.charCodeAt(0) | 0x20) !== 0x6b /* k */ || name.toLowerCase() !== 'keep-alive') continue;
    const match = /(?:^|[,;\s])timeout\s*=\s*(\d+)/i.exec(raw[i + 1]!);
    if (match === null) return prior;
    const ms = Number(match[1]) * 1000;
    return ms - Math.min(1000, ms / 2);
  }
  return prior;
}
