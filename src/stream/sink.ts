// A destination for live snapshots (Prometheus remote write, OTLP).
import type { LiveSnapshot } from './live-state.js';
import type { SenderReport } from './sender.js';

export interface Sink {
  /** for the end-of-run line */
  name: string;
  /** must not block: queue and return */
  push(snap: LiveSnapshot): void;
  /** the final flush: waits at most graceMs */
  close(graceMs: number): Promise<SenderReport>;
}
