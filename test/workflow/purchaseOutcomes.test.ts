/**
 * PurchaseWorkflow on a real Temporal server: bad-cart decisions and their deadline, declines
 * that become debts and close the gate, and money moving exactly once when the worker dies
 * mid-capture or the gateway loses a response.
 */
import { randomUUID } from 'node:crypto';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { createSimulatedGateway } from '../../src/adapters/payments/simulatedGateway';
import { GatewayUnavailableError, type PaymentGateway } from '../../src/adapters/payments/paymentGateway';
import { builtInPos, PosRejectedCart } from '../../src/adapters/pos/pos';
import { purchaseWorkflowId } from '../../src/shared/workflowIds';
import {
  enterStore,
  getJson,
  identityKeysRequest,
  item,
  post,
  purchaseRequest,
  rawScanKeyFor,
  scanKeyFor,
  seedShopper,
} from '../support/fixtures';
import { ledger, preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, startTestWorker, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';

const PURCHASES = '/v1/order/purchases';
const ops = { 'x-operator-key': 'demo-operator-key' };

async function tripWithCart(stack: TestStack, cartItems: unknown[], shopper?: { shopperId: string }) {
  const s = shopper ?? (await seedShopper(stack.db));
  const authEvent = await enterStore(stack.url, stack.db, stack.config, s.shopperId);
  await preAuthPlaced(stack.db, authEvent.id);
  const request = purchaseRequest([authEvent], cartItems);
  expect((await post(stack.url, PURCHASES, request)).status).toBe(201);
  return { shopperId: s.shopperId, authEvent, tripId: request.idempotentShoppingTripId as string };
}

describe('bad carts', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { BAD_CART_DEADLINE: '1h' } });
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  async function badCart() {
    const trip = await tripWithCart(stack, [
      item('SKU-003'),
      item('SKU-UNKNOWN', '1', 'unit', { lineItemId: 'L-2' }),
      { id: '999999999993', type: 'SCANCODE', quantity: { value: '1', unit: 'unit' }, lineItemId: 'L-3' },
    ]);
    await purchaseSettled(stack.db, trip.tripId, ['BAD_CART']);
    return trip;
  }

  test('when a cart has unknown SKUs and barcodes, then it waits in the review queue with each problem listed', async () => {
    const { tripId } = await badCart();
    const open = await getJson(stack.url, '/ops/v1/badcarts');
    const entry = open.body.find((b: any) => b.tripId === tripId);
    expect(entry.problems).toEqual([
      {
        lineId: 'L-2',
        itemId: 'SKU-UNKNOWN',
        reason: 'UNKNOWN_SKU',
        detail: 'SKU SKU-UNKNOWN is not in the catalog of STORE-001',
      },
      {
        lineId: 'L-3',
        itemId: '999999999993',
        reason: 'UNKNOWN_BARCODE',
        detail: 'SCANCODE 999999999993 is not in the catalog of STORE-001',
      },
    ]);
    expect(await ledger(stack.db, tripId)).toEqual([]);
  });

  test('when the operator charges the known lines, then only those are captured and the rest are listed as not charged', async () => {
    const { tripId } = await badCart();
    const answer = await post(
      stack.url,
      `/ops/v1/badcarts/${tripId}/resolve`,
      { decision: 'CHARGE_KNOWN', operator: 'ops@example.com' },
      ops,
    );
    expect(answer.status).toBe(200);
    const purchase = await purchaseSettled(stack.db, tripId);
    expect(purchase).toMatchObject({ status: 'CAPTURED', total_minor: 599 });
    expect(purchase.receipt.notCharged.map((l: any) => l.lineId)).toEqual(['L-2', 'L-3']);
    const [cart] = await stack.db.query<any>('SELECT status, decided_by FROM bad_carts WHERE trip_id = $1', [tripId]);
    // Decided under the credential's operator (the demo key acts as "operator"), never the body's name.
    expect(cart).toEqual({ status: 'RESOLVED', decided_by: 'operator' });
  });

  test('when the operator corrects the SKUs, then the cart is re-priced with them and charged in full', async () => {
    const { tripId } = await badCart();
    const corrections = [
      { lineId: 'L-2', sku: 'SKU-001' },
      { lineId: 'L-3', sku: 'SKU-004' },
    ];
    expect(
      (
        await post(
          stack.url,
          `/ops/v1/badcarts/${tripId}/resolve`,
          { decision: 'CORRECT', operator: 'ops', corrections },
          ops,
        )
      ).status,
    ).toBe(200);
    const purchase = await purchaseSettled(stack.db, tripId);
    // sandwich 599 + cola 199 + water 129 (2 of the 3-for-5 drinks: no deal) + 8.25% on 328 = 27.06 → 27
    expect(purchase).toMatchObject({ status: 'CAPTURED', total_minor: 599 + 199 + 129 + 27 });
  });

  test('when the operator writes the cart off, then nothing is charged and the pre-auth is voided', async () => {
    const { tripId, authEvent } = await badCart();
    expect(
      (await post(stack.url, `/ops/v1/badcarts/${tripId}/resolve`, { decision: 'WRITE_OFF', operator: 'ops' }, ops))
        .status,
    ).toBe(200);
    expect(await purchaseSettled(stack.db, tripId)).toMatchObject({ status: 'WRITTEN_OFF' });
    expect((await ledger(stack.db, tripId)).map((e) => e.operation)).toEqual(['VOID']);
    expect(
      (
        await stack.db.query<any>('SELECT status FROM payment_authorizations WHERE auth_event_id = $1', [authEvent.id])
      )[0].status,
    ).toBe('VOIDED');
  });

  test('when a decision is invalid or comes for a cart that is not waiting, then it is refused and changes nothing', async () => {
    const { tripId } = await badCart();
    const wrongLine = await post(
      stack.url,
      `/ops/v1/badcarts/${tripId}/resolve`,
      { decision: 'CORRECT', operator: 'ops', corrections: [{ lineId: 'line-1', sku: 'SKU-001' }] },
      ops,
    );
    expect(wrongLine.status).toBe(409);
    expect(
      (await post(stack.url, `/ops/v1/badcarts/${tripId}/resolve`, { decision: 'MAYBE', operator: 'ops' }, ops)).status,
    ).toBe(400);
    const settled = await tripWithCart(stack, [item('SKU-003')]);
    await purchaseSettled(stack.db, settled.tripId);
    expect(
      (
        await post(
          stack.url,
          `/ops/v1/badcarts/${settled.tripId}/resolve`,
          { decision: 'WRITE_OFF', operator: 'ops' },
          ops,
        )
      ).status,
    ).toBe(409);
    expect(
      (
        await post(
          stack.url,
          `/ops/v1/badcarts/${randomUUID()}/resolve`,
          { decision: 'WRITE_OFF', operator: 'ops' },
          ops,
        )
      ).status,
    ).toBe(404);
    expect((await purchaseSettled(stack.db, tripId, ['BAD_CART'])).status).toBe('BAD_CART');
  });
});

