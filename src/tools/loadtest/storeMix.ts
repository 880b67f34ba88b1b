/**
 * The store-like mix of `jwo loadtest --mix store` (pure parts): shoppers enter at a fixed rate,
 * each admitted one checks out a fixed delay after its entry, and every purchase answered 201 is
 * followed until it reaches a final status.
 */
import type { PurchaseStatus } from '../../shared/purchaseMessages';

/**
 * "3s", "500ms", "1.5m", or a bare number in `bareUnit`. Throws on anything else (negative,
 * unknown unit), so a flag's mistake is a message before the run, not a strange run.
 */
export function parseDuration(value: string, bareUnit: 'ms' | 's'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  if (!match) throw new Error(`"${value}" is not a duration such as 500ms, 3s or 1m`);
  const unit = match[2] ?? bareUnit;
  return Number(match[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
}

export interface PlannedEntry {
  index: number;
  /** Offset from the start of the run of the entry's gate scan. */
  entryAtMs: number;
  /** When its Create Purchases is due, if the shopper is admitted (never before the gate answers). */
  purchaseAtMs: number;
  /** Which of the run's shoppers the entry's code is for: cyclic, so distinct while there are enough. */
  shopper: number;
}

export function storeMixSchedule(o: {
  entriesPerSecond: number;
  durationSeconds: number;
  purchaseDelayMs: number;
  shoppers: number;
}): PlannedEntry[] {
  if (!(o.entriesPerSecond > 0) || !(o.durationSeconds > 0)) throw new Error('rate and duration must be above 0');
  if (!(o.purchaseDelayMs >= 0)) throw new Error('the purchase delay must not be negative');
  if (!Number.isSafeInteger(o.shoppers) || o.shoppers < 1) throw new Error('there must be at least one shopper');
  const count = Math.round(o.entriesPerSecond * o.durationSeconds);
  const intervalMs = 1000 / o.entriesPerSecond;
  return Array.from({ length: count }, (_, index) => ({
    index,
    entryAtMs: index * intervalMs,
    purchaseAtMs: index * intervalMs + o.purchaseDelayMs,
    shopper: index % o.shoppers,
  }));
}

/**
 * Where a purchase stops moving. BAD_CART is not among them: it waits for an operator's decision,
 * and a load test that leaves one there has not finished its work.
 */
export const FINAL_PURCHASE_STATUSES: readonly PurchaseStatus[] = [
  'CAPTURED',
  'EMPTY',
  'WRITTEN_OFF',
  'NOT_CHARGED',
  'CASH_DUE',
  'DEBT',
  'FAILED',
];

export const isFinalPurchaseStatus = (status: string): boolean =>
  (FINAL_PURCHASE_STATUSES as readonly string[]).includes(status);

/**
 * From the 201 (this machine's clock) to the final status. The connector's own time of the final
 * status (updatedAt) is the precise figure, but the two clocks may disagree: it is kept within what
 * this machine saw for certain, no earlier than the 201 and no later than the poll that found it.
 */
export function completionLatencyMs(answeredAtMs: number, finalAtMs: number, observedAtMs: number): number {
  const upper = Math.max(0, observedAtMs - answeredAtMs);
  return Math.min(Math.max(0, finalAtMs - answeredAtMs), upper);
}

/** A purchase as the operator listing shows it (only what is needed here). */
export interface ListedPurchase {
  tripId: string;
  status: string;
  updatedAt: string;
}

export type RunPhase = 'run' | 'drain';

export interface Completion {
  tripId: string;
  status: string;
  latencyMs: number;
  phase: RunPhase;
}

/** The 201s of a run and which of them reached a final status, fed by polls of the operator API. */
export class CompletionTracker {
  private readonly pending = new Map<string, number>();
  private readonly done: Completion[] = [];
  private readonly doneTrips = new Set<string>();

  /** A Create Purchases answered 201 at `answeredAtMs` (epoch ms). */
  taken(tripId: string, answeredAtMs: number): void {
    if (!this.doneTrips.has(tripId)) this.pending.set(tripId, answeredAtMs);
  }

  /** Records the final ones among `rows`, seen at `observedAtMs`; returns how many completed now. */
  observe(rows: readonly ListedPurchase[], observedAtMs: number, phase: RunPhase): number {
    let completed = 0;
    for (const row of rows) {
      const answeredAt = this.pending.get(row.tripId);
      if (answeredAt === undefined || !isFinalPurchaseStatus(row.status)) continue;
      const finalAt = Date.parse(row.updatedAt);
      this.pending.delete(row.tripId);
      this.doneTrips.add(row.tripId);
      this.done.push({
        tripId: row.tripId,
        status: row.status,
        latencyMs: completionLatencyMs(answeredAt, Number.isFinite(finalAt) ? finalAt : observedAtMs, observedAtMs),
        phase,
      });
      completed++;
    }
    return completed;
  }

  get backlog(): number {
    return this.pending.size;
  }

  get completions(): readonly Completion[] {
    return this.done;
  }

  /** The 201 time of the oldest purchase still pending, for the listing's `since`. */
  oldestPendingAt(): number | null {
    let oldest: number | null = null;
    for (const at of this.pending.values()) if (oldest === null || at < oldest) oldest = at;
    return oldest;
  }

  /** Pending trips a listing did not include (it was cut at its limit, or the clocks disagree), oldest first. */
  pendingNotListed(rows: readonly ListedPurchase[], max: number): string[] {
    const listed = new Set(rows.map((r) => r.tripId));
    return [...this.pending.entries()]
      .filter(([tripId]) => !listed.has(tripId))
      .sort((a, b) => a[1] - b[1])
      .slice(0, max)
      .map(([tripId]) => tripId);
  }
}
