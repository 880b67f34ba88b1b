/**
 * The endpoints the app page, the simulator and the load test stand on, over HTTP on a real stack:
 * store catalog and pricing views, simulated shopper accounts, the app's receipts and page, and the
 * load test record.
 */
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { appSession, enterStore, item, post, purchaseRequest } from '../support/fixtures';
import { purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';

const OPS = { 'x-operator-key': 'demo-operator-key' };

describe('journey endpoints', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  async function get(
    path: string,
    headers: Record<string, string> = OPS,
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(stack.url + path, { headers });
    const text = await response.text();
    return {
      status: response.status,
      body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
      headers: response.headers,
    };
  }

  test('when an operator reads the store catalog, then every item comes with price, unit, tax code and barcodes', async () => {
    const { status, body } = await get('/ops/v1/stores/STORE-001/catalog');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(8);
    expect(body.items).toContainEqual({
      sku: 'SKU-005',
      name: 'Bananas',
      priceMinor: 149,
      pricingUnit: 'lb',
      taxCode: 'FOOD',
      barcodes: [{ code: '4011', type: 'PLU' }],
    });
    expect(body.items.find((i: any) => i.sku === 'SKU-001').barcodes).toEqual([{ code: '049000000443', type: 'UPC' }]);
  });

  test('when an operator reads the store pricing, then currency, tax mode, promotions and tax rates come back', async () => {
    const { status, body } = await get('/ops/v1/stores/STORE-001/pricing');
    expect(status).toBe(200);
    expect(body).toMatchObject({ storeId: 'STORE-001', currency: 'USD', taxInclusive: false });
    expect(body.promotions.map((p: any) => p.id).sort()).toEqual(['PROMO-DRINKS-3FOR5', 'PROMO-SNACKS-20']);
    expect(body.taxRates).toContainEqual({ taxCode: 'GENERAL', rateBasisPoints: 825, name: 'State sales tax 8.25%' });
  });

  test('when the store does not exist or the operator key is missing, then 404 and 401', async () => {
    expect((await get('/ops/v1/stores/NOPE/catalog')).status).toBe(404);
    expect((await get('/ops/v1/stores/STORE-001/pricing', {})).status).toBe(401);
  });

  test('when an operator creates a shopper, then the app token signs in and is never echoed', async () => {
    const created = await post(
      stack.url,
      '/ops/v1/shoppers',
      {
        shopperId: 'sim-test-1',
        displayName: 'Sim One',
        paymentToken: 'tok_visa',
        paymentExpiry: '2099-12',
        appToken: 'sim-secret-token-1',
      },
      OPS,
    );
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      shopperId: 'sim-test-1',
      displayName: 'Sim One',
      visitorType: 'SHOPPER',
      status: 'ACTIVE',
      flaggedReason: null,
      paymentMethod: { type: 'TEST_TOKEN', token: 'tok_visa', expiry: '2099-12' },
      hasOpenDebt: false,
    });
    const me = await get('/app/v1/me', await appSession(stack.url, 'sim-secret-token-1'));
    expect(me.body).toEqual({ id: 'sim-test-1', name: 'Sim One', type: 'SHOPPER' });
  });

  test('when a shopper request is invalid, then 400 names each field', async () => {
    const answer = await post(
      stack.url,
      '/ops/v1/shoppers',
      { shopperId: 'x', displayName: 'X', paymentExpiry: '12/30', appToken: 'short', visitorType: 'ROBOT' },
      OPS,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: any) => e.field).sort()).toEqual(['appToken', 'paymentExpiry', 'visitorType']);
  });

  test('when a signed-in shopper asks for receipts, then only their own past trips come back', async () => {
    const authEvent = await enterStore(stack.url, stack.db, stack.config, 'shopper-001');
    const request = purchaseRequest([authEvent], [item('SKU-001', '3'), item('SKU-003')]);
    expect((await post(stack.url, '/v1/order/purchases', request)).status).toBe(201);
    await purchaseSettled(stack.db, request.idempotentShoppingTripId);

    const alice = await get('/app/v1/receipts', await appSession(stack.url, 'demo-alice'));
    expect(alice.status).toBe(200);
    expect(alice.body.receipts[0]).toMatchObject({
      tripId: request.idempotentShoppingTripId,
      status: 'CAPTURED',
      receipt: { totalMinor: 1140, savingsMinor: 97 },
    });
    expect((await get('/app/v1/receipts', await appSession(stack.url, 'demo-dana'))).body.receipts).toEqual([]);
    expect((await get('/app/v1/receipts', {})).status).toBe(401);
    // The app token itself is no bearer: only a session is.
    expect((await get('/app/v1/receipts', { authorization: 'Bearer demo-alice' })).status).toBe(401);
  });

  test('when the app page is opened, then it is served with its script under a policy that forbids inline scripts', async () => {
    const page = await get('/app', {});
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.body).toContain('<script src="/app/app.js"');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const script = await get('/app/app.js', {});
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.body).toContain("'/app/v1/scan-keys'");
    expect(script.body).toContain("'/app/v1/sessions'");
  });

  test('when load test runs are recorded, then the latest one is served, and 404 before any', async () => {
    expect((await get('/ops/v1/loadtests/latest')).status).toBe(404);
    const run = (p99: number, startedAt: string) => ({
      startedAt,
      ratePerSecond: 40,
      durationSeconds: 30,
      gateP99Ms: p99,
      budgetHeld: true,
      result: { gate: { p99 } },
    });
    expect((await post(stack.url, '/ops/v1/loadtests', run(12.5, '2026-01-01T10:00:00Z'), OPS)).status).toBe(201);
    expect((await post(stack.url, '/ops/v1/loadtests', run(20.25, '2026-01-01T11:00:00Z'), OPS)).status).toBe(201);
    const latest = await get('/ops/v1/loadtests/latest');
    expect(latest.body).toMatchObject({
      ratePerSecond: 40,
      gateP99Ms: 20.25,
      budgetHeld: true,
      result: { gate: { p99: 20.25 } },
    });
    expect((await post(stack.url, '/ops/v1/loadtests', { ...run(1, 'yesterday') }, OPS)).status).toBe(400);
  });
});
