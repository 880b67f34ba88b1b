/**
 * Carts that must not be charged on trust go to bad-cart review instead (issue 11 §3): nobody this
 * connector admitted (NO_ADMITTED_PAYER), a POS answer that does not add up (POS_INCONSISTENT), an
 * absurd quantity or total (ABSURD_CART). The deadline's default never charges them; an operator
 * decides, and CHARGE_KNOWN never charges what was found untrustworthy.
 */
import { createHash, randomUUID } from 'node:crypto';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { builtInPos } from '../../src/adapters/pos/pos';
import { insertPurchaseOnce } from '../../src/adapters/purchases/purchaseStore';
import { toPurchaseCart, type PurchaseInput } from '../../src/shared/purchaseMessages';
import { purchaseWorkflowId } from '../../src/shared/workflowIds';
import { enterStore, getJson, item, post, purchaseRequest, seedShopper, STORE_ID } from '../support/fixtures';
import { ledger, preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';

const PURCHASES = '/v1/order/purchases';
const ops = { 'x-operator-key': 'demo-operator-key' };

/** The POS answers off by one cent in the total while `broken` is set. */
let broken = false;
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    env: { BAD_CART_DEADLINE: '1h' },
    pos: (db) => {
      const real = builtInPos(db);
      return {
        async price(request) {
          const answer = await real.price(request);
          return broken ? { ...answer, totalMinor: answer.totalMinor + 1 } : answer;
        },
      };
    },
  });
  await seedDemoStore(stack.db);
  // A shelf item worth 50,000.00: 30 of them are a total no store charges without a look.
  await stack.db.query("UPDATE catalog_items SET price_minor = 5000000 WHERE store_id = $1 AND sku = 'SKU-008'", [
    STORE_ID,
  ]);
});
afterAll(() => stack?.close());

async function admittedTrip(cartItems: unknown[]) {
  const shopper = await seedShopper(stack.db);
  const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
  await preAuthPlaced(stack.db, authEvent.id);
  const request = purchaseRequest([authEvent], cartItems);
  expect((await post(stack.url, PURCHASES, request)).status).toBe(201);
  return { shopper, authEvent, tripId: request.idempotentShoppingTripId as string };
}

const resolve = (tripId: string, body: Record<string, unknown>) =>
  post(stack.url, `/ops/v1/badcarts/${tripId}/resolve`, body, ops);

async function problemsOf(tripId: string) {
  const [cart] = await stack.db.query<any>('SELECT problems FROM bad_carts WHERE trip_id = $1', [tripId]);
  return cart.problems;
}

/** Started as the API would, with a short bad-cart deadline whose default is CHARGE_KNOWN. */
async function startWithDeadline(request: Record<string, any>) {
  const tripId = request.idempotentShoppingTripId as string;
  const input: PurchaseInput = {
    tripId,
    purchaseId: `P-${randomUUID()}`,
    storeId: STORE_ID,
    request: toPurchaseCart(request as any),
    badCartDeadlineMs: 1500,
    badCartDefault: 'CHARGE_KNOWN',
  };
  await insertPurchaseOnce(stack.db, {
    tripId,
    purchaseId: input.purchaseId,
    storeId: STORE_ID,
    requestSha256: createHash('sha256').update(JSON.stringify(request)).digest('hex'),
    request,
    shopperId: null,
  });
  await stack.client.workflow.start('purchaseWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: purchaseWorkflowId(tripId),
    args: [input],
  });
  return tripId;
}

