/**
 * Failed attempts per key (a client address), in the memory of one API process: after `maxFailures`
 * failures in a window of `windowMs` from the first, the key is refused until that window ends,
 * whatever it sends. Successes are not counted, so many shoppers signing in from one address (a
 * store's Wi-Fi, the load test) are never refused; guessing app tokens is. The windows are capped
 * (least recently failed first out), so no stream of addresses can grow memory without bound.
 */
import type { Request } from 'express';

export interface FailureLimits {
  maxFailures: number;
  windowMs: number;
  maxKeys: number;
}

/** Sign-in: 10 failures in 5 minutes, for up to 10,000 addresses at once. */
export const SIGN_IN_LIMITS: FailureLimits = { maxFailures: 10, windowMs: 5 * 60_000, maxKeys: 10_000 };

export class FailureLimiter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly limits: FailureLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many keys have a window (for tests). */
  get size(): number {
    return this.windows.size;
  }

  /** Whole seconds until `key` may try again; 0 when it may now. */
  retryAfterSeconds(key: string): number {
    const window = this.windows.get(key);
    if (!window || window.failures < this.limits.maxFailures) return 0;
    return Math.max(0, Math.ceil((window.startedAt + this.limits.windowMs - this.now()) / 1000));
  }

  recordFailure(key: string): void {
    const at = this.now();
    const current = this.windows.get(key);
    const window = current && at < current.startedAt + this.limits.windowMs ? current : { startedAt: at, failures: 0 };
    window.failures += 1;
    // Re-inserted on every failure: the Map's first key is the one that failed longest ago.
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.limits.maxKeys) this.windows.delete(this.windows.keys().next().value!);
  }
}

/**
 * The client's address as the nearest proxy saw it: the last X-Forwarded-For entry (the one the load
 * balancer, or the cluster's front door, adds), else the connection's. Not express's req.ip: with
 * `trust proxy` on, that is the first entry, which the client writes itself and could vary at will.
 */
export function clientAddress(req: Request): string {
  const forwarded = req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
  return forwarded || req.socket.remoteAddress || 'unknown';
}
