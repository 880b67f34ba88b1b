/**
 * The purchase benchmarks' shoppers and carts (the all-in-one's and the cluster's): shoppers admitted
 * at the gate first, then Create Purchases with one shopper's trip and a fixed three-line cart of
 * the demo store (a unit item, a weighed item, a scan code), so both runs price and capture the
 * same thing.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../adapters/db/database';
import { issueScanKeyFor } from '../../application/issueScanKey';
import type { ScanKeySettings } from '../../domain/scanKey';
import { DEMO_STORE_ID } from '../cli/demoStore';

export interface BenchAuthEvent {
  id: string;
  timestamp: string;
  location: string;
  payloadType: string;
}

/**
 * Admits `total` entries of the demo shopper through the gate, one after the other (not measured),
 * and returns their auth events for the carts. Earlier codes are kept: each is scanned before the
 * next is issued anyway.
 */
export async function admitBenchShoppers(
  apiUrl: string,
  headers: Record<string, string>,
  db: Queryable,
  settings: ScanKeySettings,
  total: number,
): Promise<BenchAuthEvent[]> {
  const authEvents: BenchAuthEvent[] = [];
  for (let i = 0; i < total; i++) {
    const code = (await issueScanKeyFor(db, settings, 'shopper-001', new Date(), { keepEarlierCodes: true })).code;
    const authEvent = { id: randomUUID(), timestamp: new Date().toISOString(), location: 'ENTRY' };
    await fetch(`${apiUrl}/v1/identity/identity-keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        requestId: randomUUID(),
        identityKey: Buffer.from(code).toString('base64'),
        storeId: DEMO_STORE_ID,
        authEvent,
      }),
    }).then((r) => r.arrayBuffer());
    authEvents.push({ ...authEvent, payloadType: 'SCAN_CODE' });
  }
  return authEvents;
}

export async function postBenchPurchase(
  apiUrl: string,
  headers: Record<string, string>,
  authEvent: { timestamp: string },
): Promise<void> {
  const body = {
    requestId: randomUUID(),
    idempotentShoppingTripId: randomUUID(),
    storeId: DEMO_STORE_ID,
    shoppingTrip: { startTime: authEvent.timestamp, endTime: new Date().toISOString(), authEvents: [authEvent] },
    cartItems: [
      { id: 'SKU-001', type: 'SKU', quantity: { value: '3', unit: 'unit' } },
      { id: 'SKU-005', type: 'SKU', quantity: { value: '1.25', unit: 'lb' } },
      { id: '071800000125', type: 'SCANCODE', quantity: { value: '1', unit: 'unit' } },
    ],
  };
  const response = await fetch(`${apiUrl}/v1/order/purchases`, { method: 'POST', headers, body: JSON.stringify(body) });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`purchase answered ${response.status}`);
}
