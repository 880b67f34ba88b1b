/**
 * Enrollment with Stripe (PAYMENT_GATEWAY=stripe): the connector creates the shopper's Customer once
 * and a SetupIntent (usage off_session), the app confirms it with Stripe's SDK, and the connector
 * reads the saved PaymentMethod back from Stripe and keeps its ids only. The calls are checked
 * against stripe-mock (valid requests, answers the SDK parses); the flow and the stored ids against
 * the stateful stand-in (test/support/stripeStandIn.ts); each gateway refuses the other's methods.
 */
import { createStripeSetup } from '../../src/adapters/payments/stripeSetup';
import { SIMULATED_PAYMENT_METHODS } from '../../src/adapters/payments/fromConfig';
import { attachPaymentMethod, startPaymentMethodSetup } from '../../src/application/shopperEnrollment';
import { InvalidRequest, StateConflict } from '../../src/application/errors';
import { startTestStack, type TestStack } from '../support/stack';
import { startStripeStandIn, type StripeStandIn } from '../support/stripeStandIn';

const APP_BACKEND = { 'x-app-backend-key': 'demo-app-backend-key' };

async function call(url: string, method: string, path: string, body?: unknown) {
  const response = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...APP_BACKEND },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

describe('Stripe enrollment calls against stripe-mock', () => {
  const setup = createStripeSetup({ secretKey: 'sk_test_123', apiBase: process.env.JWO_TEST_STRIPE_MOCK_URL! });

  test('a Customer, a SetupIntent with its client secret, and the SetupIntent read back with its payment method expanded', async () => {
    const customerId = await setup.createCustomer('shopper-1', 'Ada');
    expect(customerId).toMatch(/^cus_/);
    const intent = await setup.createSetupIntent(customerId, 'shopper-1');
    expect(intent).toEqual({ setupIntentId: expect.stringMatching(/^seti_/), clientSecret: expect.any(String) });
    const read = await setup.readSetupIntent(intent.setupIntentId);
    // stripe-mock answers a canned SetupIntent: parsed, with its status and usage.
    expect(read).toMatchObject({ setupIntentId: expect.stringMatching(/^seti_/), status: expect.any(String) });
    expect(read!.usage).toEqual(expect.any(String));
  });
});

