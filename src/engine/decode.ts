// A kept response body → text, decoded from its content-encoding (gzip, br, deflate) when the client
// asked for compression. Runs only for bodies a check or capture reads: the hot path never gets here.
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

export interface DecodedBody {
  body: string;
  /** the content-encoding left undecoded (compression off, unknown coding, or corrupt data), else null */
  encoding: string | null;
}

/** The content-encoding of a response (lower-cased), or null for none / identity. */
export function contentEncoding(raw: ReadonlyArray<Buffer | string> | null): string | null {
  if (raw === null) return null;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 16) continue;
    if (text(name).toLowerCase() !== 'content-encoding') continue;
    const value = text(raw[i + 1]!).trim().toLowerCase();
    return value === '' || value === 'identity' ? null : value;
  }
  return null;
}

export function decodeBody(bytes: Buffer | null, raw: ReadonlyArray<Buffer | string> | null, decode: boolean): DecodedBody {
  if (bytes === null || bytes.length === 0) return { body: '', encoding: null };
  const encoding = contentEncoding(raw);
  if (encoding === null) return { body: bytes.toString('utf8'), encoding: null };
  if (!decode) return { body: bytes.toString('utf8'), encoding };
  try {
    let data = bytes;
    // Codings apply in order; they are undone in reverse ("gzip, br" was gzipped, then brotli'd).
    for (const coding of encoding.split(',').map((c) => c.trim()).reverse()) data = undo(coding, data);
    return { body: data.toString('utf8'), encoding: null };
  } catch {
    return { body: bytes.toString('utf8'), encoding };
  }
}

function undo(coding: string, data: Buffer): Buffer {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(data);
    case 'br':
      return brotliDecompressSync(data);
    case 'deflate':
      // "deflate" is zlib-wrapped by the RFC; some servers send it raw.
      try {
        return inflateSync(data);
      } catch {
        return inflateRawSync(data);
      }
    case 'identity':
    case '':
      return data;
    default:
      throw new Error(`unsupported content-encoding ${coding}`);
  }
}

function text(part: Buffer | string): string {
  return typeof part === 'string' ? part : part.toString('latin1');
}
