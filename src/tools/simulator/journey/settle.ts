/**
 * After the last shopper left: waits, through the operator API, until every delivered trip's
 * purchase reaches a final status, resolving each bad cart on the way as a store operator would
 * (CHARGE_KNOWN: charge the items the catalog knows), then reads the records to reconcile.
 */
import { ConnectorError, type ConnectorClient } from './connector';
import type { ObservedPurchase } from './reconcile';

const FINAL_STATUSES = new Set(['CAPTURED', 'EMPTY', 'DEBT', 'NOT_CHARGED', 'CASH_DUE', 'WRITTEN_OFF', 'FAILED']);
const SIMULATOR_OPERATOR = 'simulator';
const POLL_INTERVAL_MS = 300;

export interface SettledTrips {
  purchases: Map<string, ObservedPurchase>;
  badCartTrips: Set<string>;
  /** Trips still not final when the time ran out. */
  unsettled: string[];
}

function observed(record: any): ObservedPurchase {
  return {
    status: record.status,
    purchaseId: record.purchaseId,
    totalMinor: record.totalMinor,
    receiptLines: record.receipt?.lines ?? null,
    ledger: (record.ledger ?? []).map((e: any) => ({
      operation: e.operation,
      outcome: e.outcome,
      amountMinor: e.amount_minor,
    })),
  };
}

async function findPurchase(client: ConnectorClient, tripId: string): Promise<any | null> {
  try {
    return await client.ops('GET', `/ops/v1/purchases/${encodeURIComponent(tripId)}`);
  } catch (err) {
    if (err instanceof ConnectorError && err.status === 404) return null;
    throw err;
  }
}

export async function settleTrips(
  client: ConnectorClient,
  tripIds: readonly string[],
  timeoutMs: number,
  log: (line: string) => void,
): Promise<SettledTrips> {
  const purchases = new Map<string, ObservedPurchase>();
  const resolved = new Set<string>();
  const deadline = Date.now() + timeoutMs;
  let pending = [...tripIds];
  while (pending.length && Date.now() < deadline) {
    for (const tripId of pending) {
      const record = await findPurchase(client, tripId);
      if (record && FINAL_STATUSES.has(record.status)) purchases.set(tripId, observed(record));
      else if (record?.status === 'BAD_CART' && !resolved.has(tripId)) {
        try {
          await client.ops('POST', `/ops/v1/badcarts/${encodeURIComponent(tripId)}/resolve`, {
            decision: 'CHARGE_KNOWN',
            operator: SIMULATOR_OPERATOR,
            note: 'simulated store operator',
          });
          resolved.add(tripId);
        } catch (err) {
          // 409: the workflow is not yet waiting for the decision; the next round tries again.
          if (!(err instanceof ConnectorError && err.status === 409)) throw err;
        }
      }
    }
    pending = pending.filter((tripId) => !purchases.has(tripId));
    if (pending.length) await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
  if (resolved.size)
    log(`Resolved ${resolved.size} bad cart(s) with CHARGE_KNOWN as operator "${SIMULATOR_OPERATOR}".`);
  // The final records (and those of trips that never settled, as they stand).
  for (const tripId of pending) {
    const record = await findPurchase(client, tripId);
    if (record) purchases.set(tripId, observed(record));
  }
  const badCarts: { tripId: string }[] = await client.ops('GET', '/ops/v1/badcarts?status=ALL');
  const ours = new Set(tripIds);
  return {
    purchases,
    badCartTrips: new Set(badCarts.map((b) => b.tripId).filter((id) => ours.has(id))),
    unsettled: pending,
  };
}
