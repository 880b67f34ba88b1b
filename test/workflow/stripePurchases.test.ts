/**
 * Entry and purchase workflows with the Stripe gateway (PAYMENT_GATEWAY=stripe) against the stateful
 * Stripe stand-in (test/support/stripeStandIn.ts): shoppers save their card through the SetupIntent
 * flow, the gate's pre-auth is a manual-capture PaymentIntent, and each purchase moves exactly the
 * money its receipt says, checked in the stand-in's own state (status, amount, amount_capturable,
 * amount_received, refunds), not only in the connector's ledger.
 */
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { createStripeGateway } from '../../src/adapters/payments/stripeGateway';
import { paymentCustomerOf } from '../../src/adapters/payments/fromConfig';
import { auditLedger } from '../../src/application/auditLedger';
import { enterStore, item, post, purchaseRequest } from '../support/fixtures';
import { authorizationsOf, ledger, preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';
import { startStripeStandIn, type StandInIntent, type StripeStandIn } from '../support/stripeStandIn';
import { eventually } from '../support/eventually';

const PURCHASES = '/v1/order/purchases';
const APP_BACKEND = { 'x-app-backend-key': 'demo-app-backend-key' };
const OPERATOR = { 'x-operator-key': 'demo-operator-key' };
const PREAUTH = 5000;

describe('purchases with the Stripe gateway', () => {
  let standIn: StripeStandIn;
  let stack: TestStack;
  let n = 0;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    const env = { PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: 'sk_test_standin', STRIPE_API_BASE: standIn.url };
    stack = await startTestStack({
      env,
      payments: (db) =>
        createStripeGateway({
          secretKey: env.STRIPE_SECRET_KEY,
          apiBase: standIn.url,
          customerOf: (shopperId) => paymentCustomerOf(db, shopperId),
        }),
    });
    await seedDemoStore(stack.db);
  });
  afterAll(async () => {
    await stack?.close();
    await standIn?.close();
  });

  async function appBackend(method: string, path: string, body?: unknown) {
    const response = await fetch(stack.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...APP_BACKEND },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer as any;
  }

  /** Saves a card the way the app does: a SetupIntent from the connector, confirmed with Stripe's SDK, attached. */
  async function saveCard(shopperId: string, testPaymentMethod: string): Promise<{ customerId: string; pm: string }> {
    const { setupIntentId, customerId } = await appBackend(
      'POST',
      `/app-backend/v1/shoppers/${shopperId}/payment-method/setup-intents`,
    );
    const confirmed = await fetch(`${standIn.url}/v1/setup_intents/${setupIntentId}/confirm`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_app', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ payment_method: testPaymentMethod }).toString(),
    });
    expect(confirmed.status).toBe(200);
    const shopper = await appBackend('PUT', `/app-backend/v1/shoppers/${shopperId}/payment-method`, {
      type: 'STRIPE_SETUP_INTENT',
      setupIntentId,
    });
    return { customerId, pm: shopper.paymentMethod.paymentMethodId };
  }

  async function stripeShopper(testPaymentMethod: string) {
    const shopperId = `stripe-shopper-${Date.now()}-${n++}`;
    await appBackend('POST', '/app-backend/v1/shoppers', { shopperId, displayName: 'Stripe Shopper' });
    return { shopperId, ...(await saveCard(shopperId, testPaymentMethod)) };
  }

  async function enter(shopperId: string) {
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopperId);
    const auth = await preAuthPlaced(stack.db, authEvent.id);
    return { authEvent, auth };
  }

  async function checkout(authEvent: unknown, cart: unknown[]) {
    const request = purchaseRequest([authEvent], cart);
    expect((await post(stack.url, PURCHASES, request)).status).toBe(201);
    const tripId = request.idempotentShoppingTripId as string;
    return { tripId, purchase: await purchaseSettled(stack.db, tripId) };
  }

  /** The pre-auth PaymentIntent the stand-in holds for this auth event (exactly one). */
  function preAuthIntent(authEventId: string): StandInIntent {
    const found = standIn.intentsWith('auth_event_id', authEventId);
    expect(found).toHaveLength(1);
    return found[0];
  }

  const directCharges = (tripId: string) =>
    standIn.intentsWith('trip_id', tripId).filter((i) => i.capture_method === 'automatic');

  let capturedTrip: { tripId: string; intentId: string };

  test('entry pre-auth, then the purchase captures exactly its total and the rest is released', async () => {
    const shopper = await stripeShopper('pm_card_visa');
    const { authEvent, auth } = await enter(shopper.shopperId);
    const held = preAuthIntent(authEvent.id);
    expect(auth).toMatchObject({ authorization_id: held.id, status: 'AUTHORIZED' });
    expect(held).toMatchObject({
      status: 'requires_capture',
      capture_method: 'manual',
      amount: PREAUTH,
      amount_capturable: PREAUTH,
      amount_received: 0,
      customer: shopper.customerId,
      payment_method: shopper.pm,
    });
    const create = standIn.requests.find(
      (r) => r.path === '/v1/payment_intents' && r.params.metadata?.auth_event_id === authEvent.id,
    )!;
    expect(create.idempotencyKey).toBe(`preauth:${authEvent.id}`);
    expect(create.params.payment_method_options).toEqual({
      card: { request_incremental_authorization: 'if_available' },
    });

    const { tripId, purchase } = await checkout(authEvent, [item('SKU-003')]);
    expect(purchase).toMatchObject({ status: 'CAPTURED', total_minor: 599 });
    expect(standIn.intents.get(held.id)).toMatchObject({
      status: 'succeeded',
      amount: PREAUTH,
      amount_capturable: 0,
      amount_received: 599,
    });
    expect(directCharges(tripId)).toEqual([]);
    const capture = standIn.requests.filter((r) => r.path === `/v1/payment_intents/${held.id}/capture`);
    expect(capture.map((r) => [r.idempotencyKey, r.params.amount_to_capture, r.status])).toEqual([
      [`capture:${tripId}:${held.id}`, '599', 200],
    ]);
    expect((await ledger(stack.db, tripId)).map((e) => [e.operation, e.outcome, Number(e.amount_minor)])).toEqual([
      ['CAPTURE', 'APPROVED', 599],
    ]);
    capturedTrip = { tripId, intentId: held.id };
  });

  test('a total above the pre-auth raises the authorization (incremental auth) and captures the whole total', async () => {
    const shopper = await stripeShopper('pm_card_visa');
    const { authEvent } = await enter(shopper.shopperId);
    const { tripId, purchase } = await checkout(authEvent, [item('SKU-008', '3')]);
    const total = Number(purchase.total_minor);
    expect(total).toBeGreaterThan(PREAUTH);
    expect(purchase.status).toBe('CAPTURED');
    const held = standIn.intents.get(preAuthIntent(authEvent.id).id)!;
    expect(held).toMatchObject({ status: 'succeeded', amount: total, amount_received: total, amount_capturable: 0 });
    expect(held.increments).toEqual([total]);
    expect(directCharges(tripId)).toEqual([]);
  });

  test('a total above the pre-auth on a card that cannot be raised: the pre-auth is captured and the rest charged', async () => {
    const shopper = await stripeShopper('pm_card_discover');
    const { authEvent } = await enter(shopper.shopperId);
    const { tripId, purchase } = await checkout(authEvent, [item('SKU-008', '3')]);
    const total = Number(purchase.total_minor);
    expect(purchase.status).toBe('CAPTURED');
    const held = standIn.intents.get(preAuthIntent(authEvent.id).id)!;
    expect(held).toMatchObject({ status: 'succeeded', amount: PREAUTH, amount_received: PREAUTH });
    expect(held.increments).toEqual([]);
    const rest = directCharges(tripId);
    expect(rest.map((i) => [i.status, i.amount, i.amount_received, i.payment_method])).toEqual([
      ['succeeded', total - PREAUTH, total - PREAUTH, shopper.pm],
    ]);
    const charge = standIn.requests.find(
      (r) => r.path === '/v1/payment_intents' && r.params.metadata?.trip_id === tripId,
    )!;
    expect(charge.idempotencyKey).toBe(`charge-rest:${tripId}`);
  });

  test('an empty cart voids the pre-auth: the intent is canceled and nothing was received', async () => {
    const shopper = await stripeShopper('pm_card_visa');
    const { authEvent } = await enter(shopper.shopperId);
    const { tripId, purchase } = await checkout(authEvent, []);
    expect(purchase.status).toBe('EMPTY');
    const held = await eventually(async () => {
      const intent = standIn.intents.get(preAuthIntent(authEvent.id).id)!;
      if (intent.status !== 'canceled') throw new Error(`pre-auth is ${intent.status}`);
      return intent;
    });
    expect(held).toMatchObject({ amount_received: 0, amount_capturable: 0, cancellation_reason: 'abandoned' });
    expect(directCharges(tripId)).toEqual([]);
    const [auth] = await authorizationsOf(stack.db, authEvent.id);
    expect(auth.status).toBe('VOIDED');
  });

  test('a declined pre-auth (insufficient funds), a new card saved, then the purchase charges it directly', async () => {
    const shopper = await stripeShopper('pm_card_chargeDeclinedInsufficientFunds');
    const { authEvent, auth } = await enter(shopper.shopperId);
    expect(auth.status).toBe('DECLINED');
    const declined = preAuthIntent(authEvent.id);
    expect(declined).toMatchObject({
      status: 'requires_payment_method',
      amount_received: 0,
      last_payment_error: expect.objectContaining({ code: 'card_declined', decline_code: 'insufficient_funds' }),
    });
    const [preauthEntry] = await stack.db.query<any>(
      'SELECT outcome, decline_code FROM payment_ledger WHERE idempotency_key = $1',
      [`preauth:${authEvent.id}`],
    );
    expect(preauthEntry).toEqual({ outcome: 'DECLINED', decline_code: 'INSUFFICIENT_FUNDS' });

    const replaced = await saveCard(shopper.shopperId, 'pm_card_visa');
    expect(replaced.customerId).toBe(shopper.customerId);
    const { tripId, purchase } = await checkout(authEvent, [item('SKU-003')]);
    expect(purchase).toMatchObject({ status: 'CAPTURED', total_minor: 599 });
    expect(directCharges(tripId).map((i) => [i.status, i.amount_received, i.payment_method, i.customer])).toEqual([
      ['succeeded', 599, replaced.pm, shopper.customerId],
    ]);
    expect(standIn.intents.get(declined.id)!.status).toBe('requires_payment_method');
  });

  test('a refund is a Stripe Refund of the captured PaymentIntent, for exactly the amount, once per request', async () => {
    const { tripId, intentId } = capturedTrip;
    const body = { amount: '2.00', reason: 'damaged item' };
    const path = `/ops/v1/purchases/${encodeURIComponent(tripId)}/refunds`;
    const first = await post(stack.url, path, body, OPERATOR);
    expect(first.body).toMatchObject({ status: 'REFUNDED', refundedMinor: 200 });
    const again = await post(stack.url, path, body, OPERATOR);
    expect(again.body).toMatchObject({ refundedMinor: 200, repeated: true });
    const refunds = [...standIn.refunds.values()].filter((r) => r.payment_intent === intentId);
    expect(refunds.map((r) => [r.amount, r.status])).toEqual([[200, 'succeeded']]);
    expect(standIn.intents.get(intentId)!.refunded).toBe(200);
    // More than is left on the payment is refused by the connector before Stripe sees it.
    expect((await post(stack.url, path, { amount: '5.00', reason: 'too much' }, OPERATOR)).status).toBe(409);
    expect([...standIn.refunds.values()].filter((r) => r.payment_intent === intentId)).toHaveLength(1);
  });

  test('at the end the ledger audit is clean and the stand-in holds exactly the money the ledger says moved', async () => {
    await eventually(async () => {
      const held = [...standIn.intents.values()].filter((i) => i.status === 'requires_capture');
      if (held.length) throw new Error(`still held: ${held.map((i) => i.id).join(', ')}`);
    });
    const audit = await auditLedger(stack.db, { graceMs: 0 });
    expect(audit.violations).toEqual([]);
    expect(audit.tripsChecked).toBeGreaterThanOrEqual(5);
    const [{ moved }] = await stack.db.query<{ moved: string }>(
      `SELECT coalesce(sum(CASE WHEN operation = 'REFUND' THEN -amount_minor ELSE amount_minor END), 0) AS moved
         FROM payment_ledger WHERE outcome = 'APPROVED' AND operation IN ('CAPTURE', 'CHARGE', 'REFUND')`,
    );
    const atStripe = [...standIn.intents.values()].reduce((s, i) => s + i.amount_received - i.refunded, 0);
    expect(atStripe).toBe(Number(moved));
    // No key ever meant two things at Stripe.
    expect(standIn.requests.filter((r) => r.status === 400 && r.params && r.idempotencyKey)).toEqual([]);
  });
});

