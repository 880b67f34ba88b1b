/**
 * The connector's payment ledger, refunds and the ledger audit, over real HTTP with a real
 * Temporal server (PGlite): every gateway call recorded with its key, a reused key with other
 * parameters refused, refunds idempotent and bounded by what was captured, on the receipt, in the
 * ledger and the audit log; `jwo ledger audit` clean after real purchases and loud on a tampered ledger.
 */
import { randomUUID } from 'node:crypto';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { createLedgeredPayments } from '../../src/adapters/payments/ledger';
import { createSimulatedGateway } from '../../src/adapters/payments/simulatedGateway';
import { IdempotencyKeyReused, type PaymentGateway } from '../../src/adapters/payments/paymentGateway';
import { enterStore, getJson, item, post, purchaseRequest, seedShopper } from '../support/fixtures';
import { ledger, preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';

const OPERATOR = { 'x-operator-key': 'demo-operator-key' };

describe('payment ledger, refunds and the ledger audit', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  async function buy(cartItems: unknown[]) {
    const shopper = await seedShopper(stack.db);
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    await preAuthPlaced(stack.db, authEvent.id);
    const request = purchaseRequest([authEvent], cartItems);
    expect((await post(stack.url, '/v1/order/purchases', request)).status).toBe(201);
    const tripId = request.idempotentShoppingTripId;
    return { tripId, shopper, purchase: await purchaseSettled(stack.db, tripId) };
  }

  const refund = (tripId: string, body: unknown) =>
    post(stack.url, `/ops/v1/purchases/${encodeURIComponent(tripId)}/refunds`, body, OPERATOR);

  test('when the same key comes back with another amount, then the ledger refuses it; with the same, it answers from the ledger', async () => {
    let calls = 0;
    const simulated = createSimulatedGateway(stack.db);
    const counting: PaymentGateway = {
      ...simulated,
      authorize: (r) => {
        calls++;
        return simulated.authorize(r);
      },
    };
    const payments = createLedgeredPayments(stack.db, counting);
    const shopper = await seedShopper(stack.db);
    const request = {
      idempotencyKey: `preauth:${randomUUID()}`,
      shopperId: shopper.shopperId,
      storeId: 'STORE-001',
      authEventId: randomUUID(),
      paymentToken: 'tok_visa',
      amountMinor: 5000,
      currency: 'USD',
    };
    const first = await payments.authorize(request);
    expect(first.outcome).toBe('APPROVED');
    expect(await payments.authorize(request)).toEqual(first);
    expect(calls).toBe(1);
    await expect(payments.authorize({ ...request, amountMinor: 6000 })).rejects.toThrow(IdempotencyKeyReused);
    await expect(payments.authorize({ ...request, currency: 'EUR' })).rejects.toThrow(/currency/);
    const [entry] = await stack.db.query<any>('SELECT * FROM payment_ledger WHERE idempotency_key = $1', [
      request.idempotencyKey,
    ]);
    expect(entry).toMatchObject({ operation: 'AUTHORIZE', outcome: 'APPROVED', gateway: 'simulated', currency: 'USD' });
    expect(Number(entry.amount_minor)).toBe(5000);
  });

  test('when a capture is declined, then the ledger records the typed decline code', async () => {
    const shopper = await seedShopper(stack.db, { paymentToken: 'tok_decline_capture' });
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    await preAuthPlaced(stack.db, authEvent.id);
    const request = purchaseRequest([authEvent], [item('SKU-003')]);
    await post(stack.url, '/v1/order/purchases', request);
    await purchaseSettled(stack.db, request.idempotentShoppingTripId);
    const entries = await stack.db.query<any>(
      "SELECT operation, decline_code FROM payment_ledger WHERE trip_id = $1 AND outcome = 'DECLINED'",
      [request.idempotentShoppingTripId],
    );
    expect(entries).toContainEqual({ operation: 'CAPTURE', decline_code: 'INSUFFICIENT_FUNDS' });
  });

  test('when a line is refunded twice with the same request, then it is refunded once; the rest refunds the whole; never more than captured', async () => {
    const { tripId, purchase } = await buy([item('SKU-003', '2')]); // 2 × 5.99
    expect(purchase.status).toBe('CAPTURED');
    const lineId = purchase.receipt.lines[0].lineId;

    const first = await refund(tripId, { lines: [{ lineId, quantity: '1' }], reason: 'damaged item' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'REFUNDED', refundedMinor: 599, repeated: false });
    const again = await refund(tripId, { lines: [{ lineId, quantity: '1' }], reason: 'damaged item (retyped)' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ refundId: first.body.refundId, refundedMinor: 599, repeated: true });

    const tooMuch = await refund(tripId, { amount: '6.00', reason: 'goodwill' });
    expect(tooMuch.status).toBe(409);
    const rest = await refund(tripId, { reason: 'store closed the trip' });
    expect(rest.body).toMatchObject({ status: 'REFUNDED', refundedMinor: 599 });
    expect((await refund(tripId, { amount: '0.01', reason: 'more' })).status).toBe(409);

    const moves = (await ledger(stack.db, tripId)).filter((e) => e.outcome === 'APPROVED');
    expect(moves.map((e) => [e.operation, Number(e.amount_minor)])).toEqual([
      ['CAPTURE', 1198],
      ['REFUND', 599],
      ['REFUND', 599],
    ]);
    const shown = await getJson(stack.url, `/ops/v1/purchases/${tripId}`);
    expect(shown.body.receipt.refunds).toEqual([
      expect.objectContaining({
        amountMinor: 599,
        reason: 'damaged item',
        lines: [{ lineId, quantity: '1', amountMinor: 599 }],
      }),
      expect.objectContaining({ amountMinor: 599, reason: 'store closed the trip', lines: [] }),
    ]);
    const audit = await getJson(stack.url, `/ops/v1/audit?trip=${tripId}`);
    expect(audit.body.entries.filter((e: any) => e.action === 'purchase.refund')).toHaveLength(2);
  });

  test('when a refund asks for more of a line than was bought, or for lines and an amount together, then it is refused', async () => {
    const { tripId, purchase } = await buy([item('SKU-003')]);
    const lineId = purchase.receipt.lines[0].lineId;
    expect((await refund(tripId, { lines: [{ lineId, quantity: '2' }], reason: 'x' })).status).toBe(409);
    expect((await refund(tripId, { lines: [{ lineId, quantity: '1' }], amount: '1', reason: 'x' })).status).toBe(400);
    expect((await refund(tripId, { lines: [{ lineId: 'nope', quantity: '1' }], reason: 'x' })).status).toBe(400);
    expect((await refund(tripId, { amount: '1' })).status).toBe(400);
  });

  test('when purchases settled normally, then the ledger audit is clean; a tampered ledger is reported', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const { tripId } = await buy([item('SKU-001')]);
    const clean = await getJson(stack.url, `/ops/v1/ledger/audit?since=${encodeURIComponent(since)}`);
    expect(clean.status).toBe(200);
    expect(clean.body.violations).toEqual([]);
    expect(clean.body.tripsChecked).toBeGreaterThan(0);

    await stack.db.query(
      `INSERT INTO payment_ledger (idempotency_key, operation, outcome, shopper_id, trip_id, amount_minor, currency, payment_id)
       VALUES ($1, 'CHARGE', 'APPROVED', 'x', $2, 100, 'USD', $3)`,
      [`charge-again:${tripId}`, tripId, `sale_${randomUUID()}`],
    );
    const dirty = await getJson(stack.url, `/ops/v1/ledger/audit?since=${encodeURIComponent(since)}`);
    expect(dirty.body.clean).toBe(false);
    expect(dirty.body.violations).toContainEqual(expect.objectContaining({ kind: 'TOTAL_MISMATCH', tripId }));
    await stack.db.query('DELETE FROM payment_ledger WHERE idempotency_key = $1', [`charge-again:${tripId}`]);
  });
});
