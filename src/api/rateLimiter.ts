/**
 * A token bucket per key (the store id), in the memory of one API process: with N replicas the
 * store's limit is N times this. Good enough to shed a flood at the gate (429 keeps it closed).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; refilledAt: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  tryTake(key: string): boolean {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.perSecond, refilledAt: at };
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + ((at - bucket.refilledAt) / 1000) * this.perSecond);
    bucket.refilledAt = at;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
