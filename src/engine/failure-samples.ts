// The first few failures of each check, with expected and actual values: what a user debugging a failed
// check needs. Off the hot path: once a check has its samples, a failure costs one map lookup.
import type { FailureSample } from '../types.js';

export const SAMPLES_PER_CHECK = 3;

export interface EndpointSample {
  /** the endpoint's name */
  endpoint: string;
  sample: FailureSample;
}

export class FailureSamples {
  private readonly counts = new Map<string, number>();
  readonly list: EndpointSample[] = [];

  constructor(private readonly endpointNames: readonly string[]) {}

  wants(endpoint: number, check: string): boolean {
    return (this.counts.get(`${endpoint} ${check}`) ?? 0) < SAMPLES_PER_CHECK;
  }

  add(endpoint: number, sample: FailureSample): void {
    const key = `${endpoint} ${sample.check}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.list.push({ endpoint: this.endpointNames[endpoint] ?? `endpoint ${endpoint}`, sample });
  }
}

/** Samples from several engines (worker threads), at most SAMPLES_PER_CHECK per endpoint and check. */
export function mergeSamples(parts: ReadonlyArray<readonly EndpointSample[] | undefined>): EndpointSample[] {
  const counts = new Map<string, number>();
  const out: EndpointSample[] = [];
  for (const part of parts) {
    for (const item of part ?? []) {
      const key = `${item.endpoint} ${item.sample.check}`;
      const n = counts.get(key) ?? 0;
      if (n >= SAMPLES_PER_CHECK) continue;
      counts.set(key, n + 1);
      out.push(item);
    }
  }
  return out;
}

/** `list json $[0].userId: expected 2 (number), got "2" (string)` */
export function describeSample(endpoint: string, s: FailureSample): string {
  return `${endpoint} ${s.check}: expected ${s.expected}, got ${s.actual} (status ${s.status})`;
}
