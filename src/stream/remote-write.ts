// Series → a Prometheus remote-write 1.0 body: prometheus.WriteRequest (prompb/remote.proto,
// types.proto) as protobuf, snappy block-compressed. Pure.
import snappy from 'snappyjs';
import { ProtoWriter } from './protobuf.js';
import type { NativeHistogram } from './buckets.js';
import type { Series } from './series.js';

export function encodeWriteRequest(series: readonly Series[]): Uint8Array {
  const w = new ProtoWriter();
  for (const s of series) {
    w.message(1, (ts) => {
      // Labels sorted by name, as the receiver expects.
      for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (value === '') continue;
        ts.message(1, (l) => l.string(1, name).string(2, value));
      }
      if ('value' in s) ts.message(2, (sample) => sample.double(1, s.value).uint(2, s.timeMs));
      else ts.message(4, (h) => writeHistogram(h, s.histogram, s.timeMs));
    });
  }
  return w.finish();
}

function writeHistogram(w: ProtoWriter, h: NativeHistogram, timeMs: number): void {
  w.uint(1, h.count); // count_int
  w.double(3, h.sum);
  w.sint(4, h.schema);
  w.double(5, 0); // zero_threshold: latencies are ≥ 1 µs
  w.uint(6, h.zeroCount); // zero_count_int
  for (const span of h.spans) w.message(11, (s) => s.sint(1, span.offset).uint(2, span.length));
  if (h.deltas.length) w.packedSint(12, h.deltas);
  w.uint(15, timeMs);
}

export function compressSnappy(body: Uint8Array): Uint8Array {
  return snappy.compress(body);
}
