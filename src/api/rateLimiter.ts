/**
 * A token bucket per key (the store id), in the memory of one API process: with N replicas the
 * store's limit is N times this. Good enough to shed a flood at the gate (429 keeps it closed).
 * The gate takes a bucket only for a store it serves; the buckets are capped anyway (least
 * recently used first out), so no stream of keys can grow the process's memory without bound.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; refilledAt: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 10_000,
  ) {}

  /** How many keys have a bucket (for tests and metrics). */
  get size(): number {
    return this.buckets.size;
  }

  tryTake(key: string): boolean {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perSecond, refilledAt: at };
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((at - bucket.refilledAt) / 1000) * this.perSecond);
    bucket.refilledAt = at;
    // Re-inserted on every use: the Map's first key is the least recently used.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