describe('no admitted payer', () => {
  /** A shopper Amazon names (scanResult, shopperIdentity) whom this connector's gate never admitted. */
  async function unadmittedTrip() {
    const shopper = await seedShopper(stack.db);
    const authEvent = {
      id: randomUUID(),
      timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      location: 'ENTRY',
      payloadType: 'SCAN_CODE',
      scanResult: { id: shopper.shopperId, type: 'SHOPPER' },
    };
    const request = purchaseRequest([authEvent], [item('SKU-003')], {
      shopperIdentity: { id: shopper.shopperId },
    });
    return { shopper, authEvent, request, tripId: request.idempotentShoppingTripId as string };
  }

  test('when none of the auth events was admitted, then the card named in the body is not charged: the cart waits for review', async () => {
    const { shopper, request, tripId, authEvent } = await unadmittedTrip();
    expect((await post(stack.url, PURCHASES, request)).status).toBe(201);
    const purchase = await purchaseSettled(stack.db, tripId, ['BAD_CART']);
    expect(purchase.shopper_id).toBeNull(); // shopperIdentity.id does not make it anyone's receipt
    expect(await problemsOf(tripId)).toEqual([
      {
        lineId: '*',
        itemId: '*',
        reason: 'NO_ADMITTED_PAYER',
        detail: `none of the trip's auth events (${authEvent.id}) was admitted by this connector's gate`,
      },
    ]);
    expect(await ledger(stack.db, tripId)).toEqual([]);

    // Nobody to charge: CHARGE_KNOWN is refused; a line correction cannot fix the payer either.
    const charge = await resolve(tripId, { decision: 'CHARGE_KNOWN' });
    expect(charge.status).toBe(409);
    expect(charge.body.message).toMatch(/no one to charge/);
    expect(
      (await resolve(tripId, { decision: 'CORRECT', corrections: [{ lineId: '*', sku: 'SKU-001' }] })).status,
    ).toBe(409);

    expect((await resolve(tripId, { decision: 'WRITE_OFF', note: 'not our shopper' })).status).toBe(200);
    const done = await purchaseSettled(stack.db, tripId, ['WRITTEN_OFF']);
    expect(done.shopper_id).toBeNull();
    expect(await ledger(stack.db, tripId)).toEqual([]);
    const receipts = await stack.db.query('SELECT trip_id FROM purchases WHERE shopper_id = $1', [shopper.shopperId]);
    expect(receipts).toEqual([]);
  });

  test('when nobody decides before the deadline and the default is CHARGE_KNOWN, then the purchase fails visibly and nothing is charged', async () => {
    const { request } = await unadmittedTrip();
    const tripId = await startWithDeadline(request);
    const failed = await purchaseSettled(stack.db, tripId, ['FAILED']);
    expect(failed.failure).toBe(
      'the cart needs an operator (NO_ADMITTED_PAYER) and no decision came before the deadline: nothing was charged',
    );
    expect(await ledger(stack.db, tripId)).toEqual([]);
  });
});

describe('a POS answer that does not add up', () => {
  afterEach(() => {
    broken = false;
  });

  test('when the POS answer does not add up, then the cart goes to review (not an hour of retries), and charging prices it again', async () => {
    broken = true;
    const { tripId } = await admittedTrip([item('SKU-003')]);
    await purchaseSettled(stack.db, tripId, ['BAD_CART']);
    expect(await problemsOf(tripId)).toEqual([
      {
        lineId: '*',
        itemId: '*',
        reason: 'POS_INCONSISTENT',
        detail: 'totalMinor is 600, the lines add up to 599',
      },
      {
        lineId: '*',
        itemId: '*',
        reason: 'POS_INCONSISTENT',
        detail: 'totalMinor is 600, subtotal, discount and tax add up to 599',
      },
    ]);
    expect(await ledger(stack.db, tripId)).toEqual([]);

    // CHARGE_KNOWN while the POS is still broken: priced again, checked again, back in review.
    expect((await resolve(tripId, { decision: 'CHARGE_KNOWN' })).status).toBe(200);
    const events = async () =>
      ((await stack.client.workflow.getHandle(purchaseWorkflowId(tripId)).fetchHistory()).events ?? [])
        .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
        .filter((n) => n === 'priceLines');
    await eventually(async () => expect(await events()).toEqual(['priceLines', 'priceLines']));
    await eventually(async () =>
      expect((await getJson(stack.url, '/ops/v1/badcarts')).body.map((b: any) => b.tripId)).toContain(tripId),
    );
    expect(await ledger(stack.db, tripId)).toEqual([]);

    broken = false;
    let answer = await resolve(tripId, { decision: 'CHARGE_KNOWN' });
    for (let i = 0; answer.status === 409 && i < 50; i++) {
      // The re-priced cart's review opens a moment after the first decision was taken.
      await new Promise((r) => setTimeout(r, 100));
      answer = await resolve(tripId, { decision: 'CHARGE_KNOWN' });
    }
    expect(answer.status).toBe(200);
    expect(await purchaseSettled(stack.db, tripId, ['CAPTURED'])).toMatchObject({ total_minor: 599 });
    expect((await ledger(stack.db, tripId)).map((e) => e.operation)).toEqual(['CAPTURE']);
  });

  test('when nobody decides before the deadline, then the inconsistent answer is never charged', async () => {
    broken = true;
    const shopper = await seedShopper(stack.db);
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    await preAuthPlaced(stack.db, authEvent.id);
    const tripId = await startWithDeadline(purchaseRequest([authEvent], [item('SKU-003')]));
    const failed = await purchaseSettled(stack.db, tripId, ['FAILED']);
    expect(failed.failure).toMatch(/needs an operator \(POS_INCONSISTENT\)/);
    expect(await ledger(stack.db, tripId)).toEqual([]);
  });
});

