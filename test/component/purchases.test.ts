/**
 * The Ordering Connector over real HTTP with a real Temporal server and both databases:
 * each 201 case of jwo-api.md §2, idempotency under concurrent duplicates, and what the money did.
 * Expected totals are computed by hand from the demo catalog (src/tools/cli/demoStore.ts):
 * Cola 1.99 (GENERAL 8.25%, 3 for 5.00), Sandwich 5.99 (FOOD 0%), Bananas 1.49/lb (FOOD), Coffee 18.00 (FOOD).
 */
import { randomUUID } from 'node:crypto';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { DB_KINDS } from '../support/db';
import { enterStore, getJson, item, post, purchaseRequest, seedShopper } from '../support/fixtures';
import { authorizationsOf, ledger, preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';

const PATH = '/v1/order/purchases';

describe.each(DB_KINDS)('POST /v1/order/purchases (%s)', (dbKind) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ dbKind });
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  async function shopperInStore(overrides: Parameters<typeof seedShopper>[1] = {}) {
    const shopper = await seedShopper(stack.db, overrides);
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    if (shopper.visitorType === 'SHOPPER') await preAuthPlaced(stack.db, authEvent.id);
    return { shopper, authEvent };
  }

  async function buy(cartItems: unknown[], overrides: Record<string, unknown> = {}) {
    const { shopper, authEvent } = await shopperInStore();
    const request = purchaseRequest([authEvent], cartItems, overrides);
    const response = await post(stack.url, PATH, request);
    expect(response.status).toBe(201);
    const purchase = await purchaseSettled(stack.db, request.idempotentShoppingTripId);
    return {
      shopper,
      authEvent,
      request,
      response,
      purchase,
      ledger: await ledger(stack.db, request.idempotentShoppingTripId),
    };
  }

  const captured = (entries: { operation: string; outcome: string; amount_minor: number }[]) =>
    entries
      .filter((e) => e.operation === 'CAPTURE' && e.outcome === 'APPROVED')
      .reduce((t, e) => t + e.amount_minor, 0);

  test('when a single item is bought, then 201 with a purchaseId and its price is captured against the pre-auth', async () => {
    const { response, purchase, ledger: entries } = await buy([item('SKU-003')]);
    expect(response.body.purchaseId).toMatch(/^P-[0-9a-f-]{36}$/);
    expect(purchase).toMatchObject({ status: 'CAPTURED', total_minor: 599, purchase_id: response.body.purchaseId });
    expect(entries.map((e) => [e.operation, e.outcome, e.amount_minor])).toEqual([['CAPTURE', 'APPROVED', 599]]);
  });

  test('when several items with a multi-buy promotion and tax are bought, then the receipt adds up and the total is captured', async () => {
    const { purchase, ledger: entries } = await buy([item('SKU-001', '3'), item('SKU-003')]);
    // Colas: 3 for 5.00 → 500, tax 8.25% → 41; sandwich 599, tax-free.
    expect(purchase.total_minor).toBe(500 + 41 + 599);
    expect(purchase.receipt.savingsMinor).toBe(3 * 199 - 500);
    expect(purchase.receipt.taxMinor).toBe(41);
    expect(purchase.receipt.promotionsApplied).toEqual([
      { promotionId: 'PROMO-DRINKS-3FOR5', name: 'Drinks: 3 for $5.00', amountMinor: 97 },
    ]);
    expect(purchase.receipt.lines.reduce((t: number, l: any) => t + l.totalMinor, 0)).toBe(purchase.total_minor);
    expect(captured(entries)).toBe(1140);
  });

  test('when a weighed item is bought, then it is priced per unit of weight', async () => {
    const { purchase } = await buy([item('SKU-005', '1.5', 'lb')]);
    expect(purchase.total_minor).toBe(224); // 1.5 lb × 1.49 = 2.235 → 2.24 (half up)
  });

  test('when items come as SCANCODE or with externalIdentifiers, then they are resolved through the catalog barcodes', async () => {
    const { purchase } = await buy([
      { id: '071800000125', type: 'SCANCODE', quantity: { value: '1', unit: 'unit' } },
      item('RETAILER-OLD-SKU', '1.0', 'unit', { externalIdentifiers: [{ id: '071800000125', type: 'UPC' }] }),
    ]);
    expect(purchase).toMatchObject({ status: 'CAPTURED', total_minor: 2 * 599 });
  });

  test('when lineItemIds are given, then the receipt lines carry them', async () => {
    const { purchase } = await buy([
      item('SKU-003', '1', 'unit', { lineItemId: 'L-A' }),
      item('SKU-003', '1', 'unit', { lineItemId: 'L-B' }),
    ]);
    expect(purchase.receipt.lines.map((l: any) => l.lineId)).toEqual(['L-A', 'L-B']);
  });

  test('when optional fields are present or omitted, then both are accepted', async () => {
    const withAll = await buy([item('SKU-003')], {
      shopperIdentity: { id: 'shopper-x' },
      shopperDeviceId: 'device-1',
      paymentSource: { id: 'ps-1' },
    });
    expect(withAll.purchase.status).toBe('CAPTURED');
  });

  test('when the total exceeds the pre-auth, then the authorization is adjusted and the whole total captured', async () => {
    const { purchase, ledger: entries } = await buy([item('SKU-008', '3')]);
    expect(purchase.total_minor).toBe(5400);
    expect(entries.map((e) => e.operation)).toEqual(['ADJUST', 'CAPTURE']);
    expect(captured(entries)).toBe(5400);
  });

  test('when the cart is empty, then 201 with an empty purchaseId and the pre-auth is voided', async () => {
    const { shopper, authEvent } = await shopperInStore();
    const request = purchaseRequest([authEvent], []);
    expect(await post(stack.url, PATH, request)).toEqual({ status: 201, body: { purchaseId: '' } });
    const purchase = await purchaseSettled(stack.db, request.idempotentShoppingTripId);
    expect(purchase).toMatchObject({ status: 'EMPTY', shopper_id: shopper.shopperId });
    const [auth] = await authorizationsOf(stack.db, authEvent.id);
    expect(auth.status).toBe('VOIDED');
  });

  test('when a group trip has several auth events, then the first shopper pays once and the other pre-auths are voided', async () => {
    const payer = await shopperInStore();
    const guest = await shopperInStore();
    const request = purchaseRequest(
      [payer.authEvent, { ...guest.authEvent, location: 'MANUAL_IN_STORE' }],
      [item('SKU-003', '2')],
    );
    expect((await post(stack.url, PATH, request)).status).toBe(201);
    const purchase = await purchaseSettled(stack.db, request.idempotentShoppingTripId);
    expect(purchase).toMatchObject({ status: 'CAPTURED', total_minor: 1198, shopper_id: payer.shopper.shopperId });
    expect((await authorizationsOf(stack.db, payer.authEvent.id))[0]).toMatchObject({
      status: 'CAPTURED',
      captured_minor: 1198,
    });
    expect((await authorizationsOf(stack.db, guest.authEvent.id))[0].status).toBe('VOIDED');
  });

  test('when an associate or a cash shopper leaves with items, then the cart is priced and recorded without a card charge', async () => {
    for (const [visitorType, status] of [
      ['ASSOCIATE', 'NOT_CHARGED'],
      ['CASH_SHOPPER', 'CASH_DUE'],
    ] as const) {
      const { authEvent } = await shopperInStore({ visitorType, paymentToken: null, paymentExpiry: null });
      const request = purchaseRequest([{ ...authEvent, payloadType: 'SCAN_CODE' }], [item('SKU-003')]);
      expect((await post(stack.url, PATH, request)).status).toBe(201);
      const purchase = await purchaseSettled(stack.db, request.idempotentShoppingTripId);
      expect(purchase).toMatchObject({ status, total_minor: 599 });
      expect(await ledger(stack.db, request.idempotentShoppingTripId)).toEqual([]);
    }
  });

  test("when a FINANCIAL auth event of a shopper never seen at our gate comes, then nobody is charged on the body's word: the cart waits for review", async () => {
    const shopper = await seedShopper(stack.db);
    const authEvent = {
      id: randomUUID(),
      timestamp: new Date().toISOString(),
      location: 'ENTRY',
      payloadType: 'FINANCIAL',
      scanResult: { id: shopper.shopperId, type: 'SHOPPER' },
    };
    const request = purchaseRequest([authEvent], [item('SKU-003')]);
    expect((await post(stack.url, PATH, request)).status).toBe(201);
    // The payer must be a shopper this connector admitted (a recorded 200); the scanResult alone names nobody.
    expect(await purchaseSettled(stack.db, request.idempotentShoppingTripId, ['BAD_CART'])).toMatchObject({
      status: 'BAD_CART',
    });
    const [cart] = await stack.db.query<any>('SELECT problems FROM bad_carts WHERE trip_id = $1', [
      request.idempotentShoppingTripId,
    ]);
    expect(cart.problems).toEqual([expect.objectContaining({ reason: 'NO_ADMITTED_PAYER' })]);
    expect(await ledger(stack.db, request.idempotentShoppingTripId)).toEqual([]);
  });

  test('when Amazon delivers the same trip concurrently and again after it finished, then every answer is the same and money moves once', async () => {
    const { authEvent } = await shopperInStore();
    const request = purchaseRequest([authEvent], [item('SKU-001', '2')]);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post(stack.url, PATH, { ...request, requestId: randomUUID() })),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].status).toBe(201);
    await purchaseSettled(stack.db, request.idempotentShoppingTripId);
    expect(await post(stack.url, PATH, { ...request, requestId: randomUUID() })).toEqual(answers[0]);
    const entries = await ledger(stack.db, request.idempotentShoppingTripId);
    expect(entries.filter((e) => e.operation === 'CAPTURE')).toHaveLength(1);
    expect(captured(entries)).toBe(2 * 199 + 33); // 3.98 + 8.25% tax (32.835 → 33)
  });

  test('when a trip id is reused for a different cart, then 409 and nothing changes', async () => {
    const { request, response } = await buy([item('SKU-003')]);
    const conflict = await post(stack.url, PATH, { ...request, requestId: randomUUID(), cartItems: [item('SKU-001')] });
    expect(conflict.status).toBe(409);
    expect(conflict.body.errors).toEqual([
      { field: 'idempotentShoppingTripId', reason: 'was already used with a different request' },
    ]);
    expect((await getJson(stack.url, `/v1/purchases/${response.body.purchaseId}`)).body).toMatchObject({
      status: 'CAPTURED',
      totalMinor: 599,
    });
  });

  test('when an operator reads a purchase by purchaseId, then the itemized receipt and ledger are shown, and only with the operator key', async () => {
    const { response } = await buy([item('SKU-001', '3')]);
    const shown = await getJson(stack.url, `/v1/purchases/${response.body.purchaseId}`);
    expect(shown.status).toBe(200);
    expect(shown.body.receipt).toMatchObject({
      totalMinor: 541,
      taxMinor: 41,
      savingsMinor: 97,
      payment: { method: 'CARD', capturedMinor: 541, outstandingMinor: 0 },
    });
    expect(shown.body.ledger.map((e: any) => e.operation)).toEqual(['CAPTURE']);
    expect((await getJson(stack.url, `/v1/purchases/${response.body.purchaseId}`, {})).status).toBe(401);
  });
});
