// The pure parts of src/stream, against independent truths: HdrHistogram's own percentiles, a
// protobuf decoder written here, snappy's decompressor, the pacer's schedule.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import snappy from 'snappyjs';
import { newHistogram } from '../src/metrics/histogram.js';
import { distributionOf, nativeIndex, nativeUpperBound, toClassic, toNative } from '../src/stream/buckets.js';
import { compressSnappy, encodeWriteRequest } from '../src/stream/remote-write.js';
import { BatchSender } from '../src/stream/sender.js';
import { parseStreamFlag, streamConfig } from '../src/stream/config.js';
import { scheduledRate } from '../src/stream/live.js';
import { seriesNames } from '../src/stream/series.js';

/** Rank-q value of a native histogram: the upper bound of the bucket holding that rank. */
function nativeQuantileBucket(h: ReturnType<typeof toNative>, q: number): number {
  const rank = Math.ceil(q * h.count);
  let index = 0;
  let count = 0;
  let seen = 0;
  let k = 0;
  for (const span of h.spans) {
    index += span.offset;
    for (let j = 0; j < span.length; j++, k++) {
      count += h.deltas[k]!;
      seen += count;
      if (seen >= rank) return index;
      index++;
    }
  }
  throw new Error('rank beyond the histogram');
}

describe('HDR → native histogram', () => {
  it('keeps the count and puts every HDR percentile in the native bucket that holds it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60_000_000 }), { minLength: 1, maxLength: 400 }), (values) => {
        const h = newHistogram();
        for (const v of values) h.recordValue(v);
        const native = toNative(distributionOf(h));
        expect(native.deltas.reduce((sum, _, i, all) => sum + all.slice(0, i + 1).reduce((a, b) => a + b, 0), 0)).toBe(values.length);
        for (const q of [0.5, 0.9, 0.95, 0.99]) {
          const hdrValue = h.getValueAtPercentile(q * 100) / 1e6; // HDR's own percentile (highest equivalent)
          expect(nativeQuantileBucket(native, q)).toBe(nativeIndex(hdrValue));
        }
        h.destroy();
      }),
      { numRuns: 150 },
    );
  });

  it('schema 8 buckets are 2^(1/256) apart and the index is the bucket whose upper bound holds the value', () => {
    expect(nativeUpperBound(256) / nativeUpperBound(255)).toBeCloseTo(2 ** (1 / 256), 12);
    for (const v of [0.001, 0.0123, 0.2, 1, 3.7]) {
      const i = nativeIndex(v);
      expect(v).toBeGreaterThan(nativeUpperBound(i - 1));
      expect(v).toBeLessThanOrEqual(nativeUpperBound(i) * (1 + 1e-12));
    }
  });

  it('classic buckets are cumulative and end with +Inf = count', () => {
    const h = newHistogram();
    for (const us of [3000, 7000, 20_000, 20_000, 2_000_000]) h.recordValue(us);
    const rows = toClassic(distributionOf(h));
    expect(rows.find(([le]) => le === 0.005)![1]).toBe(1);
    expect(rows.find(([le]) => le === 0.025)![1]).toBe(4);
    expect(rows.find(([le]) => le === 1)![1]).toBe(4);
    expect(rows.at(-1)).toEqual([Number.POSITIVE_INFINITY, 5]);
    h.destroy();
  });
});

// A protobuf reader independent of the writer: just enough to walk a WriteRequest.
function readFields(buf: Uint8Array): Array<{ field: number; wire: number; value: number | Uint8Array }> {
  const out: Array<{ field: number; wire: number; value: number | Uint8Array }> = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let mult = 1;
    for (;;) {
      const b = buf[at++]!;
      result += (b & 0x7f) * mult;
      if (b < 0x80) return result;
      mult *= 128;
    }
  };
  while (at < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 1) {
      out.push({ field, wire, value: new DataView(buf.buffer, buf.byteOffset + at, 8).getFloat64(0, true) });
      at += 8;
    } else if (wire === 2) {
      const len = varint();
      out.push({ field, wire, value: buf.subarray(at, at + len) });
      at += len;
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}
const text = (v: number | Uint8Array): string => new TextDecoder().decode(v as Uint8Array);

