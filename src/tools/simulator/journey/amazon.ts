/**
 * Amazon's side of a trip: the gate's Verify Identity Keys call and the Create Purchases
 * deliveries after the shopper leaves, with the retries and duplicates Amazon's delivery allows
 * (jwo-api.md §1, §2: every retry carries a new requestId and the same idempotentShoppingTripId).
 */
import { randomUUID } from 'node:crypto';
import type { ConnectorClient, HttpAnswer } from './connector';
import type { Delivery, PlannedCartItem } from './plan';

/** Amazon's timestamps are whole seconds in UTC ("2024-02-09T17:53:57Z"). */
export const amazonTime = (at: Date): string => at.toISOString().replace(/\.\d{3}Z$/, 'Z');

export interface AuthEvent {
  id: string;
  timestamp: string;
  location: 'ENTRY';
}

export function identityKeysRequest(code: string, storeId: string, at: Date) {
  const authEvent: AuthEvent = { id: randomUUID(), timestamp: amazonTime(at), location: 'ENTRY' };
  return {
    requestId: randomUUID(),
    identityKey: Buffer.from(code).toString('base64'),
    storeId,
    authEvent,
    keyChannel: 'OPTICAL' as const,
  };
}

export function createPurchasesRequest(trip: {
  tripId: string;
  storeId: string;
  authEvent: AuthEvent;
  visitor: { id: string; type: string };
  startedAt: Date;
  endedAt: Date;
  cart: PlannedCartItem[];
}) {
  return {
    requestId: randomUUID(),
    idempotentShoppingTripId: trip.tripId,
    storeId: trip.storeId,
    shoppingTrip: {
      startTime: amazonTime(trip.startedAt),
      endTime: amazonTime(trip.endedAt),
      authEvents: [{ ...trip.authEvent, payloadType: 'SCAN_CODE', scanResult: trip.visitor }],
    },
    cartItems: trip.cart.map((item) => ({
      id: item.id,
      type: item.type,
      quantity: item.quantity,
      lineItemId: item.lineItemId,
      ...(item.externalIdentifiers ? { externalIdentifiers: item.externalIdentifiers } : {}),
    })),
  };
}

const RETRY_LIMIT = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends until a definitive answer: network errors, 429 and 5xx are retried with backoff and a new requestId. */
async function sendUntilAnswered(client: ConnectorClient, request: { requestId: string }): Promise<HttpAnswer> {
  let last: HttpAnswer | Error = new Error('not sent');
  for (let attempt = 0; attempt < RETRY_LIMIT; attempt++) {
    if (attempt > 0) await sleep(200 * 2 ** (attempt - 1));
    try {
      last = await client.createPurchase(attempt === 0 ? request : { ...request, requestId: randomUUID() });
      if (last.status !== 429 && last.status < 500) return last;
    } catch (err) {
      last = err as Error;
    }
  }
  if (last instanceof Error) throw new Error(`Create Purchases failed ${RETRY_LIMIT} times: ${last.message}`);
  return last;
}

/** Delivers one trip's Create Purchases as planned; returns every answer Amazon received. */
export async function deliverPurchase(
  client: ConnectorClient,
  request: { requestId: string },
  delivery: Delivery,
): Promise<HttpAnswer[]> {
  switch (delivery.kind) {
    case 'ONCE':
      return [await sendUntilAnswered(client, request)];
    case 'DUPLICATE':
      return Promise.all([sendUntilAnswered(client, request), sendUntilAnswered(client, request)]);
    case 'RETRY_AFTER_TIMEOUT': {
      const answers: HttpAnswer[] = [];
      try {
        answers.push(await client.createPurchase(request, delivery.timeoutMs));
      } catch {
        // Amazon stopped waiting; the connector may or may not have taken the first attempt.
      }
      if (answers.length === 1 && answers[0].status === 201) return answers;
      await sleep(100);
      return [
        ...answers.filter((a) => a.status === 201),
        await sendUntilAnswered(client, { ...request, requestId: randomUUID() }),
      ];
    }
  }
}
