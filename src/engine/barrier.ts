// The start barrier: every participant reports ready (its plan loaded, its engine built, nothing
// sent), and only then is one start time chosen and announced to all. Nobody's start-up is charged
// to the target: a participant that is late to load never has arrivals to catch up on.
//
// In one process the participants are the worker threads and the main thread's setup steps, and the
// two messages travel over worker ports. The messages are plain data, so a coordinator across machines
// can carry the same `ready`/`start` over the network.
import type { Vars } from '../types.js';

/** participant → coordinator: loaded and waiting for the start */
export interface ReadyMessage {
  type: 'ready';
}

/** coordinator → participant: begin the schedule at `startAt` (epoch ms), with setup's captures */
export interface StartMessage {
  type: 'start';
  startAt: number;
  shared: Vars;
}

/** How far ahead of the last `ready` the start is set: time for the message to reach every participant. */
export const START_LEAD_MS = 50;

export interface BarrierOptions {
  /** names of those who must report ready, as an error names them (e.g. "worker 2 of 3") */
  participants: readonly string[];
  /** a fixed start (--start-at): the barrier only checks that everyone is ready by then */
  startAt?: number;
  leadMs?: number;
  /** epoch ms */
  now: () => number;
}

/** Not every participant was ready by the fixed start. */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
  constructor(
    readonly startAt: number,
    readonly missing: readonly string[],
  ) {
    super(`not ready by the start at ${new Date(startAt).toISOString()}: ${missing.join(', ')}`);
  }
}

export class StartBarrier {
  /** the chosen start (epoch ms); rejects with NotReadyError or a participant's failure */
  readonly start: Promise<number>;
  private readonly waiting: Set<string>;
  private resolve!: (startAt: number) => void;
  private reject!: (err: Error) => void;
  private settled = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BarrierOptions) {
    this.waiting = new Set(options.participants);
    this.start = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const fixed = options.startAt;
    if (fixed !== undefined) this.timer = setTimeout(() => this.expire(fixed), Math.max(0, fixed - options.now()));
    if (this.waiting.size === 0) this.release();
  }

  /** `participant` is loaded and waiting; the last one releases the start. */
  ready(participant: string): void {
    if (!this.waiting.has(participant)) {
      if (this.options.participants.includes(participant)) return;
      throw new Error(`start barrier: unknown participant "${participant}"`);
    }
    this.waiting.delete(participant);
    if (this.waiting.size === 0) this.release();
  }

  /** A participant failed before the start: nobody starts. */
  fail(err: Error): void {
    this.settle(() => this.reject(err));
  }

  /** The run was stopped before it started: release at once, ready or not (there is nothing to send). */
  abort(): void {
    this.settle(() => this.resolve(this.options.now()));
  }

  /** Who has not reported ready yet. */
  get pending(): string[] {
    return [...this.waiting];
  }

  private release(): void {
    const { startAt, now, leadMs = START_LEAD_MS } = this.options;
    this.settle(() => this.resolve(startAt ?? now() + leadMs));
  }

  private expire(startAt: number): void {
    if (this.waiting.size > 0) this.settle(() => this.reject(new NotReadyError(startAt, this.pending)));
  }

  private settle(action: () => void): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer) clearTimeout(this.timer);
    action();
  }
}
