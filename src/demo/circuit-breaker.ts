// One circuit breaker per upstream. Closed: requests flow, consecutive failures are counted.
// Open (after `failureThreshold` in a row): requests are refused at once, so callers get a fast 503
// instead of waiting on a dead service. Half-open (after `cooldownMs`): one trial request decides.

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 5, cooldownMs: 2000 };

export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly options: BreakerOptions = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    return this.current;
  }

  /** May a request go out now? In half-open, only the first caller gets the trial. */
  allow(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.options.cooldownMs) return false;
      this.current = 'half-open';
      this.trialInFlight = false;
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.current = 'closed';
    this.failures = 0;
    this.trialInFlight = false;
  }

  recordFailure(): void {
    this.failures++;
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) this.open();
  }

  private open(): void {
    this.current = 'open';
    this.openedAt = this.now();
    this.trialInFlight = false;
  }
}
