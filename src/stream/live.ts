// Live streams for one run: the Aggregator's observer feeds LiveState; every `interval` a snapshot goes
// to each sink (queued, never awaited by the load); after the run one final flush, and one line per
// sink that lost batches. The shell side of src/stream: timers and lazy loading of exporters.
import type { Execution } from '../engine/execute.js';
import type { Plan } from '../types.js';
import type { StreamConfig } from './config.js';
import { LiveState } from './live-state.js';
import { describeLoss, type SenderReport } from './sender.js';
import type { Labels, SeriesOptions } from './series.js';
import type { Sink } from './sink.js';

export interface StreamContext {
  /** A/B target name, when there is one */
  targetName?: string;
  segment?: { index: number; count: number };
  log: (line: string) => void;
}

export interface LiveStreams {
  /** Start observing; call right after the execution is created (before any interval closes). */
  attach(execution: Execution): void;
  /** Final flush (after the run's last interval); logs lost batches once. */
  finish(): Promise<Array<SenderReport & { name: string }>>;
}

/** How long the final flush may take. */
const FINAL_GRACE_MS = 5000;

export async function openStreams(plan: Plan, config: StreamConfig, ctx: StreamContext): Promise<LiveStreams> {
  const base: Labels = { scenario: plan.name, ...config.labels };
  if (ctx.targetName) base.target = ctx.targetName;
  if (ctx.segment && ctx.segment.count > 1) base.segment = `${ctx.segment.index}/${ctx.segment.count}`;
  const options: SeriesOptions = { base, histograms: config.histograms, sloLines: sloLines(plan) };
  const timeoutMs = Math.max(config.intervalMs, 5000);
  const sinks: Sink[] = [];
  for (const output of config.outputs) {
    if (output.kind === 'prometheus') {
      const { prometheusSink } = await import('./prometheus.js');
      sinks.push(prometheusSink({ ...options, url: output.url, authorization: config.authorization, timeoutMs }));
    } else {
      // The OpenTelemetry SDK is loaded only when asked for (startup memory).
      const { otlpSink } = await import('./otlp.js');
      sinks.push(await otlpSink({ base, url: output.url, authorization: config.authorization, timeoutMs }));
    }
  }
  const state = new LiveState(plan.endpoints, measuredEndpoints(plan), Date.now());
  let execution: Execution | null = null;
  let timer: NodeJS.Timeout | null = null;
  const flush = (): void => {
    if (!execution) return;
    const progress = execution.view.progress();
    const snap = state.snapshot(Date.now(), progress.inFlight, scheduledRate(plan, progress.elapsedMs));
    for (const sink of sinks) sink.push(snap);
  };
  return {
    attach(e) {
      execution = e;
      e.observe((interval) => state.absorb(interval));
      timer = setInterval(flush, config.intervalMs);
      timer.unref();
    },
    async finish() {
      if (timer) clearInterval(timer);
      if (execution) {
        const snap = state.snapshot(Date.now(), 0, null);
        for (const sink of sinks) sink.push(snap);
        execution.observe(null);
      }
      const reports = await Promise.all(sinks.map(async (sink) => ({ name: sink.name, ...(await sink.close(FINAL_GRACE_MS)) })));
      state.destroy();
      for (const r of reports) {
        const line = describeLoss(`${r.name}`, r);
        if (line) ctx.log(line);
      }
      return reports;
    },
  };
}

function measuredEndpoints(plan: Plan): Set<number> {
  return new Set(plan.flows.flatMap((f) => f.steps.flatMap((s) => (s.kind === 'request' ? [s.endpoint] : []))));
}

/** Arrivals/s this generator's schedule asks for at `elapsedMs`; null in a closed phase or after the end. */
export function scheduledRate(plan: Pick<Plan, 'phases'>, elapsedMs: number): number | null {
  let start = 0;
  for (const phase of plan.phases) {
    if (elapsedMs < start + phase.durationMs) {
      if (phase.kind !== 'open') return null;
      const f = phase.durationMs > 0 ? (elapsedMs - start) / phase.durationMs : 0;
      const rate = phase.rate + (phase.rampTo - phase.rate) * f;
      return rate / (phase.stride?.count ?? 1);
    }
    start += phase.durationMs;
  }
  return null;
}

const LATENCY_METRICS = /^(p\d+(\.\d+)?|min|mean|max)$/;

function sloLines(plan: Plan): SeriesOptions['sloLines'] {
  return plan.slo.filter((s) => LATENCY_METRICS.test(s.metric)).map((s) => ({ expr: s.expr, endpoint: s.endpoint, seconds: s.threshold / 1000 }));
}
