// The engine: runs a Plan's phases in order against the target and feeds the Aggregator.
// Open phases follow the pacer's schedule (latency from the intended send time); closed phases run
// `vus` user loops. One scheduler timer serves every arrival that is due, however many.
import { RunError } from '../errors.js';
import type { ClosedPhase, Flow, OpenPhase, PhaseRun, Plan, Vars } from '../types.js';
import { Aggregator, type Interval } from '../metrics/aggregator.js';
import type { Histogram } from '../metrics/histogram.js';
import { createTransport, type TransportName } from './transport.js';
import type { HttpTransport } from './transport-types.js';
import { firstEndpoint, flowPicker, IterationRun, sendStep, type IterationContext, type IterationOwner } from './iteration.js';
import { UserGroup, type UserHost } from './users.js';
import { FailureSamples, type EndpointSample } from './failure-samples.js';
import { FlowTimes, type FlowRecord } from './flow-times.js';
import { phaseSchedule } from './pacer.js';
import { SendTimer } from './send-timer.js';
import { PendingList } from './pending-list.js';
import { httpContext, transportOptions, type HttpFacts } from './http-facts.js';

/** Epoch milliseconds with sub-millisecond resolution, comparable across worker threads. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

export type StopReason = 'interrupted' | 'slo-abort' | 'error';

export interface EngineOptions {
  /** where closed intervals go; default: this engine's own aggregator */
  onInterval?: (interval: Interval<Histogram>) => void;
  /** called once a second after the interval closed; return a reason to stop the run early */
  onSecond?: (second: number) => StopReason | null;
  /** epoch ms at which to begin (shared start of segments and workers); default now */
  startAt?: number;
  /** the clock (epoch ms); injectable for tests */
  now?: () => number;
  /** grace for in-flight requests after a stop, ms */
  stopGraceMs?: number;
  /** the HTTP client; default: the lean client for http:, undici for https: (transport.ts) */
  transport?: TransportName;
}

export interface EngineResult {
  startedAt: number;
  /** the load window: first scheduled arrival to the end of the last phase, or to the stop when stopped early */
  durationMs: number;
  /** after the load window, waiting for the last responses (and the grace after a stop) */
  drainMs: number;
  stopReason?: StopReason;
  /** first error detail per kind, e.g. { connect: 'connection refused at 127.0.0.1:9' } */
  errorDetails: Record<string, string>;
  /** iterations still under way when the end-of-run grace ran out (their remaining steps were not sent) */
  cutIterations: number;
  /** the HTTP layer's own facts: client, protocol per endpoint, retries, redirects */
  http?: HttpFacts;
  /** the phases as they ran (an `iterations` phase ends when they are done) */
  phases?: PhaseRun[];
  /** the first few failures of each check, explained */
  failureSamples?: EndpointSample[];
  /** per flow: iterations and their durations */
  flows?: FlowRecord[];
}

export interface Progress {
  elapsedMs: number;
  totalMs: number;
  phase: number;
  inFlight: number;
}

export class Engine implements IterationOwner, UserHost {
  readonly aggregator: Aggregator;
  private readonly client: HttpTransport;
  private readonly now: () => number;
  private readonly ctx: IterationContext;
  private readonly pickFlow: () => Flow;
  private readonly errorDetails: Record<string, string> = {};
  private readonly flowTimes = new FlowTimes();
  private shared: Vars = {};
  private iterations = 0;
  /** retries during setup, which is not part of the measured load */
  private setupRetries = 0;
  private activeIterations = 0;
  private cutIterations = 0;
  private stopReason: StopReason | undefined;
  /** no new arrivals or iterations: the load is over (normal end) or the run was stopped */
  private stopped = false;
  /** no new steps either: set by stop() and when the end-of-run grace runs out */
  private cutSteps = false;
  private stoppedAt = 0;
  private readonly wakers = new PendingList<() => void>();
  private startedAt = 0;
  private phaseIndex = 0;
  private readonly totalMs: number;
  /** waits for open-model arrivals (precise; setTimeout alone is late by up to a millisecond) */
  readonly sendTimer: SendTimer;

