// Cache-aside read cache with a TTL. Concurrent misses on one key share a single load
// (single-flight), so a burst on a cold key costs the data store one query, not one per request.

export interface CacheRead<V> {
  value: V;
  hit: boolean;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export class ReadCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();
  private readonly loading = new Map<K, Promise<V>>();

  /** ttlMs <= 0 disables caching (every read is a miss). `now` is injectable for tests. */
  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The fresh cached value, or undefined. Synchronous so a hit costs no extra promise tick. */
  peek(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  async read(key: K, load: () => Promise<V>): Promise<CacheRead<V>> {
    const cached = this.peek(key);
    if (cached !== undefined) return { value: cached, hit: true };
    return { value: await this.loadOnce(key, load), hit: false };
  }

  get size(): number {
    return this.entries.size;
  }

  private loadOnce(key: K, load: () => Promise<V>): Promise<V> {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const loaded = load()
      .then((value) => {
        if (this.ttlMs > 0) this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, loaded);
    return loaded;
  }
}
