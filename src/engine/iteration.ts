// One iteration of a flow: its steps in order, each request timed and recorded. This is the hot path,
// so an iteration is one small object (IterationRun) that is its own outcome receiver: no promise and no
// closure per request. A closed-model user reuses one IterationRun for all its iterations.
import type { Failure, Flow, RequestStep, ResponseView, Step, Vars } from '../types.js';
import type { Aggregator } from '../metrics/aggregator.js';
import { parseRawHeaders, type HttpTransport, type HttpOutcome, type OutcomeReceiver } from './http.js';
import { UNSENT } from './transport-types.js';
import type { FailureSamples } from './failure-samples.js';

export interface IterationContext {
  client: HttpTransport;
  aggregator: Aggregator;
  now: () => number;
  /** true once the load is over: iterations finish the request in flight but start no new step */
  stopping: () => boolean;
  /** remembers the first error detail of each kind, for the one-line messages users see */
  noteError: (kind: string, detail: string) => void;
  /** think timers are tracked so a stop can cancel them */
  timers: Set<NodeJS.Timeout>;
  /**
   * requests that reached the target (an outcome other than 'unsent': an answer, or a fault of the
   * target) and requests the generator could not send (out of file descriptors)
   */
  sends: { reached: number; unsent: number };
  /** the first few failures of each check, explained */
  samples?: FailureSamples;
}

/** Told when an iteration has ended (all steps done, or cut short by a failure or a stop). */
export interface IterationOwner {
  iterationDone(run: IterationRun): void;
}

const NO_STEPS: readonly Step[] = [];
const NO_VARS: Vars = Object.freeze({}) as Vars;

export class IterationRun implements OutcomeReceiver {
  /** true when every step ran and none failed in a way that ends the iteration */
  completed = false;
  /** why the last failed step failed, e.g. "status 200 (got 400)" (setup reports it) */
  lastFailure: string | null = null;
  /** set by a ramp-down whose grace ran out: this iteration starts no new step (reset by start) */
  cut = false;
  /** the flow and start of this iteration (set by the engine, for per-flow iteration figures) */
  flowName = '';
  startedMs = 0;
  private steps: readonly Step[] = NO_STEPS;
  private index = 0;
  private vars: Vars = NO_VARS;
  private intendedMs = 0;
  private sentMs = 0;
  private thinkTimer: NodeJS.Timeout | null = null;
  /** bound once, so a think step schedules no new closure */
  private readonly afterThink = (): void => {
    if (this.thinkTimer) this.ctx.timers.delete(this.thinkTimer);
    this.thinkTimer = null;
    this.index++;
    this.intendedMs = this.ctx.now();
    this.runStep();
  };

  constructor(
    private readonly ctx: IterationContext,
    private readonly owner: IterationOwner,
  ) {}

  /**
   * Run `steps` from the first. `intendedMs` is when the iteration should have started (open model:
   * the arrival's scheduled time), so the first request's latency includes any delay in sending it.
   */
  start(steps: readonly Step[], vars: Vars, intendedMs: number): void {
    this.steps = steps;
    this.vars = vars;
    this.intendedMs = intendedMs;
    this.index = 0;
    this.completed = false;
    this.lastFailure = null;
    this.cut = false;
    this.runStep();
  }

