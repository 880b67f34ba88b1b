/**
 * One shopper's visit, as it happens in the store: the app asks its backend for a Scan Key Code,
 * the gate scans it (Amazon calls Verify Identity Keys, now and then twice for the same scan), the
 * shopper shops for a while and leaves, and Amazon delivers the cart.
 */
import { randomUUID } from 'node:crypto';
import { createPurchasesRequest, deliverPurchase, identityKeysRequest } from './amazon';
import type { ConnectorClient } from './connector';
import { expectedBill } from './expectedBill';
import type { PlannedVisit } from './plan';
import type { TripRecord } from './reconcile';
import type { CatalogItem, StorePricing } from './storeData';

export interface SimulatedShopper {
  shopperId: string;
  appToken: string;
}

export interface VisitContext {
  client: ConnectorClient;
  storeId: string;
  catalog: readonly CatalogItem[];
  pricing: StorePricing;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The trip as far as the shopper and Amazon see it; the connector's records are added when the run settles. */
export type VisitOutcome = Omit<TripRecord, 'purchase' | 'badCartRecorded'>;

export async function visitStore(
  context: VisitContext,
  visit: PlannedVisit,
  shopper: SimulatedShopper,
): Promise<VisitOutcome> {
  const { client, storeId } = context;
  const outcome: VisitOutcome = {
    tripId: randomUUID(),
    shopperId: shopper.shopperId,
    card: visit.card,
    cart: visit.cart,
    expected: null,
    gate: { status: 0, visitorId: null, repeatAgreed: null },
    deliveries: [],
  };
  try {
    const issued = await client.issueScanKey(shopper.appToken, context.storeId);
    if (issued.status !== 201)
      throw new Error(`the app backend refused a Scan Key Code: ${issued.status} ${issued.body?.message ?? ''}`);

    const enteredAt = new Date();
    const gateRequest = identityKeysRequest(issued.body.code, storeId, enteredAt);
    const gate = await client.verifyIdentityKeys(gateRequest);
    outcome.gate = { status: gate.status, visitorId: gate.body?.visitorDetails?.id ?? null, repeatAgreed: null };
    if (visit.gateRetry) {
      const repeat = await client.verifyIdentityKeys({ ...gateRequest, requestId: randomUUID() });
      outcome.gate.repeatAgreed =
        repeat.status === gate.status && JSON.stringify(repeat.body) === JSON.stringify(gate.body);
    }
    if (gate.status !== 200) return outcome;

    await sleep(visit.dwellMs);
    const endedAt = new Date();
    const request = createPurchasesRequest({
      tripId: outcome.tripId,
      storeId,
      authEvent: gateRequest.authEvent,
      visitor: gate.body.visitorDetails,
      startedAt: enteredAt,
      endedAt,
      cart: visit.cart,
    });
    // Computed before delivery, from what the shopper took: the connector's answer cannot influence it.
    const known = visit.cart.filter((item) => item.sku !== null);
    if (visit.cart.length) {
      outcome.expected = expectedBill(
        context.pricing,
        context.catalog,
        known.map((item) => ({
          lineId: item.lineItemId,
          sku: item.sku!,
          quantity: item.quantity.value,
          unit: item.quantity.unit,
        })),
        request.shoppingTrip.endTime,
      );
    }
    const answers = await deliverPurchase(client, request, visit.delivery);
    outcome.deliveries = answers.map((a) => ({
      status: a.status,
      purchaseId: typeof a.body?.purchaseId === 'string' ? a.body.purchaseId : null,
    }));
  } catch (err) {
    outcome.failure = (err as Error).message;
  }
  return outcome;
}
