// Node's own HTTP/1.1 response parser (llhttp, native), the one node:http uses. It is an internal
// module: when a Node version lacks it, `parserAvailable()` is false and the engine uses undici.
import { createRequire } from 'node:module';

/** The slice of node's internal HTTPParser the lean client uses. */
export interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void;
  /** bytes parsed, or an Error with `code` (HPE_…) and `reason` */
  execute(chunk: Buffer): number | ParseFailure;
  /** the end of the stream: completes a read-until-close body, or an Error for a cut message */
  finish(): number | ParseFailure | undefined;
  close(): void;
  /** read straight from a stream handle; results come to the kOnExecute callback */
  consume(handle: object): void;
  [callback: number]: ((...args: never[]) => unknown) | undefined;
}

export interface ParseFailure extends Error {
  code?: string;
  reason?: string;
}

export interface ParserModule {
  new (): NativeParser;
  RESPONSE: number;
  kOnMessageBegin: number;
  kOnHeaders: number;
  kOnHeadersComplete: number;
  kOnBody: number;
  kOnMessageComplete: number;
  kOnExecute: number;
}

function loadParser(): ParserModule | null {
  try {
    const parser = (createRequire(import.meta.url)('_http_common') as { HTTPParser?: ParserModule }).HTTPParser;
    return typeof parser === 'function' && typeof parser.RESPONSE === 'number' ? parser : null;
  } catch {
    return null;
  }
}

export const HTTPParser: ParserModule | null = loadParser();

export function parserAvailable(): boolean {
  return HTTPParser !== null;
}

/** Parsers are native objects freed only by close(); reused across connections, as node:http does. */
const spare: NativeParser[] = [];
const MAX_SPARE = 256;

/** `maxHeaderSize`: the response head's limit in bytes (0: node's default, 16 KB). */
export function allocParser(maxHeaderSize = 0): NativeParser {
  const parser = spare.pop() ?? new HTTPParser!();
  // 0: strict, no leniency.
  parser.initialize(HTTPParser!.RESPONSE, {}, maxHeaderSize, 0);
  return parser;
}

/** Never call from inside a parser callback: the parser may still be executing. */
export function releaseParser(parser: NativeParser): void {
  const m = HTTPParser!;
  parser[m.kOnMessageBegin] = parser[m.kOnExecute] = parser[m.kOnHeaders] = parser[m.kOnHeadersComplete] = parser[m.kOnBody] = parser[m.kOnMessageComplete] = undefined;
  if (spare.length < MAX_SPARE) spare.push(parser);
  else parser.close();
}