  constructor(
    readonly plan: Plan,
    private readonly options: EngineOptions = {},
  ) {
    this.now = options.now ?? epochNow;
    this.aggregator = new Aggregator(plan.endpoints);
    // Out of file descriptors, the generator carries on with fewer connections: the user is told once.
    const onGeneratorLimit = (detail: string): void => {
      this.errorDetails.generator ??= detail;
    };
    this.client = createTransport(plan.target, transportOptions(plan, connectionsFor(plan), onGeneratorLimit), this.now, options.transport);
    this.pickFlow = flowPicker(plan.flows);
    this.sendTimer = new SendTimer(this.now, () => this.client.inFlight);
    this.totalMs = plan.phases.reduce((sum, p) => sum + p.durationMs, 0);
    this.ctx = {
      client: this.client,
      aggregator: this.aggregator,
      now: this.now,
      stopping: () => this.cutSteps,
      noteError: (kind, detail) => {
        this.errorDetails[kind] ??= detail;
      },
      timers: new PendingList(),
      sends: { reached: 0, unsent: 0 },
      ...httpContext(plan, this.client),
      samples: new FailureSamples(plan.endpoints),
    };
  }

  /**
   * Run `setup:` steps once; their captures become visible to every iteration. Returns them, so a
   * run across worker threads can set up once and hand them to each worker's engine (useShared).
   */
  async setup(): Promise<Vars> {
    const vars: Vars = this.plan.iterationVars(0, {});
    for (const step of this.plan.setup) {
      if (step.kind === 'think') {
        await new Promise((r) => setTimeout(r, step.minMs));
        continue;
      }
      // Every setup step must pass: the load would otherwise run on an empty token.
      const failure = await sendStep(this.ctx, step, vars, this.now());
      if (failure !== null) {
        const name = this.plan.endpoints[step.endpoint] ?? 'setup';
        throw new RunError(`setup step "${name}" failed: ${failure}`);
      }
    }
    // Setup requests are not part of the measured load: start the run's figures from zero.
    this.aggregator.closeInterval(-1);
    this.ctx.samples = new FailureSamples(this.plan.endpoints);
    this.ctx.sends.reached = this.ctx.sends.unsent = 0;
    this.ctx.http.redirects.fill(0);
    this.setupRetries = this.client.stats().retries;
    this.shared = Object.assign(Object.create(null) as Vars, vars);
    return this.shared;
  }

  /** Instead of setup(): the captures of setup steps another engine ran (worker threads). */
  useShared(vars: Vars): void {
    this.shared = Object.assign(Object.create(null) as Vars, vars);
  }

  /** Release the connections of an engine that ran setup() only, never run(). */
  async close(): Promise<void> {
    await this.client.close();
  }

  /** @param at epoch ms to begin at, when only known after construction (a start barrier); default options.startAt, else now */
  async run(at?: number): Promise<EngineResult> {
    const startAt = at ?? this.options.startAt ?? this.now();
    await this.sleepUntil(startAt);
    this.startedAt = startAt;
    const ticker = this.startIntervalTicker();
    let phaseStart = startAt;
    const phases: PhaseRun[] = [];
    for (let i = 0; i < this.plan.phases.length && !this.stopped; i++) {
      this.phaseIndex = i;
      const phase = this.plan.phases[i]!;
      const before = this.iterations;
      let phaseEnd = phaseStart + phase.durationMs;
      if (phase.kind === 'open') await this.runOpen(phase, phaseStart);
      else phaseEnd = await this.runClosed(phase, phaseStart);
      const endMs = this.stopReason ? Math.min(phaseEnd, Math.max(phaseStart, this.stoppedAt)) : phaseEnd;
      const share = phase.kind === 'open' ? 1 / (phase.stride?.count ?? 1) : 1;
      const planned = phase.kind === 'open' ? { rate: phase.rate * share, rampTo: phase.rampTo * share } : { vus: phase.vus, rampTo: phase.rampTo ?? phase.vus };
      phases.push({ name: phase.name ?? `phase ${i + 1}`, kind: phase.kind, startMs: phaseStart - startAt, durationMs: endMs - phaseStart, iterations: this.iterations - before, ...planned });
      phaseStart = phaseEnd;
    }
    this.stopped = true;
    // A phase that ended early (its iterations done) still has its end-of-phase timer armed, maybe for
    // minutes: fire what is pending now, as a stop does, so nothing keeps the process alive after the run.
    for (const wake of this.wakers.takeAll()) wake();
    // The load window ends with the last phase as scheduled (a timer firing late must not stretch it), or
    // at the stop; an `iterations` phase ends when its iterations are done.
    const loadMs = this.stopReason ? Math.min(phaseStart - startAt, Math.max(0, this.stoppedAt - startAt)) : phaseStart - startAt;
    await this.drain();
    ticker.stop();
    const elapsedMs = this.now() - startAt;
    // the seconds that ended, then the last one, cut short
    this.aggregator.advanceTo(startAt + elapsedMs);
    this.emitInterval();
    this.aggregator.rollAt = Number.POSITIVE_INFINITY;
    await this.client.close();
    const { reached, unsent } = this.ctx.sends;
    if (unsent > 0 && reached === 0) {
      // Not one request left the generator: there is nothing to judge (exit 3), and the target is not to blame.
      throw new RunError(`no request could be sent: ${this.errorDetails.generator ?? 'the generator ran out of file descriptors; raise the limit with `ulimit -n`'}`);
    }
    const drainMs = Math.max(0, elapsedMs - loadMs);
    const http = { ...this.ctx.http, retries: this.client.stats().retries - this.setupRetries };
    return { startedAt: startAt, durationMs: loadMs, drainMs, stopReason: this.stopReason, errorDetails: this.errorDetails, cutIterations: this.cutIterations, phases, failureSamples: this.ctx.samples?.list, flows: this.flowTimes.records(), http };
  }

