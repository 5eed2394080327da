// What the HTTP layer did over a run that is no single request's outcome: which client, which protocol
// each endpoint was answered over, how many requests were retried on a fresh connection, how many
// redirects each endpoint followed. Collected by the iterations and the transport; merged across
// worker threads. Pure. Also: a plan's http options → the transport's options.
import type { Plan } from '../types.js';
import type { HttpClientOptions, HttpTransport } from './transport-types.js';

/** HTTP/2 streams per connection unless http.maxStreams says otherwise (node's http2 server default). */
export const DEFAULT_MAX_STREAMS = 100;

export function transportOptions(plan: Plan, connections: number, onGeneratorLimit: (detail: string) => void): HttpClientOptions {
  const http = plan.http;
  const options: HttpClientOptions = { connections, timeoutMs: http.timeoutMs, onGeneratorLimit, decode: http.compression !== false };
  if (http.insecure) options.insecure = true;
  if (http.maxHeaderSize !== undefined) options.maxHeaderSize = http.maxHeaderSize;
  if (http.tls !== undefined) options.tls = http.tls;
  if (http.version !== undefined) options.version = http.version;
  if (http.pipelining !== undefined) options.pipelining = http.pipelining;
  if (http.version === '2') {
    // Streams multiplexed on a few connections: as many as the users need at maxStreams each, unless set.
    const streams = http.maxStreams ?? DEFAULT_MAX_STREAMS;
    options.maxStreams = streams;
    if (http.connections === undefined) options.connections = Math.max(1, Math.ceil(connections / streams));
  }
  return options;
}

export interface HttpFacts {
  client: 'lean' | 'undici';
  /** requests sent once more on a fresh connection after a reused keep-alive connection was found closed */
  retries: number;
  /** per endpoint index: the protocol its last response came over ('h1', 'h2'; '' for none) */
  protocols: string[];
  /** per endpoint index: redirects followed */
  redirects: number[];
}

export function emptyFacts(client: HttpFacts['client'], endpoints: number): HttpFacts {
  return { client, retries: 0, protocols: new Array<string>(endpoints).fill(''), redirects: new Array<number>(endpoints).fill(0) };
}

export function mergeFacts(parts: readonly HttpFacts[]): HttpFacts | undefined {
  if (parts.length === 0) return undefined;
  const merged = emptyFacts(parts[0]!.client, parts[0]!.protocols.length);
  for (const part of parts) {
    merged.retries += part.retries;
    part.protocols.forEach((p, i) => {
      if (p !== '' && !merged.protocols[i]) merged.protocols[i] = p;
    });
    part.redirects.forEach((n, i) => (merged.redirects[i] = (merged.redirects[i] ?? 0) + n));
  }
  return merged;
}

/** result.json's `http` block: by endpoint name, only endpoints that got a response. */
export interface HttpResult {
  client: 'lean' | 'undici';
  retries: number;
  endpoints: Record<string, { protocol: string; redirects: number }>;
}

export function httpResult(facts: HttpFacts, names: readonly string[], measured?: ReadonlySet<string>): HttpResult {
  const endpoints: HttpResult['endpoints'] = {};
  names.forEach((name, i) => {
    if (measured && !measured.has(name)) return;
    const protocol = facts.protocols[i] ?? '';
    if (protocol === '' && (facts.redirects[i] ?? 0) === 0) return;
    endpoints[name] = { protocol, redirects: facts.redirects[i] ?? 0 };
  });
  return { client: facts.client, retries: facts.retries, endpoints };
}

/** The HTTP part of an iteration context: facts to fill, and the plan's cookie and redirect rules. */
export function httpContext(plan: Plan, client: HttpTransport): { http: HttpFacts; target: string; cookies: 'on' | 'keep' | 'off'; maxRedirects: number } {
  return {
    http: emptyFacts(client.stats().client, plan.endpoints.length),
    target: plan.target.replace(/\/+$/, ''),
    cookies: plan.http.cookies ?? 'on',
    maxRedirects: plan.http.redirects ?? 0,
  };
}