  /** The outcome of the request in flight (called by the HTTP layer). */
  onOutcome(outcome: HttpOutcome): void {
    const endMs = this.ctx.now();
    const step = this.steps[this.index] as RequestStep;
    if (outcome.error === UNSENT) {
      // The generator's own limit (file descriptors), not the target's: a user who was not served,
      // counted as dropped, never as an error or a latency of the target.
      this.ctx.sends.unsent++;
      if (outcome.errorDetail) this.ctx.noteError('generator', outcome.errorDetail);
      this.ctx.aggregator.drop(step.endpoint);
      this.lastFailure = outcome.errorDetail ?? UNSENT;
      return this.finish(false);
    }
    this.ctx.sends.reached++;
    if (outcome.error === 'interrupted') {
      // Cut by a stop of the run: recorded (its latency, the time until the cut, is a lower bound),
      // never discarded, so the report accounts for every request sent.
      this.ctx.aggregator.record(step.endpoint, this.intendedMs, outcome.writtenMs, endMs, outcome.status, 'interrupted', null);
      return this.finish(false);
    }
    const failure = outcome.error === null ? verify(this.ctx, step, outcome, this.vars) : null;
    const error = outcome.error ?? failure?.kind ?? null;
    if (outcome.error !== null && outcome.errorDetail) this.ctx.noteError(outcome.error, outcome.errorDetail);
    // Service time from the write to the socket: the wait for a free connection is latency, not service.
    this.ctx.aggregator.record(step.endpoint, this.intendedMs, outcome.writtenMs, endMs, outcome.status, error, failure);
    if (outcome.error !== null) this.lastFailure = outcome.errorDetail ?? outcome.error;
    else if (failure !== null) this.lastFailure = sampleFailure(this.ctx, step, outcome, failure, this.vars) ?? `${failure.check} (got status ${outcome.status})`;
    // A transport error, or a failed step whose captures later steps need, ends the iteration: the
    // rest would only send garbage (an empty token, a missing id).
    if (outcome.error !== null || (failure !== null && (step.captures || failure.check.startsWith('capture')))) return this.finish(false);
    this.index++;
    // The next step is intended to go now: its latency starts here, not at the iteration's arrival.
    this.intendedMs = endMs;
    this.runStep();
  }

  private runStep(): void {
    const step = this.steps[this.index];
    if (step === undefined) return this.finish(true);
    if (this.index > 0 && (this.cut || this.ctx.stopping())) return this.finish(false);
    if (step.kind === 'think') {
      const pause = step.minMs + Math.random() * (step.maxMs - step.minMs);
      this.thinkTimer = setTimeout(this.afterThink, pause);
      this.ctx.timers.add(this.thinkTimer);
      return;
    }
    this.send(step);
  }

  private send(step: RequestStep): void {
    let spec;
    try {
      spec = step.render(this.vars);
    } catch (err) {
      const now = this.ctx.now();
      this.ctx.noteError('other', `rendering ${describeStep(this.ctx, step)}: ${(err as Error).message}`);
      this.ctx.aggregator.record(step.endpoint, this.intendedMs, NaN, now, 0, 'other', null);
      return this.finish(false);
    }
    this.sentMs = this.ctx.now();
    this.ctx.client.send(spec, step.readBody, this, this.sentMs);
  }

  private finish(completed: boolean): void {
    this.completed = completed;
    this.vars = NO_VARS;
    this.owner.iterationDone(this);
  }
}

/** Send one request step (setup: not the hot path); resolves with why it failed, or null when it passed. */
export function sendStep(ctx: IterationContext, step: RequestStep, vars: Vars, intendedMs: number): Promise<string | null> {
  return new Promise((resolve) =>
    new IterationRun(ctx, { iterationDone: (run) => resolve(run.lastFailure ?? (run.completed ? null : 'stopped')) }).start([step], vars, intendedMs),
  );
}

/** Records why a check failed while it has fewer than its few samples; returns the sentence, if explained. */
function sampleFailure(ctx: IterationContext, step: RequestStep, outcome: HttpOutcome, failure: Failure, vars: Vars): string | null {
  if (!step.explain || !ctx.samples?.wants(step.endpoint, failure.check)) return null;
  try {
    const sample = step.explain(responseView(outcome), vars, failure);
    ctx.samples.add(step.endpoint, sample);
    return `${sample.check}: expected ${sample.expected}, got ${sample.actual} (status ${sample.status})`;
  } catch {
    return null;
  }
}

function verify(ctx: IterationContext, step: RequestStep, outcome: HttpOutcome, vars: Vars): Failure | null {
  try {
    return step.verify(responseView(outcome), vars);
  } catch (err) {
    ctx.noteError('check', `checking ${describeStep(ctx, step)}: ${(err as Error).message}`);
    return { kind: 'check', check: 'check raised an error' };
  }
}

/** What `verify` sees. Headers are parsed only if a check or capture reads them. */
class LazyResponseView implements ResponseView {
  readonly status: number;
  readonly body: string | null;
  private parsed: Record<string, string | string[]> | null = null;

  constructor(private readonly outcome: HttpOutcome) {
    this.status = outcome.status;
    this.body = outcome.body;
  }

  get headers(): Record<string, string | string[]> {
    return (this.parsed ??= parseRawHeaders(this.outcome.rawHeaders));
  }
}

function responseView(outcome: HttpOutcome): ResponseView {
  return new LazyResponseView(outcome);
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