describe('remote write encoding', () => {
  it('a WriteRequest with sorted labels, a float sample and a native histogram decodes back; snappy round-trips', () => {
    const body = encodeWriteRequest([
      { labels: { scenario: 's', __name__: 'bench_requests_total', endpoint: 'GET /a' }, value: 42, timeMs: 1_796_000_000_123 },
      { labels: { __name__: 'bench_request_duration_seconds', endpoint: 'GET /a' }, histogram: { schema: 8, count: 5, sum: 0.5, zeroCount: 0, spans: [{ offset: -1700, length: 2 }, { offset: 3, length: 1 }], deltas: [2, 1, -3] }, timeMs: 1_796_000_000_123 },
    ]);
    expect(snappy.uncompress(compressSnappy(body))).toEqual(body);
    const series = readFields(body).filter((f) => f.field === 1);
    expect(series).toHaveLength(2);
    const first = readFields(series[0]!.value as Uint8Array);
    const labels = first.filter((f) => f.field === 1).map((f) => readFields(f.value as Uint8Array).map((x) => text(x.value)));
    expect(labels).toEqual([['__name__', 'bench_requests_total'], ['endpoint', 'GET /a'], ['scenario', 's']]);
    const sample = readFields(first.find((f) => f.field === 2)!.value as Uint8Array);
    expect(sample).toEqual([{ field: 1, wire: 1, value: 42 }, { field: 2, wire: 0, value: 1_796_000_000_123 }]);
    const hist = readFields(readFields(series[1]!.value as Uint8Array).find((f) => f.field === 4)!.value as Uint8Array);
    const get = (n: number) => hist.filter((f) => f.field === n);
    expect(get(1)[0]!.value).toBe(5); // count_int
    expect(get(4)[0]!.value).toBe(16); // schema 8, zigzag
    const spans = get(11).map((f) => readFields(f.value as Uint8Array).map((x) => x.value));
    expect(spans).toEqual([[3399, 2], [6, 1]]); // offsets zigzag: -1700 → 3399, 3 → 6
    const packed = readFields(Uint8Array.from([0x0a, (get(12)[0]!.value as Uint8Array).length, ...(get(12)[0]!.value as Uint8Array)]));
    const deltas = [...(packed[0]!.value as Uint8Array)]; // single-byte zigzag varints
    expect(deltas).toEqual([4, 2, 5]); // 2, 1, -3
    expect(get(15)[0]!.value).toBe(1_796_000_000_123);
  });
});

describe('the batch sender', () => {
  it('never blocks: a full queue drops its oldest batch; close counts what never arrived', async () => {
    const seen: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sender = new BatchSender(
      async (body) => {
        await gate;
        seen.push(body[0]!);
      },
      { maxQueue: 2, timeoutMs: 10_000 },
    );
    for (let i = 0; i < 6; i++) sender.enqueue(Uint8Array.of(i)); // 0 in flight, 1..5 queue (2 kept)
    release();
    const report = await sender.close(1000);
    expect(seen).toEqual([0, 4, 5]);
    expect(report).toMatchObject({ batches: 6, sent: 3, lost: 3, firstProblem: 'the queue of 2 batches was full' });
  });

  it('a send still hanging at close is lost, and close returns after its grace', async () => {
    const sender = new BatchSender(() => new Promise(() => {}), { maxQueue: 4, timeoutMs: 60_000 });
    sender.enqueue(Uint8Array.of(1));
    sender.enqueue(Uint8Array.of(2));
    const report = await sender.close(50);
    expect(report).toMatchObject({ batches: 2, sent: 0, lost: 2 });
  });
});

describe('stream configuration', () => {
  it('parses KIND=URL and refuses the rest with one line', () => {
    expect(parseStreamFlag('prometheus=http://127.0.0.1:9090/api/v1/write')).toEqual({ kind: 'prometheus', url: 'http://127.0.0.1:9090/api/v1/write' });
    expect(() => parseStreamFlag('influx=http://x')).toThrow(/"influx" is not prometheus=URL or otlp=URL/);
    expect(() => parseStreamFlag('prometheus=nope')).toThrow(/not a URL/);
    expect(() => parseStreamFlag('prometheus=http://u:p@host/w')).toThrow(/credentials in the URL are refused/);
  });

  it('interval defaults to 5 s; credentials come from the environment only', () => {
    const out = [parseStreamFlag('otlp=http://127.0.0.1:4318/v1/metrics')];
    expect(streamConfig(out, undefined, {})).toMatchObject({ intervalMs: 5000, histograms: 'native', labels: {} });
    expect(streamConfig(out, undefined, { BENCH_STREAM_BEARER_TOKEN: 't0k' })!.authorization).toBe('Bearer t0k');
    expect(streamConfig(out, undefined, { BENCH_STREAM_USERNAME: 'u', BENCH_STREAM_PASSWORD: 'p' })!.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(() => streamConfig(out, { interval: '200ms' }, {})).toThrow(/at least 1s/);
    expect(() => streamConfig(out, { labels: { endpoint: 'x' } }, {})).toThrow(/set by bench itself/);
    expect(streamConfig([], undefined, {})).toBeNull();
  });

  it('the scheduled rate follows the phases (ramps linear, a segment its share, closed phases none)', () => {
    const phases = [
      { kind: 'open' as const, durationMs: 10_000, rate: 10, rampTo: 110 },
      { kind: 'closed' as const, durationMs: 5000, vus: 3, thinkMinMs: 0, thinkMaxMs: 0 },
      { kind: 'open' as const, durationMs: 5000, rate: 40, rampTo: 40, stride: { index: 1, count: 4 } },
    ];
    expect(scheduledRate({ phases }, 0)).toBe(10);
    expect(scheduledRate({ phases }, 5000)).toBe(60);
    expect(scheduledRate({ phases }, 12_000)).toBeNull();
    expect(scheduledRate({ phases }, 16_000)).toBe(10);
    expect(scheduledRate({ phases }, 30_000)).toBeNull();
  });

  it('names follow Prometheus conventions: bench_ prefix, counters end in _total, durations in _seconds', () => {
    for (const name of seriesNames()) expect(name).toMatch(/^bench_[a-z_]+$/);
    expect(seriesNames().filter((n) => n.includes('duration') || n.includes('latency') || n.includes('threshold')).every((n) => /_seconds(_bucket|_sum|_count)?$/.test(n))).toBe(true);
  });
});
