// The requests one client has in flight, in send order — which is deadline order, since every request
// of a client has the same timeout. A doubly linked list each request leaves the moment it settles (no
// garbage kept until a sweep), one sweep timer for all deadlines (none per request), and waiters that
// wake when the last request settles (the end-of-run drain, without polling). Shared by both clients.

export interface Linked<T> {
  /** clock reading (ms) after which the request is overdue */
  deadline: number;
  prev: T | null;
  next: T | null;
}

export class InFlight<T extends Linked<T>> {
  oldest: T | null = null;
  newest: T | null = null;
  count = 0;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly idleWaiters = new Set<() => void>();

  /**
   * @param timeoutMs the clients' request timeout: the sweep runs every timeout/20 (5–50 ms)
   * @param sweep gives up on the overdue requests; called only while something is in flight
   */
  constructor(
    private readonly timeoutMs: number,
    private readonly sweep: () => void,
  ) {}

  add(entry: T): void {
    entry.prev = this.newest;
    if (this.newest) this.newest.next = entry;
    else this.oldest = entry;
    this.newest = entry;
    this.count++;
    if (this.sweeper === null) this.startSweeper();
  }

  remove(entry: T): void {
    if (entry.prev) entry.prev.next = entry.next;
    else if (this.oldest === entry) this.oldest = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else if (this.newest === entry) this.newest = entry.prev;
    entry.prev = null;
    entry.next = null;
    this.count--;
    if (this.count === 0 && this.idleWaiters.size > 0) {
      for (const wake of this.idleWaiters) wake();
      this.idleWaiters.clear();
    }
  }

  /** Resolves once nothing is in flight, or after `ms`, whichever comes first. */
  idleOrAfter(ms: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.idleWaiters.delete(wake);
        resolve();
      }, Math.max(0, ms));
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.idleWaiters.add(wake);
    });
  }

  stopSweeping(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  private startSweeper(): void {
    const every = Math.max(5, Math.min(50, this.timeoutMs / 20));
    this.sweeper = setInterval(() => {
      this.sweep();
      if (this.oldest === null) this.stopSweeping();
    }, every);
    this.sweeper.unref();
  }
}
