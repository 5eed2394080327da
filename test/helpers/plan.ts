// Plans built in code, so engine tests do not depend on the YAML loader.
import type { Failure, Phase, Plan, RequestStep, Vars } from '../../src/types.js';
import { defaultSlos } from '../../src/slo/parse.js';

export function getStep(endpoint: number, path: string, expectStatus?: number): RequestStep {
  return {
    kind: 'request',
    endpoint,
    readBody: false,
    captures: false,
    render: () => ({ method: 'GET', path, headers: {} }),
    verify: (res): Failure | null => {
      if (expectStatus !== undefined) return res.status === expectStatus ? null : { kind: 'status', check: `status ${expectStatus}` };
      return res.status < 400 ? null : { kind: 'status', check: 'status 2xx/3xx' };
    },
  };
}

export function simplePlan(target: string, phases: Phase[], overrides: Partial<Plan> = {}): Plan {
  return {
    name: 'test',
    file: '',
    target,
    http: { timeoutMs: 5000, maxInFlight: 10_000, graphqlPath: '/graphql' },
    phases,
    flows: [{ name: 'default', weight: 1, steps: [getStep(0, '/')] }],
    endpoints: ['GET /'],
    setup: [],
    slo: defaultSlos(),
    sloDefaults: true,
    iterationVars: (_seq: number, shared: Vars) => Object.create(shared) as Vars,
    secrets: [],
    ...overrides,
  };
}

export const open = (rate: number, durationMs: number, rampTo = rate): Phase => ({ kind: 'open', rate, rampTo, durationMs });
export const closed = (vus: number, durationMs: number, thinkMs = 0): Phase => ({ kind: 'closed', vus, durationMs, thinkMinMs: thinkMs, thinkMaxMs: thinkMs });
