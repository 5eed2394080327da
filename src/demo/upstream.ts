// The gateway's view of one upstream service: a keep-alive agent, a circuit breaker, a proxy,
// a JSON getter for GraphQL, and a health probe. Every outcome feeds the breaker.
import { Agent, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { CircuitBreaker, type BreakerOptions } from './circuit-breaker.js';
import { HttpError, sendJson } from './http-json.js';

export const UPSTREAM_TIMEOUT_MS = 5000;

// Hop-by-hop headers describe one connection, not the message: never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = {};
  for (const name in headers) if (!HOP_BY_HOP.has(name)) kept[name] = headers[name];
  return kept;
}

export class Upstream {
  readonly breaker: CircuitBreaker;
  private readonly origin: URL;

  constructor(
    readonly name: string,
    baseUrl: string,
    private readonly agent: Agent,
    breakerOptions: BreakerOptions,
  ) {
    this.origin = new URL(baseUrl);
    this.breaker = new CircuitBreaker(breakerOptions);
  }

  /** Forwards the request as is; 503 at once while the breaker is open, 502 when the upstream fails. */
  proxy(req: IncomingMessage, res: ServerResponse): void {
    if (!this.breaker.allow()) return this.refuse(res);
    const headers = { ...endToEnd(req.headers), host: this.origin.host };
    const upstreamReq = this.send(req.method ?? 'GET', req.url ?? '/', headers);
    upstreamReq.on('response', (upstreamRes) => {
      this.record(upstreamRes.statusCode ?? 502);
      res.writeHead(upstreamRes.statusCode ?? 502, endToEnd(upstreamRes.headers));
      upstreamRes.pipe(res);
    });
    upstreamReq.on('error', () => {
      this.breaker.recordFailure();
      if (!res.headersSent) sendJson(res, 502, { error: `upstream ${this.name} failed` });
      else res.destroy();
    });
    // A client that goes away must not leave the upstream request running.
    res.on('close', () => {
      if (!res.writableFinished) upstreamReq.destroy();
    });
    req.pipe(upstreamReq);
  }

  /** GET `path` and parse the JSON answer; HttpError 503/502 when the upstream is unavailable. */
  async getJson(path: string): Promise<{ status: number; body: unknown }> {
    if (!this.breaker.allow()) throw this.unavailable();
    try {
      const { status, text } = await this.fetchText(path);
      this.record(status);
      return { status, body: JSON.parse(text) as unknown };
    } catch {
      this.breaker.recordFailure();
      throw new HttpError(502, `upstream ${this.name} failed`);
    }
  }

  /** One health probe through the breaker, so a dead service opens it even without traffic. */
  async checkHealth(): Promise<void> {
    await this.getJson('/health').catch(() => undefined);
  }

  private record(status: number): void {
    if (status >= 500) this.breaker.recordFailure();
    else this.breaker.recordSuccess();
  }

  private unavailable(): HttpError {
    return new HttpError(503, `upstream ${this.name} unavailable (circuit open)`, { 'retry-after': '1' });
  }

  private refuse(res: ServerResponse): void {
    const error = this.unavailable();
    sendJson(res, error.status, { error: error.message }, error.headers);
  }

  private send(method: string, path: string, headers: IncomingHttpHeaders) {
    const upstreamReq = request({
      agent: this.agent,
      host: this.origin.hostname,
      port: this.origin.port,
      method,
      path,
      headers,
    });
    upstreamReq.setTimeout(UPSTREAM_TIMEOUT_MS, () => upstreamReq.destroy(new Error('upstream timeout')));
    return upstreamReq;
  }

  private fetchText(path: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const upstreamReq = this.send('GET', path, { host: this.origin.host, accept: 'application/json' });
      upstreamReq.on('response', (upstreamRes) => {
        let text = '';
        upstreamRes.setEncoding('utf8');
        upstreamRes.on('data', (chunk: string) => (text += chunk));
        upstreamRes.on('end', () => resolve({ status: upstreamRes.statusCode ?? 502, text }));
        upstreamRes.on('error', reject);
      });
      upstreamReq.on('error', reject);
      upstreamReq.end();
    });
  }
}