describe('absurd carts', () => {
  test('when a line quantity is "9999999999", then it is never priced or charged: the cart waits for review, and CHARGE_KNOWN charges only the other lines', async () => {
    const { tripId } = await admittedTrip([
      item('SKU-003', '1', 'unit', { lineItemId: 'L-1' }),
      item('SKU-001', '9999999999', 'unit', { lineItemId: 'L-2' }),
    ]);
    await purchaseSettled(stack.db, tripId, ['BAD_CART']);
    expect(await problemsOf(tripId)).toEqual([
      { lineId: 'L-2', itemId: 'SKU-001', reason: 'ABSURD_CART', detail: 'quantity 9999999999 is above 9,999' },
    ]);
    expect(await ledger(stack.db, tripId)).toEqual([]);

    expect((await resolve(tripId, { decision: 'CHARGE_KNOWN' })).status).toBe(200);
    const done = await purchaseSettled(stack.db, tripId, ['CAPTURED']);
    expect(done.total_minor).toBe(599);
    expect(done.receipt.notCharged).toEqual([{ lineId: 'L-2', itemId: 'SKU-001', reason: 'ABSURD_CART' }]);
    expect((await ledger(stack.db, tripId)).map((e) => [e.operation, e.amount_minor])).toEqual([['CAPTURE', 599]]);
  });

  test('when the total is above 1,000,000.00, then the cart waits for review instead of being captured', async () => {
    const { tripId } = await admittedTrip([item('SKU-008', '30')]);
    await purchaseSettled(stack.db, tripId, ['BAD_CART']);
    expect(await problemsOf(tripId)).toEqual([
      {
        lineId: '*',
        itemId: '*',
        reason: 'ABSURD_CART',
        detail: 'total 150000000 minor units of USD is above 1,000,000 USD',
      },
    ]);
    expect(await ledger(stack.db, tripId)).toEqual([]);
    expect((await resolve(tripId, { decision: 'WRITE_OFF' })).status).toBe(200);
    await purchaseSettled(stack.db, tripId, ['WRITTEN_OFF']);
    expect(new Set((await ledger(stack.db, tripId)).map((e) => e.operation))).toEqual(new Set(['VOID']));
  });

  test('when nobody decides on an absurd cart before the deadline, then the default CHARGE_KNOWN does not charge it', async () => {
    const shopper = await seedShopper(stack.db);
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    await preAuthPlaced(stack.db, authEvent.id);
    const tripId = await startWithDeadline(
      purchaseRequest([authEvent], [item('SKU-003'), item('SKU-001', '9999999999')]),
    );
    const failed = await purchaseSettled(stack.db, tripId, ['FAILED']);
    expect(failed.failure).toMatch(/needs an operator \(ABSURD_CART\)/);
    expect(await ledger(stack.db, tripId)).toEqual([]);
  });
});
