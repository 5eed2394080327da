// The OpenTelemetry sink: OTLP/HTTP (JSON) through the OpenTelemetry JS SDK's own exporter. Loaded
// lazily by live.ts, only when `--stream otlp=URL` asks for it. Each push collects observable
// instruments that read the latest snapshot and exports them once; results go through the BatchSender.
import { MetricReader, MeterProvider, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ExportResultCode } from '@opentelemetry/core';
import { VERSION } from '../version.js';
import type { LiveSnapshot } from './live-state.js';
import { BatchSender } from './sender.js';
import type { Labels } from './series.js';
import type { Sink } from './sink.js';

export interface OtlpOptions {
  /** scenario, target, segment, extra labels: attributes on every point */
  base: Labels;
  /** full OTLP/HTTP metrics URL, e.g. http://collector:4318/v1/metrics */
  url: string;
  authorization?: string;
  timeoutMs: number;
}

/** Collects on demand only: bench decides when to export. */
class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export const OTLP_METRICS = {
  requests: 'bench.requests',
  errors: 'bench.errors',
  dropped: 'bench.dropped',
  inFlight: 'bench.in_flight',
  scheduledRate: 'bench.scheduled_rate',
  achievedRate: 'bench.achieved_rate',
  intervalLatency: 'bench.interval_latency',
} as const;

export async function otlpSink(options: OtlpOptions): Promise<Sink> {
  const exporter: PushMetricExporter = new OTLPMetricExporter({
    url: options.url,
    headers: options.authorization ? { Authorization: options.authorization } : {},
    timeoutMillis: options.timeoutMs,
  });
  const reader = new OnDemandReader();
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': 'bench', 'service.version': VERSION }), readers: [reader] });
  const meter = provider.getMeter('bench', VERSION);
  let latest: LiveSnapshot | null = null;
  const base = options.base;

  meter.createObservableCounter(OTLP_METRICS.requests, { description: 'completed requests', unit: '{request}' }).addCallback((r) => {
    for (const e of latest?.endpoints ?? []) r.observe(e.requests, { ...base, endpoint: e.name });
  });
  meter.createObservableCounter(OTLP_METRICS.errors, { description: 'failed requests by kind', unit: '{request}' }).addCallback((r) => {
    for (const e of latest?.endpoints ?? []) for (const [kind, n] of Object.entries(e.errors)) r.observe(n, { ...base, endpoint: e.name, kind });
  });
  meter.createObservableCounter(OTLP_METRICS.dropped, { description: 'arrivals not sent (in-flight cap)', unit: '{arrival}' }).addCallback((r) => {
    for (const e of latest?.endpoints ?? []) r.observe(e.dropped, { ...base, endpoint: e.name });
  });
  meter.createObservableGauge(OTLP_METRICS.inFlight, { description: 'requests under way', unit: '{request}' }).addCallback((r) => {
    if (latest) r.observe(latest.inFlight, base);
  });
  meter.createObservableGauge(OTLP_METRICS.scheduledRate, { description: 'arrivals per second the schedule asks for', unit: '{arrival}/s' }).addCallback((r) => {
    if (latest?.scheduledRate !== null && latest?.scheduledRate !== undefined) r.observe(latest.scheduledRate, base);
  });
  meter.createObservableGauge(OTLP_METRICS.achievedRate, { description: 'completed requests per second over the interval', unit: '{request}/s' }).addCallback((r) => {
    if (latest) r.observe(latest.achievedRate, base);
  });
  meter.createObservableGauge(OTLP_METRICS.intervalLatency, { description: 'latency percentiles over the interval', unit: 's' }).addCallback((r) => {
    for (const e of latest?.endpoints ?? []) {
      if (!e.window) continue;
      r.observe(e.window.p50, { ...base, endpoint: e.name, quantile: '0.5' });
      r.observe(e.window.p95, { ...base, endpoint: e.name, quantile: '0.95' });
      r.observe(e.window.p99, { ...base, endpoint: e.name, quantile: '0.99' });
    }
  });

  const sender = new BatchSender(
    async () => {
      const { resourceMetrics } = await reader.collect();
      await new Promise<void>((resolve, reject) =>
        exporter.export(resourceMetrics, (result) => (result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error('export failed')))),
      );
    },
    { maxQueue: 8, timeoutMs: options.timeoutMs },
  );
  return {
    name: 'OTLP',
    push(snap) {
      latest = snap;
      sender.enqueue(new Uint8Array(0));
    },
    async close(graceMs) {
      const report = await sender.close(graceMs);
      void provider.shutdown().catch(() => undefined);
      void exporter.shutdown().catch(() => undefined);
      return report;
    },
  };
}