test('when nobody decides before the deadline, then the configured default applies', async () => {
  const stack = await startTestStack({ env: { BAD_CART_DEADLINE: '2s', BAD_CART_DEFAULT_DECISION: 'CHARGE_KNOWN' } });
  try {
    await seedDemoStore(stack.db);
    const { tripId } = await tripWithCart(stack, [item('SKU-003'), item('SKU-NOPE')]);
    const purchase = await purchaseSettled(stack.db, tripId);
    expect(purchase).toMatchObject({ status: 'CAPTURED', total_minor: 599 });
    const [cart] = await stack.db.query<any>('SELECT decided_by, decision FROM bad_carts WHERE trip_id = $1', [tripId]);
    expect(cart).toMatchObject({ decided_by: 'deadline', decision: { decision: 'CHARGE_KNOWN' } });
  } finally {
    await stack.close();
  }
});

describe('declines and lost responses', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  test('when the capture is declined, then the debt is recorded, the gate refuses the shopper until it is settled', async () => {
    const shopper = await seedShopper(stack.db, { paymentToken: 'tok_decline_capture' });
    const { tripId } = await tripWithCart(stack, [item('SKU-003')], shopper);
    const purchase = await purchaseSettled(stack.db, tripId);
    expect(purchase).toMatchObject({ status: 'DEBT', total_minor: 599 });
    expect(purchase.receipt.payment).toEqual({ method: 'CARD', capturedMinor: 0, outstandingMinor: 599 });
    expect(await stack.db.query('SELECT amount_minor, reason FROM debts WHERE trip_id = $1', [tripId])).toEqual([
      { amount_minor: 599, reason: 'insufficient funds' },
    ]);
    // One decline, no retries.
    expect((await ledger(stack.db, tripId)).map((e) => [e.operation, e.outcome])).toEqual([['CAPTURE', 'DECLINED']]);

    const refused = await post(
      stack.url,
      '/v1/identity/identity-keys',
      identityKeysRequest(await rawScanKeyFor(stack.db, stack.config, shopper.shopperId)),
    );
    expect(refused).toMatchObject({ status: 401, body: { reason: 'UNPAID_DEBT' } });
    await expect(scanKeyFor(stack.db, stack.config, shopper.shopperId)).rejects.toThrow(/unpaid balance/);
    expect((await post(stack.url, `/ops/v1/shoppers/${shopper.shopperId}/settle`, {}, ops)).body.settled).toEqual([
      { tripId, amountMinor: 599 },
    ]);
    const again = await post(
      stack.url,
      '/v1/identity/identity-keys',
      identityKeysRequest(await scanKeyFor(stack.db, stack.config, shopper.shopperId)),
    );
    expect(again.status).toBe(200);
  });

  test('when the total is above the pre-auth and the adjustment is declined, then the pre-auth is captured and the rest is owed', async () => {
    const shopper = await seedShopper(stack.db, { paymentToken: 'tok_decline_increase' });
    const { tripId } = await tripWithCart(stack, [item('SKU-008', '3')], shopper);
    const purchase = await purchaseSettled(stack.db, tripId);
    expect(purchase).toMatchObject({ status: 'DEBT', total_minor: 5400 });
    expect(purchase.receipt.payment).toEqual({ method: 'CARD', capturedMinor: 5000, outstandingMinor: 400 });
    expect((await ledger(stack.db, tripId)).map((e) => [e.operation, e.outcome, e.amount_minor])).toEqual([
      ['ADJUST', 'DECLINED', 5400],
      ['CAPTURE', 'APPROVED', 5000],
    ]);
    expect(await stack.db.query('SELECT amount_minor FROM debts WHERE trip_id = $1', [tripId])).toEqual([
      { amount_minor: 400 },
    ]);
  });

  test('when the gateway loses responses, then the retries reuse the idempotency keys and money moves once', async () => {
    const shopper = await seedShopper(stack.db, { paymentToken: 'tok_timeout_once' });
    const { tripId, authEvent } = await tripWithCart(stack, [item('SKU-003')], shopper);
    expect(await purchaseSettled(stack.db, tripId)).toMatchObject({ status: 'CAPTURED', total_minor: 599 });
    expect((await ledger(stack.db, tripId)).map((e) => [e.operation, e.amount_minor])).toEqual([['CAPTURE', 599]]);
    expect(
      await stack.db.query('SELECT count(*)::int AS n FROM payment_ledger WHERE idempotency_key = $1', [
        `preauth:${authEvent.id}`,
      ]),
    ).toEqual([{ n: 1 }]);
  });
});

