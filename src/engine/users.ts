// Closed-model users: one phase's group of user loops. A group starts `vus` users, ramps them linearly
// to `rampTo` (ramping virtual users: started and stopped one by one), and with `iterations` ends the
// phase once that many iterations are done (shared among the users, or per user).
import type { ClosedPhase, Flow } from '../types.js';
import { IterationRun, type IterationContext, type IterationOwner } from './iteration.js';
import type { PendingList } from './pending-list.js';

/** What a user loop needs of the engine. */
export interface UserHost {
  readonly isStopped: boolean;
  readonly clock: () => number;
  readonly thinkTimers: PendingList<NodeJS.Timeout>;
  readonly iterationContext: IterationContext;
  /** the default grace of a ramp-down: one request timeout */
  readonly requestTimeoutMs: number;
  nextFlow(): Flow;
  beginIteration(run: IterationRun, flow: Flow, intendedMs: number): void;
  iterationDone(run?: IterationRun): void;
  /** a timer that a stop of the run fires early */
  schedule(ms: number, then: () => void): void;
}

/**
 * When the user count changes, as offsets from the phase start (ms), in order: a ramp from `from` to `to`
 * users over `durationMs` changes by one user each time the linear count crosses a half (so the count is
 * the rounded line: from 2 to 20 over 18 s, user 3 starts at 0.5 s, user 20 at 17.5 s).
 */
export function rampOffsets(from: number, to: number, durationMs: number): number[] {
  const steps = Math.abs(to - from);
  return Array.from({ length: steps }, (_, k) => (durationMs * (k + 0.5)) / steps);
}

export class UserGroup {
  private readonly users: UserLoop[] = [];
  private running = 0;
  private ended = false;
  private resolveEnd: (endMs: number) => void = () => undefined;
  /** shared-iterations budget */
  private sharedLeft: number;
  started = 0;

  constructor(
    private readonly host: UserHost,
    readonly phase: ClosedPhase,
    private readonly startMs: number,
  ) {
    this.sharedLeft = phase.iterations && !phase.iterations.perVu ? phase.iterations.count : Infinity;
  }

  get endMs(): number {
    return this.startMs + this.phase.durationMs;
  }

  /** Runs the phase; resolves with when it ended (as scheduled, or when its iterations were done). */
  run(): Promise<number> {
    const done = new Promise<number>((resolve) => (this.resolveEnd = resolve));
    const { vus, rampTo = vus } = this.phase;
    for (let u = 0; u < vus; u++) this.addUser();
    if (rampTo !== vus) this.ramp(rampOffsets(vus, rampTo, this.phase.durationMs), rampTo > vus);
    // The phase ends on time even if every user is stuck in a slow request.
    this.host.schedule(this.endMs - this.host.clock(), () => this.end(this.endMs));
    if (this.phase.iterations && this.running === 0) this.end(this.host.clock());
    return done;
  }

  /** May this user start another iteration? Takes one from the budget when it may. */
  /** `now`: the host's clock, as the user just read it */
  takeIteration(user: UserLoop, now: number): boolean {
    if (this.ended || this.host.isStopped || now >= this.endMs) return false;
    if (this.sharedLeft <= 0) return false;
    const perVu = this.phase.iterations?.perVu ? this.phase.iterations.count : Infinity;
    if (user.iterations >= perVu) return false;
    this.sharedLeft--;
    this.started++;
    return true;
  }

  /** A user that will start no more iterations. */
  userExited(): void {
    this.running--;
    // An iterations phase is over once every user is done.
    if (this.phase.iterations && this.running <= 0) this.end(Math.min(this.host.clock(), this.endMs));
  }

  private end(at: number): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveEnd(at);
  }

  private addUser(): void {
    const user = new UserLoop(this.host, this);
    this.users.push(user);
    this.running++;
    user.next();
  }

  /** Starts (up) or retires (down) one user at each offset. One timer at a time. */
  private ramp(offsets: number[], up: boolean): void {
    let k = 0;
    const step = (): void => {
      if (this.ended || this.host.isStopped) return;
      const elapsed = this.host.clock() - this.startMs;
      while (k < offsets.length && offsets[k]! <= elapsed) {
        if (up) this.addUser();
        else this.retireOne();
        k++;
      }
      if (k < offsets.length) this.host.schedule(this.startMs + offsets[k]! - this.host.clock(), step);
    };
    this.host.schedule(this.startMs + offsets[0]! - this.host.clock(), step);
  }

  /** The most recently started user still active stops: it finishes its iteration within the grace. */
  private retireOne(): void {
    for (let i = this.users.length - 1; i >= 0; i--) {
      const user = this.users[i]!;
      if (user.retired) continue;
      user.retire(this.phase.gracefulRampDownMs ?? this.host.requestTimeoutMs);
      return;
    }
  }
}

/**
 * One closed-model user: iterations back to back (with think time between), on one reused
 * IterationRun. The next iteration starts from the previous one's completion, with no timer or
 * closure per iteration unless there is think time.
 */
export class UserLoop implements IterationOwner {
  private readonly run: IterationRun;
  /** true while `next` is starting an iteration: a synchronous end must not recurse */
  private starting = false;
  private endedSynchronously = false;
  private inIteration = false;
  private exited = false;
  retired = false;
  iterations = 0;
  private readonly continueBound = (): void => this.afterIteration();

  constructor(
    private readonly host: UserHost,
    private readonly group: UserGroup,
  ) {
    this.run = new IterationRun(host.iterationContext, this);
  }

  next(): void {
    if (this.exited) return;
    const now = this.host.clock();
    if (this.retired || !this.group.takeIteration(this, now)) return this.exit();
    this.starting = true;
    this.endedSynchronously = false;
    this.inIteration = true;
    this.iterations++;
    this.host.beginIteration(this.run, this.host.nextFlow(), now);
    this.starting = false;
    // An iteration that ended inside start() (e.g. a render error) goes on at the next turn of the
    // event loop, so a failing user cannot spin the stack or starve timers.
    if (this.endedSynchronously) setImmediate(this.continueBound);
  }

  /** Stop after this iteration; if it is still going after `graceMs`, it starts no new step. */
  retire(graceMs: number): void {
    this.retired = true;
    if (!this.inIteration) return this.exit();
    this.host.schedule(graceMs, () => {
      if (this.inIteration) this.run.cut = true;
    });
  }

  iterationDone(): void {
    this.inIteration = false;
    this.host.iterationDone(this.run);
    if (this.starting) this.endedSynchronously = true;
    else this.afterIteration();
  }

  private exit(): void {
    if (this.exited) return;
    this.exited = true;
    this.group.userExited();
  }

  private afterIteration(): void {
    if (this.host.isStopped || this.retired) return this.exit();
    const { thinkMinMs, thinkMaxMs } = this.group.phase;
    const think = thinkMinMs + Math.random() * (thinkMaxMs - thinkMinMs);
    if (think <= 0) return this.next();
    const timers = this.host.thinkTimers;
    const entry = timers.add(
      setTimeout(() => {
        timers.remove(entry);
        this.next();
      }, Math.min(think, this.group.endMs - this.host.clock())),
    );
  }
}
