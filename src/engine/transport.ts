// Which HTTP client the engine uses, decided in one place: the lean HTTP/1.1 client for plain-http
// targets (measured: less generator CPU per request, bench/RESULTS.md), undici for https (TLS) and
// whenever node's internal llhttp binding is missing. undici itself is imported only when its client
// is used (undici-client.ts).
import { UndiciClient } from './undici-client.js';
import { LeanHttpClient } from './lean-http.js';
import { parserAvailable } from './lean-parser.js';
import type { HttpClientOptions, HttpTransport } from './transport-types.js';

export type TransportName = 'lean' | 'undici';

/** HTTP/2 (h2c over http: with version '2') is undici's: the lean client speaks HTTP/1.1 only. */
export function transportFor(target: string, version?: HttpClientOptions['version']): TransportName {
  return new URL(target).protocol === 'http:' && version !== '2' && parserAvailable() ? 'lean' : 'undici';
}

export function createTransport(target: string, options: HttpClientOptions, now: () => number, name: TransportName = transportFor(target, options.version)): HttpTransport {
  // Asked for lean where it cannot serve (https, h2c, no llhttp binding): undici, rather than failing.
  return name === 'lean' && transportFor(target, options.version) === 'lean' ? new LeanHttpClient(target, options, now) : new UndiciClient(target, options, now);
}
