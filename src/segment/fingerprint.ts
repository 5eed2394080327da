// A plan's fingerprint: what every segment of one split run must agree on, as one hash. Pure.
//
// It covers the resolved load (phases after --rate/--vus/--duration/--max-rate, before the split), the
// flows (names, weights, steps as data), the endpoints' tags (--tag), the SLOs, the HTTP options, the target, the scenario file's
// bytes and the segment count N. Segments run with a different --rate, a different file or a different N
// get a different fingerprint, and `bench merge` refuses to add them. Secrets never leave as such: only
// the hash does.
import { createHash } from 'node:crypto';
import type { Plan } from '../types.js';

/** `plan`: before segmentPlan; `scenarioText`: the file's bytes; `count`: N of --segment i/N (1 if not split). */
export function planFingerprint(plan: Plan, scenarioText: string | Buffer, count: number): string {
  const scenarioHash = createHash('sha256').update(scenarioText).digest('hex');
  const identity = {
    scenarioHash,
    count,
    target: plan.target,
    phases: plan.phases,
    flows: plan.flows,
    endpoints: plan.endpoints,
    setup: plan.setup,
    slo: plan.slo,
    http: plan.http,
    maxRate: plan.maxRate ?? null,
    // --tag changes what tagged SLOs judge: segments must agree on it (absent when no step is tagged)
    ...(plan.endpointTags ? { endpointTags: plan.endpointTags } : {}),
  };
  // Functions (a step's render/verify) are not data: JSON drops them, their source is in the scenario hash.
  return createHash('sha256').update(JSON.stringify(identity, (_key, value: unknown) => (typeof value === 'function' ? undefined : value))).digest('hex').slice(0, 32);
}