test('when the worker dies right after the capture went through, then a new worker finishes the purchase without capturing twice', async () => {
  let crash: (() => void) | null = null;
  const stack = await startTestStack({
    payments: (db) => {
      const real = createSimulatedGateway(db);
      const dying: PaymentGateway = {
        ...real,
        async capture(request) {
          const result = await real.capture(request);
          if (crash) {
            const die = crash;
            crash = null;
            die(); // the worker goes away before it can report the capture
            throw new GatewayUnavailableError('worker killed after the capture');
          }
          return result;
        },
      };
      return dying;
    },
  });
  try {
    await seedDemoStore(stack.db);
    crash = () => void stack.worker.stop();
    const { tripId } = await tripWithCart(stack, [item('SKU-003', '2')]);
    await eventually(async () => expect(crash).toBeNull());
    await stack.worker.running;
    const replacement = await startTestWorker({ db: stack.db, taskQueue: stack.taskQueue, client: stack.client });
    try {
      expect(await purchaseSettled(stack.db, tripId)).toMatchObject({ status: 'CAPTURED', total_minor: 1198 });
      const entries = await ledger(stack.db, tripId);
      expect(entries.filter((e) => e.operation === 'CAPTURE')).toEqual([
        expect.objectContaining({ amount_minor: 1198, outcome: 'APPROVED' }),
      ]);
      const result = await stack.client.workflow.getHandle(purchaseWorkflowId(tripId)).result();
      expect(result).toMatchObject({ status: 'CAPTURED', capturedMinor: 1198 });
    } finally {
      await replacement.stop();
    }
  } finally {
    await stack.close();
  }
});

describe('a POS that refuses the whole cart', () => {
  let refuse = true;
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({
      env: { BAD_CART_DEADLINE: '3s' },
      pos: (db) => {
        const real = builtInPos(db);
        return {
          price: async (request) =>
            refuse
              ? Promise.reject(new PosRejectedCart('POS refused the cart (422): loyalty account locked'))
              : real.price(request),
        };
      },
    });
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  test('when the POS refuses, then the cart waits for review; once the POS is fixed, charging prices it again', async () => {
    refuse = true;
    const { tripId } = await tripWithCart(stack, [item('SKU-003')]);
    await purchaseSettled(stack.db, tripId, ['BAD_CART']);
    const [cart] = await stack.db.query<any>('SELECT problems FROM bad_carts WHERE trip_id = $1', [tripId]);
    expect(cart.problems).toEqual([
      {
        lineId: '*',
        itemId: '*',
        reason: 'POS_REJECTED',
        detail: 'POS refused the cart (422): loyalty account locked',
      },
    ]);
    refuse = false;
    expect(
      (await post(stack.url, `/ops/v1/badcarts/${tripId}/resolve`, { decision: 'CHARGE_KNOWN', operator: 'ops' }, ops))
        .status,
    ).toBe(200);
    expect(await purchaseSettled(stack.db, tripId)).toMatchObject({ status: 'CAPTURED', total_minor: 599 });
  });

  test('when nobody decides before the deadline, then the purchase fails visibly instead of looping', async () => {
    refuse = true;
    const { tripId } = await tripWithCart(stack, [item('SKU-003')]);
    const failed = await purchaseSettled(stack.db, tripId, ['FAILED']);
    expect(failed.failure).toBe('the POS refused the cart and no decision came before the deadline');
    expect(await ledger(stack.db, tripId)).toEqual([]);
  });
});
