// HdrHistogram's V2 compressed encoding ("HISTFAAA…" base64), written here so that bench loads only
// hdr-histogram-js's JS histogram class: the package's index (and its encoding module) pull in the
// WebAssembly build and pako, +17 MB of RSS before the first request. The bytes are exactly what
// hdr-histogram-js writes (same header, same ZigZag LEB128 counts, node's zlib deflate), so every
// HdrHistogram port reads them; test/hdr-codec.test.ts checks both directions against the package.
import { deflateSync, inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type { JsHistogram } from 'hdr-histogram-js/dist/JsHistogram.js';

type Int32HistogramClass = typeof import('hdr-histogram-js/dist/Int32Histogram.js').default;
// required, not imported: the class is the CJS module's `exports.default`, which an ESM import reaches
// differently under node and under bundlers' interop (vitest)
const Int32Histogram = (createRequire(import.meta.url)('hdr-histogram-js/dist/Int32Histogram.js') as { default: Int32HistogramClass }).default;

export type CodecHistogram = JsHistogram;

const V2_ENCODING_COOKIE_BASE = 0x1c849303;
const V2_COMPRESSED_COOKIE_BASE = 0x1c849304;
/** the low nibble's 0x10: TLZE (ZigZag LEB128) word encoding */
const ENCODING_COOKIE = V2_ENCODING_COOKIE_BASE | 0x10;
const COMPRESSED_COOKIE = V2_COMPRESSED_COOKIE_BASE | 0x10;
const HEADER_BYTES = 40;
const TWO_POW_32 = 2 ** 32;
const cookieBase = (cookie: number): number => (cookie & ~0xf0) >>> 0;

/**
 * hdr-histogram-js's Int32Histogram with the bucket index worked out in integer arithmetic, as the
 * reference HdrHistogram does (`numberOfLeadingZeros`), instead of `Math.log2` and two `Math.pow` per
 * recorded value — the hot path records two or three values per request. Only whole values below 2^32
 * (about 71 minutes in µs) take it; anything else goes the package's way. test/hdr-codec.test.ts holds
 * it to the package's own index for every bucket edge.
 */
class FastIndexHistogram extends Int32Histogram {
  override countsArrayIndex(value: number): number {
    if (value !== value >>> 0) return super.countsArrayIndex(value);
    const self = this as unknown as { unitMagnitude: number; subBucketHalfCountMagnitude: number; subBucketHalfCount: number };
    const unit = self.unitMagnitude;
    const half = self.subBucketHalfCountMagnitude;
    // floor(log2(value)) = 31 - clz32(value) for value ≥ 1; value 0 lands in bucket 0 like 1 does
    const top = 31 - Math.clz32(value);
    const bucket = top - half - unit > 0 ? top - half - unit : 0;
    const sub = value >>> (bucket + unit);
    return ((bucket + 1) << half) + (sub - self.subBucketHalfCount);
  }
}

/** A histogram like hdr.build({ bitBucketSize: 32, lowestDiscernibleValue, highestTrackableValue: 2, digits, autoResize }). */
export function newInt32Histogram(lowestDiscernibleValue: number, highestTrackableValue: number, digits: number): JsHistogram {
  return new FastIndexHistogram(lowestDiscernibleValue, highestTrackableValue, digits);
}

class Writer {
  buf = Buffer.allocUnsafe(256);
  pos = 0;
  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
  int32(v: number): void {
    this.room(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }
  int64(v: number): void {
    this.int32(Math.floor(v / TWO_POW_32));
    this.int32(v % TWO_POW_32);
  }
  /** ZigZag LEB128, up to 9 bytes (HdrHistogram's "LEB128-64b9B"); values stay below 2^53 */
  zigzag(value: number): void {
    let v = value >= 0 ? value * 2 : -value * 2 - 1;
    this.room(9);
    for (let i = 0; i < 8; i++) {
      if (v < 128) {
        this.buf[this.pos++] = v;
        return;
      }
      this.buf[this.pos++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v; // the 9th byte carries 8 bits
  }
}

function readZigzag(buf: Buffer, at: { pos: number }): number {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 9; i++) {
    const b = buf[at.pos++] ?? 0;
    if (i === 8) {
      value += b * scale;
      break;
    }
    value += (b & 0x7f) * scale;
    if ((b & 0x80) === 0) break;
    scale *= 128;
  }
  return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
}

/** The uncompressed V2 encoding: header, then counts with runs of zeros as negative numbers. */
function encodeUncompressed(h: JsHistogram): Buffer {
  const w = new Writer();
  w.int32(ENCODING_COOKIE);
  w.int32(0); // payload length, filled in below
  w.int32(1); // normalizingIndexOffset, as hdr-histogram-js writes it
  w.int32(h.numberOfSignificantValueDigits);
  w.int64(h.lowestDiscernibleValue);
  w.int64(h.highestTrackableValue);
  w.int64(1); // integerToDoubleValueConversionRatio, as hdr-histogram-js writes it
  const limit = h.countsArrayIndex(h.maxValue) + 1;
  let i = 0;
  while (i < limit) {
    const count = h.getCountAtIndex(i++);
    if (count < 0) throw new Error(`cannot encode a histogram with a negative count (${count}) at index ${i - 1}`);
    let zeros = 0;
    if (count === 0) {
      zeros = 1;
      while (i < limit && h.getCountAtIndex(i) === 0) {
        zeros++;
        i++;
      }
    }
    w.zigzag(zeros > 1 ? -zeros : count);
  }
  w.buf.writeUInt32BE(w.pos - HEADER_BYTES, 4);
  return w.buf.subarray(0, w.pos);
}

export function encodeCompressedBase64(h: JsHistogram): string {
  const compressed = deflateSync(encodeUncompressed(h));
  const out = Buffer.allocUnsafe(8 + compressed.length);
  out.writeUInt32BE(COMPRESSED_COOKIE >>> 0, 0);
  out.writeUInt32BE(compressed.length, 4);
  compressed.copy(out, 8);
  return out.toString('base64');
}

export function decodeCompressedBase64(base64: string): JsHistogram {
  const data = Buffer.from(base64.trim(), 'base64');
  if (data.length < 8 || cookieBase(data.readUInt32BE(0)) !== V2_COMPRESSED_COOKIE_BASE) throw new Error('not an HdrHistogram V2 compressed encoding');
  const length = data.readUInt32BE(4);
  const raw = inflateSync(data.subarray(8, 8 + length));
  if (raw.length < HEADER_BYTES || cookieBase(raw.readUInt32BE(0)) !== V2_ENCODING_COOKIE_BASE) throw new Error('the buffer does not contain a V2 HdrHistogram');
  const payload = raw.readUInt32BE(4);
  const digits = raw.readUInt32BE(12);
  const int64 = (at: number): number => raw.readUInt32BE(at) * TWO_POW_32 + raw.readUInt32BE(at + 4);
  const lowest = int64(16);
  const highest = int64(24);
  const h = new Int32Histogram(lowest, highest, digits);
  const at = { pos: HEADER_BYTES };
  const end = Math.min(raw.length, HEADER_BYTES + payload);
  let index = 0;
  while (at.pos < end) {
    const count = readZigzag(raw, at);
    if (count < 0) index -= count;
    else h.setCountAtIndex(index++, count);
  }
  h.establishInternalTackingValues(index);
  return h;
}