describe('Stripe enrollment through the app backend API', () => {
  let standIn: StripeStandIn;
  let stack: TestStack;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    stack = await startTestStack({
      env: { PAYMENT_GATEWAY: 'stripe', STRIPE_SECRET_KEY: 'sk_test_standin', STRIPE_API_BASE: standIn.url },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await standIn?.close();
  });

  /** What the app does with the client secret: Stripe's SDK confirms the SetupIntent with the card. */
  async function confirmAsTheApp(setupIntentId: string, testPaymentMethod: string) {
    const response = await fetch(`${standIn.url}/v1/setup_intents/${setupIntentId}/confirm`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk_test_app', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ payment_method: testPaymentMethod }).toString(),
    });
    expect(response.status).toBe(200);
  }

  test('a card is saved through a SetupIntent: the customer and payment method ids are stored, never card data', async () => {
    const shopperId = `stripe-${Date.now()}`;
    expect((await call(stack.url, 'POST', '/app-backend/v1/shoppers', { shopperId, displayName: 'Ada' })).status).toBe(
      201,
    );
    const created = await call(stack.url, 'POST', `/app-backend/v1/shoppers/${shopperId}/payment-method/setup-intents`);
    expect(created.status).toBe(201);
    const { setupIntentId, clientSecret, customerId } = created.body;
    const setupIntent = standIn.setupIntents.get(setupIntentId);
    expect(setupIntent).toMatchObject({ customer: customerId, usage: 'off_session', client_secret: clientSecret });
    expect(standIn.customers.get(customerId)).toMatchObject({ metadata: { shopper_id: shopperId }, name: 'Ada' });

    // Not confirmed yet: nothing to attach.
    const early = await call(stack.url, 'PUT', `/app-backend/v1/shoppers/${shopperId}/payment-method`, {
      type: 'STRIPE_SETUP_INTENT',
      setupIntentId,
    });
    expect(early.status).toBe(409);

    await confirmAsTheApp(setupIntentId, 'pm_card_visa');
    const attached = await call(stack.url, 'PUT', `/app-backend/v1/shoppers/${shopperId}/payment-method`, {
      type: 'STRIPE_SETUP_INTENT',
      setupIntentId,
    });
    expect(attached.status).toBe(200);
    const savedPm = standIn.setupIntents.get(setupIntentId).payment_method as string;
    expect(savedPm).toMatch(/^pm_/);
    expect(savedPm).not.toBe('pm_card_visa');
    const year = new Date().getUTCFullYear() + 3;
    expect(attached.body.paymentMethod).toEqual({
      type: 'STRIPE_PAYMENT_METHOD',
      paymentMethodId: savedPm,
      customerId,
      expiry: `${year}-12`,
    });
    const [row] = await stack.db.query<any>(
      'SELECT payment_customer_id, payment_token, payment_expiry FROM shoppers WHERE shopper_id = $1',
      [shopperId],
    );
    expect(row).toEqual({ payment_customer_id: customerId, payment_token: savedPm, payment_expiry: `${year}-12` });

    // A second SetupIntent (a card replaced) reuses the customer: one Customer per shopper.
    const again = await call(stack.url, 'POST', `/app-backend/v1/shoppers/${shopperId}/payment-method/setup-intents`);
    expect(again.body.customerId).toBe(customerId);
    expect(
      standIn.requests.filter((r) => r.path === '/v1/customers' && r.params.metadata?.shopper_id === shopperId),
    ).toHaveLength(1);
    expect(
      standIn.requests.find((r) => r.path === '/v1/customers' && r.params.metadata?.shopper_id === shopperId)!
        .idempotencyKey,
    ).toBe(`customer:${shopperId}`);
  });

  test('with Stripe the simulator’s TEST_TOKEN is refused, and another shopper’s SetupIntent cannot be attached', async () => {
    const shopperId = `stripe-tok-${Date.now()}`;
    const withToken = await call(stack.url, 'POST', '/app-backend/v1/shoppers', {
      shopperId,
      displayName: 'Bo',
      paymentMethod: { type: 'TEST_TOKEN', token: 'tok_visa', expiry: '2099-12' },
    });
    expect(withToken.status).toBe(400);
    expect(withToken.body.errors).toEqual([{ field: 'paymentMethod.type', reason: expect.stringContaining('stripe') }]);
    expect((await call(stack.url, 'POST', '/app-backend/v1/shoppers', { shopperId, displayName: 'Bo' })).status).toBe(
      201,
    );
    const put = await call(stack.url, 'PUT', `/app-backend/v1/shoppers/${shopperId}/payment-method`, {
      type: 'TEST_TOKEN',
      token: 'tok_visa',
      expiry: '2099-12',
    });
    expect(put.status).toBe(400);

    // Another shopper's confirmed SetupIntent: refused (it belongs to their customer).
    const other = `stripe-other-${Date.now()}`;
    await call(stack.url, 'POST', '/app-backend/v1/shoppers', { shopperId: other, displayName: 'Cy' });
    const theirs = await call(stack.url, 'POST', `/app-backend/v1/shoppers/${other}/payment-method/setup-intents`);
    await confirmAsTheApp(theirs.body.setupIntentId, 'pm_card_visa');
    await call(stack.url, 'POST', `/app-backend/v1/shoppers/${shopperId}/payment-method/setup-intents`);
    const stolen = await call(stack.url, 'PUT', `/app-backend/v1/shoppers/${shopperId}/payment-method`, {
      type: 'STRIPE_SETUP_INTENT',
      setupIntentId: theirs.body.setupIntentId,
    });
    expect(stolen.status).toBe(400);
    const [row] = await stack.db.query<any>('SELECT payment_token FROM shoppers WHERE shopper_id = $1', [shopperId]);
    expect(row.payment_token).toBeNull();
  });

  test('with the simulator a SetupIntent is refused and TEST_TOKEN stays', async () => {
    const actor = { name: 'test', role: null };
    await expect(
      attachPaymentMethod(
        stack.db,
        actor,
        'anyone',
        { type: 'STRIPE_SETUP_INTENT', setupIntentId: 'seti_123' },
        SIMULATED_PAYMENT_METHODS,
      ),
    ).rejects.toBeInstanceOf(InvalidRequest);
    await expect(startPaymentMethodSetup(stack.db, actor, 'anyone', SIMULATED_PAYMENT_METHODS)).rejects.toBeInstanceOf(
      StateConflict,
    );
  });
});
