/**
 * A sliding request window shared through the database by every process that calls one outside
 * API: at most `maxRequests` claims in any `windowMs`, by the database's clock, whichever worker
 * claims. Used for Amazon's "at most 10 Upload Catalog requests in any one second" (see
 * src/catalogWorker.ts for how the window is sized so the limit holds where Amazon counts).
 *
 * A claim runs in one transaction holding the window's row lock: it reads the last `maxRequests`
 * claim times, reads clock_timestamp() only after the lock is held (so claims are ordered and
 * their times increase), and either records the new claim or says how long to wait. Hence any
 * maxRequests + 1 consecutive claims are at least windowMs apart, for any number of processes.
 *
 * The caller must send promptly: `claim()` resolves with the local time the row lock was taken,
 * and `sendWithin(maxAgeMs, send)` claims again (the stale claim stays counted, which is only
 * conservative) when more than maxAgeMs passed before the request could leave.
 */
import type { Database } from './database';

export interface RequestWindowOptions {
  /** One window per key (e.g. one per Amazon endpoint). */
  key: string;
  maxRequests: number;
  windowMs: number;
  /** A claim older than this when the request would leave is abandoned and claimed again. */
  maxClaimAgeMs: number;
  /** Give up (throw) after waiting this long in total: the caller's attempt is retried later. */
  maxWaitMs: number;
}

export interface RequestWindow {
  /** Waits for a slot, then runs `send` at once; `send` is not run when no slot came within maxWaitMs. */
  sendWithin<T>(send: () => Promise<T>): Promise<T>;
}

export class RequestWindowTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RequestWindowTimeout';
  }
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS request_windows (
  key text PRIMARY KEY,
  recent double precision[] NOT NULL DEFAULT '{}'
)`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates the table if needed (two processes doing it at once: one of them may fail, retried). */
async function ensureSchema(db: Database, key: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await db.query(SCHEMA);
      await db.query('INSERT INTO request_windows (key) VALUES ($1) ON CONFLICT (key) DO NOTHING', [key]);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(100 * (attempt + 1));
    }
  }
}

export function createRequestWindow(db: Database, options: RequestWindowOptions): RequestWindow {
  const { key, maxRequests, windowMs } = options;
  let ready: Promise<void> | null = null;

  /** One attempt: 0 when a slot was claimed (at the returned lockedAt), else how long to wait. */
  const tryClaim = () =>
    db.transaction(async (tx) => {
      const [row] = await tx.query<{ recent: number[] }>(
        'SELECT recent FROM request_windows WHERE key = $1 FOR UPDATE',
        [key],
      );
      const lockedAt = performance.now();
      const [{ now }] = await tx.query<{ now: number }>(
        'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::double precision AS now',
      );
      const recent = (row?.recent ?? []).map(Number);
      if (recent.length >= maxRequests) {
        const oldest = recent[recent.length - maxRequests];
        const wait = oldest + windowMs - now;
        if (wait > 0) return { waitMs: wait, lockedAt };
      }
      const next = [...recent, now].slice(-maxRequests);
      await tx.query('UPDATE request_windows SET recent = $2 WHERE key = $1', [key, next]);
      return { waitMs: 0, lockedAt };
    });

  return {
    async sendWithin(send) {
      ready ??= ensureSchema(db, key).catch((err) => {
        ready = null;
        throw err;
      });
      await ready;
      const started = performance.now();
      for (;;) {
        const claim = await tryClaim();
        if (claim.waitMs === 0) {
          if (performance.now() - claim.lockedAt <= options.maxClaimAgeMs) return send();
          // Too late to keep the promise the window made (a stalled event loop): the slot stays used.
          continue;
        }
        if (performance.now() - started + claim.waitMs > options.maxWaitMs) {
          throw new RequestWindowTimeout(
            `no slot in the ${key} request window (${maxRequests} per ${windowMs} ms) within ${options.maxWaitMs} ms`,
          );
        }
        // A little past the oldest claim's expiry, so the next attempt usually succeeds.
        await sleep(Math.ceil(claim.waitMs) + 2);
      }
    },
  };
}
