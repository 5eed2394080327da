// A minimal protobuf writer: the few wire types Prometheus remote write needs (varint, zigzag, double,
// length-delimited). Numbers stay JS numbers: counts and ms timestamps are far below 2^53.

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(n: number): void {
    // Non-negative integers up to 2^53; division instead of bit operators, which stop at 32 bits.
    const out: number[] = [];
    let v = Math.floor(n);
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** uint32/uint64/int64 (non-negative) field */
  uint(field: number, n: number): this {
    if (n < 0 || !Number.isSafeInteger(n)) throw new RangeError(`protobuf: ${n} is not a non-negative safe integer`);
    this.tag(field, 0);
    this.varint(n);
    return this;
  }

  /** sint32/sint64 field (zigzag) */
  sint(field: number, n: number): this {
    this.tag(field, 0);
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
    return this;
  }

  double(field: number, n: number): this {
    this.tag(field, 1);
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, n, true);
    this.push(b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    this.push(data);
    return this;
  }

  string(field: number, text: string): this {
    return this.bytes(field, new TextEncoder().encode(text));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** packed repeated sint64 */
  packedSint(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v >= 0 ? v * 2 : -v * 2 - 1);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
