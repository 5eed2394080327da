// One iteration of a flow: its steps in order, each request timed and recorded. This is the hot path,
// so an iteration is one small object (IterationRun) that is its own outcome receiver: no promise and no
// closure per request. A closed-model user reuses one IterationRun for all its iterations.
import type { Failure, Flow, RequestStep, ResponseView, Step, Vars } from '../types.js';
import type { Aggregator } from '../metrics/aggregator.js';
import type { HttpFacts } from './http-facts.js';
import { CookieJar, setCookies } from './cookies.js';
import { followRedirect, isRedirect, locationOf } from './redirect.js';
import type { RequestSpec } from '../types.js';
import { parseRawHeaders, UNSENT, type HttpTransport, type HttpOutcome, type OutcomeReceiver } from './transport-types.js';
import type { FailureSamples } from './failure-samples.js';
import type { PendingEntry, PendingList } from './pending-list.js';

export interface IterationContext {
  client: HttpTransport;
  aggregator: Aggregator;
  now: () => number;
  /** true once the load is over: iterations finish the request in flight but start no new step */
  stopping: () => boolean;
  /** remembers the first error detail of each kind, for the one-line messages users see */
  noteError: (kind: string, detail: string) => void;
  /** think timers are tracked so a stop can cancel them */
  timers: PendingList<NodeJS.Timeout>;
  /**
   * requests that reached the target (an outcome other than 'unsent': an answer, or a fault of the
   * target) and requests the generator could not send (out of file descriptors)
   */
  sends: { reached: number; unsent: number };
  /** protocol per endpoint, redirects followed (http-facts.ts) */
  http: HttpFacts;
  /** the target URL (no trailing slash): relative step paths are resolved against it for cookies and redirects */
  target: string;
  /** http.cookies: 'on' (a jar per iteration), 'keep' (per virtual user), 'off' */
  cookies: 'on' | 'keep' | 'off';
  /** http.redirects: how many to follow per request */
  maxRedirects: number;
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
  /** the flow and start of this iteration (set by the engine, for per-flow iteration figures), and its end */
  flowName = '';
  startedMs = 0;
  endedMs = 0;
  private steps: readonly Step[] = NO_STEPS;
  private index = 0;
  private vars: Vars = NO_VARS;
  private intendedMs = 0;
  private sentMs = 0;
  private thinkTimer: PendingEntry<NodeJS.Timeout> | null = null;
  /** this user's cookies: created when a response first sets one */
  private jar: CookieJar | null = null;
  /** the request in flight (kept to follow a redirect), its absolute URL (worked out only when needed), the step's own cookie header */
  private spec: RequestSpec | null = null;
  private absoluteUrl = '';
  private ownCookie: string | undefined;
  /** redirects followed for the request in flight, and the URLs it went through (loop detection) */
  private hops = 0;
  private visited: string[] | null = null;
  /** the first hop's write: the step's service time starts there */
  private firstWrittenMs = NaN;
  /** bound once, so a think step schedules no new closure */
  private readonly afterThink = (): void => {
    if (this.thinkTimer) this.ctx.timers.remove(this.thinkTimer);
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
    // k6's rule: each iteration starts with an empty jar, unless http.cookies: keep.
    if (this.ctx.cookies !== 'keep') this.jar = null;
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
      return this.finish(false, endMs);
    }
    this.ctx.sends.reached++;
    const protocols = this.ctx.http.protocols;
    if (protocols[step.endpoint] !== outcome.protocol && outcome.protocol !== '') protocols[step.endpoint] = outcome.protocol;
    if (outcome.error === null) {
      if (this.ctx.cookies !== 'off') this.keepCookies(outcome);
      if (this.ctx.maxRedirects > 0 && isRedirect(outcome.status) && this.follow(step, outcome)) return;
    }
    // Service time of a redirected step runs from its first write: every hop is part of it.
    const writtenMs = this.hops > 0 ? this.takeFirstWrite(outcome.writtenMs) : outcome.writtenMs;
    if (outcome.error === 'interrupted') {
      // Cut by a stop of the run: recorded (its latency, the time until the cut, is a lower bound),
      // never discarded, so the report accounts for every request sent.
      this.ctx.aggregator.record(step.endpoint, this.intendedMs, outcome.writtenMs, endMs, outcome.status, 'interrupted', null);
      return this.finish(false, endMs);
    }
    const failure = outcome.error === null ? verify(this.ctx, step, outcome, this.vars) : null;
    const error = outcome.error ?? failure?.kind ?? null;
    if (failure !== null && outcome.encoding !== null) {
      this.ctx.noteError('check', `${describeStep(this.ctx, step)}: "${failure.check}" failed on a ${outcome.encoding}-encoded body that was not decoded (http.compression: false)`);
    }
    if (outcome.error !== null && outcome.errorDetail) this.ctx.noteError(outcome.error, outcome.errorDetail);
    // Service time from the write to the socket: the wait for a free connection is latency, not service.
    this.ctx.aggregator.record(step.endpoint, this.intendedMs, writtenMs, endMs, outcome.status, error, failure);
    if (outcome.error !== null) this.lastFailure = outcome.errorDetail ?? outcome.error;
    else if (failure !== null) this.lastFailure = sampleFailure(this.ctx, step, outcome, failure, this.vars) ?? `${failure.check} (got status ${outcome.status})`;
    // A transport error, or a failed step whose captures later steps need, ends the iteration: the
    // rest would only send garbage (an empty token, a missing id).
    if (outcome.error !== null || (failure !== null && (step.captures || failure.check.startsWith('capture')))) return this.finish(false, endMs);
    this.index++;
    // The next step is intended to go now: its latency starts here, not at the iteration's arrival.
    this.intendedMs = endMs;
    this.runStep(endMs);
  }

  /** `nowMs`: the clock as the caller just read it (NaN: not read), so the end of an iteration costs no second read */
  private runStep(nowMs = Number.NaN): void {
    const step = this.steps[this.index];
    if (step === undefined) return this.finish(true, nowMs);
    if (this.index > 0 && (this.cut || this.ctx.stopping())) return this.finish(false, nowMs);
    if (step.kind === 'think') {
      const pause = step.minMs + Math.random() * (step.maxMs - step.minMs);
      this.thinkTimer = this.ctx.timers.add(setTimeout(this.afterThink, pause));
      return;
    }
    this.send(step);
  }

  /** Keep the cookies a response set, for this user's next requests. */
  private keepCookies(outcome: HttpOutcome): void {
    const cookies = setCookies(outcome.rawHeaders);
    if (cookies === null) return;
    (this.jar ??= new CookieJar()).store(this.url, cookies);
  }

  /** The absolute URL of the request in flight (a relative step path resolved against the target). */
  private get url(): string {
    if (this.absoluteUrl === '' && this.spec !== null) {
      const path = this.spec.path;
      this.absoluteUrl = path.charCodeAt(0) === 47 /* '/' */ ? this.ctx.target + path : path;
    }
    return this.absoluteUrl;
  }

  private set url(url: string) {
    this.absoluteUrl = url;
  }

  /**
   * A redirect to follow: send the next hop and return true. False when it is not followed (no usable
   * Location, or the budget spent: the 3xx is the step's response). A loop ends the step as 'redirect'.
   */
  private follow(step: RequestStep, outcome: HttpOutcome): boolean {
    if (this.hops >= this.ctx.maxRedirects) return false;
    const location = locationOf(outcome.rawHeaders);
    const next = location === null || this.spec === null ? null : followRedirect(this.spec, outcome.status, location, this.url);
    if (next === null) return false;
    if (this.hops === 0) this.firstWrittenMs = outcome.writtenMs;
    const visited = (this.visited ??= [this.url]);
    if (visited.includes(next.url)) {
      const endMs = this.ctx.now();
      this.ctx.noteError('redirect', `redirect loop: ${describeStep(this.ctx, step)} came back to a URL it had been redirected from after ${this.hops + 1} redirect${this.hops === 0 ? '' : 's'}`);
      this.ctx.aggregator.record(step.endpoint, this.intendedMs, this.firstWrittenMs, endMs, outcome.status, 'redirect', null);
      this.lastFailure = 'redirect loop';
      this.resetHops();
      this.finish(false);
      return true;
    }
    visited.push(next.url);
    this.hops++;
    this.ctx.http.redirects[step.endpoint] = (this.ctx.http.redirects[step.endpoint] ?? 0) + 1;
    if (new URL(next.url).origin === new URL(this.url).origin && this.ownCookie !== undefined) next.spec.headers.cookie = this.ownCookie;
    this.url = next.url;
    this.dispatch(next.spec, step.readBody);
    return true;
  }

  private takeFirstWrite(lastWrittenMs: number): number {
    const first = this.firstWrittenMs;
    this.resetHops();
    return Number.isNaN(first) ? lastWrittenMs : first;
  }

  private resetHops(): void {
    this.hops = 0;
    this.visited = null;
    this.firstWrittenMs = NaN;
  }

  /** Send `spec` (a step's request, or a redirect hop), with this user's cookies for its URL. */
  private dispatch(spec: RequestSpec, readBody: boolean): void {
    this.spec = spec;
    const jar = this.jar;
    if (jar !== null) {
      const cookies = jar.header(this.url);
      if (cookies !== '') spec.headers.cookie = spec.headers.cookie ? `${spec.headers.cookie}; ${cookies}` : cookies;
    }
    this.sentMs = this.ctx.now();
    this.ctx.client.send(spec, readBody, this, this.sentMs);
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
    // The absolute URL matters only to the jar and to redirects: worked out when they need it.
    this.absoluteUrl = '';
    if (this.ctx.maxRedirects > 0) this.ownCookie = spec.headers.cookie;
    this.dispatch(spec, step.readBody);
  }

  private finish(completed: boolean, nowMs = Number.NaN): void {
    this.completed = completed;
    this.endedMs = nowMs === nowMs ? nowMs : this.ctx.now();
    this.vars = NO_VARS;
    this.spec = null;
    if (this.hops > 0) this.resetHops();
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