describe('the Stripe stand-in’s idempotency, as Stripe does it', () => {
  let standIn: StripeStandIn;
  beforeAll(async () => {
    standIn = await startStripeStandIn();
  });
  afterAll(() => standIn?.close());

  test('the same key answers the first answer (also a decline); the same key with other parameters is an idempotency_error', async () => {
    const gateway = createStripeGateway({
      secretKey: 'sk_test_standin',
      apiBase: standIn.url,
      customerOf: async () => 'cus_standin',
    });
    const request = {
      idempotencyKey: 'preauth:idem-1',
      shopperId: 's',
      storeId: 'STORE-001',
      authEventId: 'idem-1',
      paymentToken: 'pm_card_visa',
      amountMinor: 5000,
      currency: 'USD',
    };
    const first = await gateway.authorize(request);
    const again = await gateway.authorize(request);
    expect(again).toEqual(first);
    expect(standIn.intents.size).toBe(1);
    expect(standIn.requests.map((r) => r.replayed)).toEqual([false, true]);
    await expect(gateway.authorize({ ...request, amountMinor: 6000 })).rejects.toThrow(
      /idempotency key with other parameters/,
    );
    expect(standIn.requests[2]).toMatchObject({ status: 400 });

    const declined = {
      ...request,
      idempotencyKey: 'preauth:idem-2',
      paymentToken: 'pm_card_chargeDeclinedInsufficientFunds',
    };
    expect(await gateway.authorize(declined)).toMatchObject({ outcome: 'DECLINED', code: 'INSUFFICIENT_FUNDS' });
    expect(await gateway.authorize(declined)).toMatchObject({ outcome: 'DECLINED', code: 'INSUFFICIENT_FUNDS' });
    expect(standIn.intents.size).toBe(2);
  });
});
