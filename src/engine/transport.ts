// Which HTTP client the engine uses, decided in one place: the lean HTTP/1.1 client for plain-http
// targets (measured: less generator CPU per request, bench/RESULTS.md), undici for https (TLS) and
// whenever node's internal llhttp binding is missing. undici itself is imported only when its client
// is used (undici-client.ts).
import { UndiciClient } from './undici-client.js';
import { LeanHttpClient } from './lean-http.js';
import { parserAvailable } from './lean-parser.js';
import type { HttpClientOptions, HttpTransport } from './transport-types.js';

export type TransportName = 'lean' | 'undici';

export function transportFor(target: string): TransportName {
  return new URL(target).protocol === 'http:' && parserAvailable() ? 'lean' : 'undici';
}

export function createTransport(target: string, options: HttpClientOptions, now: () => number, name: TransportName = transportFor(target)): HttpTransport {
  // Asked for lean where it cannot serve (https, no llhttp binding): undici, rather than failing.
  return name === 'lean' && transportFor(target) === 'lean' ? new LeanHttpClient(target, options, now) : new UndiciClient(target, options, now);
}
