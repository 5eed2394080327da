// The Prometheus remote-write sink: snapshot → series → protobuf + snappy → POST, via the BatchSender.
import { VERSION } from '../version.js';
import type { LiveSnapshot } from './live-state.js';
import { compressSnappy, encodeWriteRequest } from './remote-write.js';
import { BatchSender, type SenderReport } from './sender.js';
import { toSeries, type SeriesOptions } from './series.js';
import type { Sink } from './sink.js';

export interface PrometheusOptions extends SeriesOptions {
  url: string;
  /** Authorization header value, from the environment; never logged */
  authorization?: string;
  timeoutMs: number;
}

export function prometheusSink(options: PrometheusOptions): Sink {
  const headers: Record<string, string> = {
    'content-type': 'application/x-protobuf',
    'content-encoding': 'snappy',
    'x-prometheus-remote-write-version': '0.1.0',
    'user-agent': `bench/${VERSION}`,
  };
  if (options.authorization) headers.authorization = options.authorization;
  const sender = new BatchSender(
    async (body, signal) => {
      const res = await fetch(options.url, { method: 'POST', headers, body: Buffer.from(body), signal });
      // Drain the body so the connection is reused; the text is not shown (it may echo our request).
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    },
    { maxQueue: 8, timeoutMs: options.timeoutMs },
  );
  let lastTimeMs = 0;
  return {
    name: 'prometheus remote write',
    push(snap: LiveSnapshot): void {
      // Remote write refuses a sample not newer than the last of its series.
      const timeMs = Math.max(Math.round(snap.timeMs), lastTimeMs + 1);
      lastTimeMs = timeMs;
      sender.enqueue(compressSnappy(encodeWriteRequest(toSeries({ ...snap, timeMs }, options))));
    },
    close: (graceMs: number): Promise<SenderReport> => sender.close(graceMs),
  };
}
