// Waits for open-model arrivals with sub-millisecond precision. What to do at each moment comes from
// the pure policy (pacer.ts nextWait); this file does it — event-loop timers, precise thread sleeps
// (Atomics.wait), event-loop turns — and keeps the policy's inputs up to date: how much a precise
// sleep overshoots on this machine, and whether spinning is still within its CPU budget.
import { DEFAULT_WAIT_TUNING, nextWait, type WaitTuning } from './pacer.js';

/** Share of wall time the spin may take (per second): 2%, i.e. 20 ms of CPU a second at most. */
const SPIN_BUDGET = 0.02;
const MAX_OVERSHOOT_MS = 0.2;

/** What a SendTimer did: for the benchmark, which reports the CPU cost of precision. */
export interface SendTimerStats {
  timers: number;
  parks: number;
  sleeps: number;
  sleptMs: number;
  spins: number;
  spunMs: number;
}

export class SendTimer {
  private readonly tuning: WaitTuning = { ...DEFAULT_WAIT_TUNING };
  private readonly cell = new Int32Array(new SharedArrayBuffer(4));
  private windowStart = Number.NEGATIVE_INFINITY;
  private windowSpunMs = 0;
  readonly stats: SendTimerStats = { timers: 0, parks: 0, sleeps: 0, sleptMs: 0, spins: 0, spunMs: 0 };
  /** the wait parked until a request completes, if any */
  private parked: (() => void) | null = null;

  constructor(
    /** epoch ms (the engine's clock) */
    private readonly now: () => number,
    private readonly inFlight: () => number,
  ) {}

  /**
   * Call `then` once `dueMs` has come (never synchronously, from inside this call). Returns a function
   * that calls it right away instead (a stop), after which nothing of this wait runs any more.
   */
  wait(dueMs: number, then: () => void): () => void {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    let spinAt = Number.NaN;
    const finish = (): void => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      if (immediate !== undefined) clearImmediate(immediate);
      if (this.parked === poke) this.parked = null;
      then();
    };
    // A completed request while parked: look again once this turn's I/O callbacks are done.
    const poke = (): void => {
      if (done || immediate !== undefined) return;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      immediate = setImmediate(step);
    };
    /** true while wait() itself runs the first step */
    let sync = true;
    const step = (): void => {
      timer = immediate = undefined;
      if (this.parked === poke) this.parked = null;
      if (done) return;
      const now = this.now();
      if (spinAt === spinAt) this.spun(now - spinAt, now);
      spinAt = Number.NaN;
      this.tuning.spinAllowed = this.spinAllowed(now);
      const next = nextWait(dueMs - now, this.inFlight(), this.tuning);
      switch (next.kind) {
        case 'send':
          // Never from inside wait() itself: a run of arrivals due back to back must not grow the stack.
          if (sync) {
            immediate = setImmediate(step);
            return;
          }
          return finish();
        case 'timer':
          this.stats.timers++;
          timer = setTimeout(step, next.ms);
          return;
        case 'block':
          this.sleep(next.ms);
          // Then a turn of the event loop: whatever came in meanwhile is read before the send, and no
          // chain of sends can grow the stack.
          immediate = setImmediate(step);
          return;
        case 'park':
          this.stats.parks++;
          timer = setTimeout(step, next.ms);
          this.parked = poke;
          return;
        case 'spin':
          this.stats.spins++;
          spinAt = now;
          immediate = setImmediate(step);
          return;
      }
    };
    step();
    sync = false;
    return finish;
  }

  /** A request completed (its response is in): a wait parked for that looks again. */
  poke(): void {
    this.parked?.();
  }

  /** Sleep the thread precisely (no CPU, nothing else runs), and learn how much it overshoots. */
  private sleep(ms: number): void {
    const started = this.now();
    Atomics.wait(this.cell, 0, 0, ms);
    const slept = this.now() - started;
    this.stats.sleeps++;
    this.stats.sleptMs += slept;
    const over = Math.min(MAX_OVERSHOOT_MS, Math.max(0, slept - ms));
    this.tuning.overshootMs += (over - this.tuning.overshootMs) * 0.1;
  }

  private spun(ms: number, now: number): void {
    this.stats.spunMs += ms;
    this.spinAllowed(now);
    this.windowSpunMs += ms;
  }

  /** Within the budget of the current one-second window (a new window starts the count again). */
  private spinAllowed(now: number): boolean {
    if (now - this.windowStart >= 1000) {
      this.windowStart = now;
      this.windowSpunMs = 0;
    }
    return this.windowSpunMs < SPIN_BUDGET * 1000;
  }
}