  /** Stop sending; in-flight requests get a short grace, then are aborted. */
  stop(reason: StopReason): void {
    if (this.stopped && this.stopReason) return;
    this.stopReason ??= reason;
    this.stoppedAt = this.now();
    this.stopped = true;
    this.cutSteps = true;
    for (const wake of this.wakers.takeAll()) wake();
  }

  progress(): Progress {
    return {
      elapsedMs: this.startedAt ? Math.max(0, this.now() - this.startedAt) : 0,
      totalMs: this.totalMs,
      phase: this.phaseIndex,
      inFlight: this.client.inFlight,
    };
  }

  private runOpen(phase: OpenPhase, phaseStart: number): Promise<void> {
    const schedule = phaseSchedule(phase);
    const cap = this.plan.http.maxInFlight;
    let j = 0;
    return new Promise((resolve) => {
      const tick = (): void => {
        if (this.stopped) return resolve();
        let now = this.now();
        while (j < schedule.count) {
          const due = phaseStart + schedule.timeMs(j);
          if (due > now) break;
          this.arrive(due, now, cap);
          j++;
          // The next arrival of a batch is sent after this one's work: its lag counts that too.
          if (j < schedule.count) now = this.now();
        }
        if (j < schedule.count) return this.waitForArrival(phaseStart + schedule.timeMs(j), tick);
        const end = phaseStart + phase.durationMs;
        if (now >= end) return resolve();
        this.wait(end - now, tick);
      };
      tick();
    });
  }

  private arrive(dueMs: number, nowMs: number, cap: number): void {
    const flow = this.pickFlow();
    this.aggregator.advanceTo(nowMs);
    if (this.activeIterations >= cap) {
      this.aggregator.drop(firstEndpoint(flow));
      return;
    }
    this.aggregator.recordLag(nowMs - dueMs);
    this.startIteration(flow, dueMs);
  }

  /** Resolves with when the phase ended: as scheduled, or (`iterations`) when they were done. */
  private runClosed(phase: ClosedPhase, phaseStart: number): Promise<number> {
    return new UserGroup(this, phase, phaseStart).run();
  }

  /** Open model: one IterationRun per arrival; the engine itself hears when it ends. */
  private startIteration(flow: Flow, intendedMs: number): void {
    this.beginIteration(new IterationRun(this.ctx, this), flow, intendedMs);
  }

  /** Start `run` on `flow` with the next iteration's variables (shared by open arrivals and users). */
  beginIteration(run: IterationRun, flow: Flow, intendedMs: number): void {
    this.activeIterations++;
    run.flowName = flow.name;
    run.startedMs = intendedMs;
    this.flowTimes.started(flow.name);
    run.start(flow.steps, this.plan.iterationVars(this.iterations++, this.shared), intendedMs);
  }

  iterationDone(run?: IterationRun): void {
    this.activeIterations--;
    this.sendTimer.poke();
    if (run) this.flowTimes.ended(run.flowName, run.completed, run.endedMs - run.startedMs);
  }

  /** Read by closed-model users between iterations. */
  get isStopped(): boolean {
    return this.stopped;
  }

  nextFlow(): Flow {
    return this.pickFlow();
  }

  get clock(): () => number {
    return this.now;
  }

  get thinkTimers(): PendingList<NodeJS.Timeout> {
    return this.ctx.timers;
  }

  get iterationContext(): IterationContext {
    return this.ctx;
  }

