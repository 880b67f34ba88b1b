/**
 * Create Purchases as the purchase benchmarks send it (the all-in-one's and the cluster's): one
 * shopper's trip with a fixed three-line cart of the demo store (a unit item, a weighed item, a
 * scan code), so both runs price and capture the same thing.
 */
import { randomUUID } from 'node:crypto';
import { DEMO_STORE_ID } from '../cli/demoStore';

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
