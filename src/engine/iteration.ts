// One iteration of a flow: its steps in order, each request timed and recorded. Callback-driven
// (no promise or closure per request beyond the undici handler), because this is the hot path.
import type { Failure, Flow, RequestStep, ResponseView, Step, Vars } from '../types.js';
import type { Aggregator } from '../metrics/aggregator.js';
import { parseRawHeaders, type HttpClient, type HttpOutcome } from './http.js';

export interface IterationContext {
  client: HttpClient;
  aggregator: Aggregator;
  now: () => number;
  /** true once the load is over: iterations finish the request in flight but start no new step */
  stopping: () => boolean;
  /** remembers the first error detail of each kind, for the one-line messages users see */
  noteError: (kind: string, detail: string) => void;
  /** think timers are tracked so a stop can cancel them */
  timers: Set<NodeJS.Timeout>;
}

/**
 * Run `flow` from its first step. `intendedMs` is when the iteration should have started (open model:
 * the arrival's scheduled time), so the first request's latency includes any delay in sending it.
 */
export function runIteration(ctx: IterationContext, flow: Flow, vars: Vars, intendedMs: number, done: () => void): void {
  runStep(ctx, flow.steps, 0, vars, intendedMs, done);
}

function runStep(ctx: IterationContext, steps: readonly Step[], index: number, vars: Vars, intendedMs: number, done: () => void): void {
  const step = steps[index];
  if (step === undefined || (index > 0 && ctx.stopping())) return done();
  if (step.kind === 'think') {
    const pause = step.minMs + Math.random() * (step.maxMs - step.minMs);
    const timer = setTimeout(() => {
      ctx.timers.delete(timer);
      runStep(ctx, steps, index + 1, vars, ctx.now(), done);
    }, pause);
    ctx.timers.add(timer);
    return;
  }
  sendStep(ctx, step, vars, intendedMs, (ok) => {
    if (!ok) return done();
    runStep(ctx, steps, index + 1, vars, ctx.now(), done);
  });
}

/** Send one request step, record it, and report whether the iteration may go on. */
export function sendStep(ctx: IterationContext, step: RequestStep, vars: Vars, intendedMs: number, next: (ok: boolean) => void): void {
  let spec;
  try {
    spec = step.render(vars);
  } catch (err) {
    const now = ctx.now();
    ctx.noteError('other', `rendering ${describeStep(ctx, step)}: ${(err as Error).message}`);
    ctx.aggregator.record(step.endpoint, intendedMs, now, now, 0, 'other', null);
    return next(false);
  }
  const sentMs = ctx.now();
  ctx.client.send(spec, step.readBody, (outcome) => {
    const endMs = ctx.now();
    if (outcome.error === 'interrupted') return next(false);
    const failure = outcome.error === null ? verify(ctx, step, outcome, vars) : null;
    const error = outcome.error ?? failure?.kind ?? null;
    if (outcome.error !== null && outcome.errorDetail) ctx.noteError(outcome.error, outcome.errorDetail);
    ctx.aggregator.record(step.endpoint, intendedMs, sentMs, endMs, outcome.status, error, failure);
    // A transport error or a capture that found nothing ends the iteration: later steps would send garbage.
    next(outcome.error === null && !(failure !== null && failure.check.startsWith('capture')));
  });
}

function verify(ctx: IterationContext, step: RequestStep, outcome: HttpOutcome, vars: Vars): Failure | null {
  try {
    return step.verify(responseView(outcome), vars);
  } catch (err) {
    ctx.noteError('check', `checking ${describeStep(ctx, step)}: ${(err as Error).message}`);
    return { kind: 'check', check: 'check raised an error' };
  }
}

/** Headers are parsed only if a check or capture reads them. */
function responseView(outcome: HttpOutcome): ResponseView {
  let headers: Record<string, string | string[]> | null = null;
  return {
    status: outcome.status,
    body: outcome.body,
    get headers() {
      return (headers ??= parseRawHeaders(outcome.rawHeaders));
    },
  };
}

function describeStep(ctx: IterationContext, step: RequestStep): string {
  return ctx.aggregator.endpointNames[step.endpoint] ?? `endpoint ${step.endpoint}`;
}

/** Picks a flow by weight for each new iteration. */
export function flowPicker(flows: readonly Flow[]): () => Flow {
  if (flows.length === 1) {
    const only = flows[0]!;
    return () => only;
  }
  const total = flows.reduce((sum, f) => sum + f.weight, 0);
  const cumulative = flows.map(
    (
      (sum) => (f: Flow) =>
        (sum += f.weight)
    )(0),
  );
  return () => {
    const r = Math.random() * total;
    for (let i = 0; i < flows.length; i++) if (r < cumulative[i]!) return flows[i]!;
    return flows[flows.length - 1]!;
  };
}

/** The endpoint an arrival would have hit first: dropped arrivals are counted there. */
export function firstEndpoint(flow: Flow): number {
  for (const step of flow.steps) if (step.kind === 'request') return step.endpoint;
  return 0;
}