  get requestTimeoutMs(): number {
    return this.plan.http.timeoutMs;
  }

  schedule(ms: number, then: () => void): void {
    this.wait(ms, then);
  }

  /**
   * After a normal end, iterations already under way finish their remaining steps (journeys are not cut
   * in half), within `gracefulStop` (default one request timeout + 1 s). After a stop, in-flight requests get a short grace and
   * no new step starts. Then whatever is left is aborted.
   */
  private async drain(): Promise<void> {
    const normalEnd = this.now() + (this.plan.gracefulStopMs ?? this.plan.http.timeoutMs + 1000);
    const deadline = (): number => (this.stopReason ? Math.min(normalEnd, this.stoppedAt + (this.options.stopGraceMs ?? 1500)) : normalEnd);
    const busy = (): boolean => (this.cutSteps ? this.client.inFlight > 0 : this.activeIterations > 0);
    while (busy() && this.now() < deadline()) {
      const wait = Math.min(50, deadline() - this.now());
      // Wakes as soon as the last response is in (the run's duration must not round up to a poll
      // interval); an iteration between steps (thinking) is checked again shortly.
      if (this.client.inFlight > 0) await this.client.idleOrAfter(wait);
      else await new Promise((resolve) => setTimeout(resolve, Math.min(5, wait)));
    }
    this.cutIterations = this.activeIterations;
    this.cutSteps = true;
    for (const t of this.ctx.timers.takeAll()) clearTimeout(t);
    this.client.abortAll();
  }

  /**
   * Seconds close when a response completes past the current one's end (Aggregator.rollAt) or when this
   * ticker finds one ended with nothing recorded since: a late timer never moves a response into
   * another second. onSecond hears each time seconds closed.
   */
  private startIntervalTicker(): { stop(): void } {
    const agg = this.aggregator;
    agg.onRoll = (atMs) => {
      while (agg.rollAt <= atMs) this.emitInterval();
    };
    agg.rollAt = this.startedAt + 1000;
    let heard = 0;
    let timer: NodeJS.Timeout | null = null;
    const schedule = (): void => {
      timer = setTimeout(onTick, Math.max(1, agg.rollAt - this.now()));
    };
    const onTick = (): void => {
      agg.advanceTo(this.now());
      if (this.openSecond > heard) {
        heard = this.openSecond;
        const reason = this.options.onSecond?.(heard - 1) ?? null;
        if (reason) this.stop(reason);
      }
      schedule();
    };
    schedule();
    return {
      stop: () => {
        if (timer) clearTimeout(timer);
      },
    };
  }

  /** the second the aggregator's current interval counts */
  private openSecond = 0;

  private emitInterval(): void {
    const interval = this.aggregator.closeInterval(this.openSecond++);
    this.aggregator.rollAt = this.startedAt + (this.openSecond + 1) * 1000;
    if (this.options.onInterval) this.options.onInterval(interval);
    else this.aggregator.absorb(interval);
  }

  /** Until an arrival is due, with sub-millisecond precision (send-timer.ts); stop() ends it early too. */
  private waitForArrival(dueMs: number, then: () => void): void {
    const wake = this.sendTimer.wait(dueMs, () => {
      this.wakers.remove(entry);
      then();
    });
    // (`then` never runs inside wait(), so `entry` is known by the time it does)
    const entry = this.wakers.add(wake);
  }

  /** A timer that stop() fires early, so no wait outlives a stopped run. */
  private wait(ms: number, then: () => void): void {
    const wake = (): void => {
      clearTimeout(timer);
      this.wakers.remove(entry);
      then();
    };
    const timer = setTimeout(wake, Math.max(0, ms));
    const entry = this.wakers.add(wake);
  }

  private sleepUntil(at: number): Promise<void> {
    return new Promise((resolve) => this.wait(at - this.now(), resolve));
  }
}

/** Closed model: one connection per user; open model: as many as the in-flight cap allows, up to 1024. */
export function connectionsFor(plan: Plan): number {
  if (plan.http.connections !== undefined) return plan.http.connections;
  const maxVus = Math.max(0, ...plan.phases.map((p) => (p.kind === 'closed' ? Math.max(p.vus, p.rampTo ?? 0) : 0)));
  const hasOpen = plan.phases.some((p) => p.kind === 'open');
  return Math.max(1, hasOpen ? Math.max(maxVus, Math.min(plan.http.maxInFlight, 1024)) : maxVus);
}
