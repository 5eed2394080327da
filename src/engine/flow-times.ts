// Per flow: iterations started and completed, and how long each took from its start (the arrival's
// intended time, or a user's start) to its end, think time included (k6's iteration_duration).
import type { FlowStats } from '../types.js';
import { encodeHistogram, latencyStats, mergeEncoded, newHistogram, recordMs, type Histogram } from '../metrics/histogram.js';

/** What crosses from a worker thread: counts and the encoded histogram. */
export interface FlowRecord {
  name: string;
  iterations: number;
  completed: number;
  histogram: string;
}

export class FlowTimes {
  private readonly byName = new Map<string, { iterations: number; completed: number; hist: Histogram }>();

  private entry(name: string): { iterations: number; completed: number; hist: Histogram } {
    let e = this.byName.get(name);
    if (!e) this.byName.set(name, (e = { iterations: 0, completed: 0, hist: newHistogram() }));
    return e;
  }

  started(name: string): void {
    this.entry(name).iterations++;
  }

  /** A completed iteration's duration is recorded; one cut short counts as started only. */
  ended(name: string, completed: boolean, durationMs: number): void {
    if (!completed) return;
    const e = this.entry(name);
    e.completed++;
    recordMs(e.hist, Math.max(0, durationMs));
  }

  records(): FlowRecord[] {
    return [...this.byName.entries()].map(([name, e]) => ({ name, iterations: e.iterations, completed: e.completed, histogram: encodeHistogram(e.hist) }));
  }
}

/** Records of several engines (workers) → result.json `flows[]`; rates over the load window. */
export function flowStats(parts: ReadonlyArray<readonly FlowRecord[] | undefined>, loadMs: number): FlowStats[] {
  const byName = new Map<string, FlowRecord[]>();
  for (const part of parts) for (const r of part ?? []) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  return [...byName.entries()].map(([name, records]) => {
    const hist = mergeEncoded(records.map((r) => r.histogram));
    const iterations = records.reduce((n, r) => n + r.iterations, 0);
    const completed = records.reduce((n, r) => n + r.completed, 0);
    return { name, iterations, completed, perSecond: loadMs > 0 ? iterations / (loadMs / 1000) : 0, durationMs: latencyStats(hist), histogram: encodeHistogram(hist) };
  });
}
