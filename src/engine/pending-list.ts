// What is pending and must be cancelled on a stop: the arrival and tick waits, think timers. Each is
// added and removed once per arrival or iteration, thousands of times a second, for the whole run.
//
// Not a Set: a long-lived Set that is added to and deleted from rehashes its table every few operations,
// and once the Set has been promoted V8 allocates each new table in the old generation — garbage only a
// full collection frees, so the process grows for minutes (~200 KB/s at 2,000 arrivals/s, bench/RESULTS.md
// "Peak RSS"). Here each entry is a small node that dies young, and removal is O(1).

/** Where an entry sits in its list, to remove it again. */
export interface PendingEntry<T> {
  readonly value: T;
  prev: PendingEntry<T> | null;
  next: PendingEntry<T> | null;
  /** false once removed (removing twice is harmless) */
  listed: boolean;
}

export class PendingList<T> {
  private head: PendingEntry<T> | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(value: T): PendingEntry<T> {
    const entry: PendingEntry<T> = { value, prev: null, next: this.head, listed: true };
    if (this.head) this.head.prev = entry;
    this.head = entry;
    this.count++;
    return entry;
  }

  remove(entry: PendingEntry<T>): void {
    if (!entry.listed) return;
    entry.listed = false;
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    entry.prev = entry.next = null;
    this.count--;
  }

  /** Empty the list and return what was in it (newest first), so each can be fired or cancelled. */
  takeAll(): T[] {
    const values: T[] = [];
    for (let e = this.head; e; ) {
      const next = e.next;
      values.push(e.value);
      e.listed = false;
      e.prev = e.next = null;
      e = next;
    }
    this.head = null;
    this.count = 0;
    return values;
  }
}
