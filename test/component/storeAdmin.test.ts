/**
 * Opening stores without SQL, over real HTTP: the store admin API (stores, tax rates, promotions),
 * shopper enrollment by the app backend and by support staff, each with its refusals and its audit
 * entries; then two stores with different currencies, tax rules, promotions, Scan Key prefixes and
 * bad-cart settings run side by side through the gate and Create Purchases.
 */
import { randomUUID } from 'node:crypto';
import { listAudit } from '../../src/adapters/audit/auditLog';
import { appSession, identityKeysRequest, item, post, purchaseRequest } from '../support/fixtures';
import { preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';
import { runSimulation } from '../../src/tools/simulator/journey/runSimulation';

const ADMIN_KEY = 'ada-admin-key-0123456789abcdef0123';
const VIEWER_KEY = 'vic-viewer-key-0123456789abcdef012';
const APP_KEY = 'app-backend-key-0123456789abcdef0123';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    env: {
      DEMO_MODE: 'true',
      OPERATOR_KEYS: `ada:admin:${ADMIN_KEY},vic:viewer:${VIEWER_KEY}`,
      APP_BACKEND_KEYS: APP_KEY,
    },
  });
});
afterAll(() => stack?.close());

type Answer = { status: number; body: any };
async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(stack.url + path, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
const admin = (method: string, path: string, body?: unknown) =>
  call(method, path, body, { 'x-operator-key': ADMIN_KEY });
const viewer = (method: string, path: string, body?: unknown) =>
  call(method, path, body, { 'x-operator-key': VIEWER_KEY });
const app = (method: string, path: string, body?: unknown) =>
  call(method, path, body, { 'x-app-backend-key': APP_KEY });
const fields = (answer: Answer) => (answer.body.errors ?? []).map((e: { field: string }) => e.field);

const newStore = (storeId: string, overrides: Record<string, unknown> = {}) => ({
  storeId,
  retailerId: 'retailer-1',
  name: `Store ${storeId}`,
  timeZone: 'America/New_York',
  currency: 'USD',
  taxInclusive: false,
  preauthAmountMinor: 5000,
  ...overrides,
});

const CATALOG = `sku,barcode,barcode_type,name,price,unit,tax_code
SKU-A,049000000443,UPC,Cola 330ml,2.00,each,GENERAL
SKU-B,028400000017,UPC,Crisps,3.00,each,GENERAL
SKU-C,071800000125,UPC,Sandwich,6.00,each,FOOD
`;

async function importCatalog(storeId: string) {
  const imported = await admin('POST', '/ops/v1/catalog/imports', { storeId, format: 'csv', content: CATALOG });
  expect(imported).toMatchObject({ status: 200, body: { imported: 3, rejected: [] } });
}

describe('stores', () => {
  test('when an admin creates a store, then it is not live, shows every setting with the currency exponent, and the audit log names the admin', async () => {
    const created = await admin('POST', '/ops/v1/stores', newStore('STORE-A1', { currency: 'JPY' }));
    expect(created).toEqual({
      status: 201,
      body: {
        storeId: 'STORE-A1',
        retailerId: 'retailer-1',
        name: 'Store STORE-A1',
        timeZone: 'America/New_York',
        currency: 'JPY',
        currencyExponent: 0,
        taxInclusive: false,
        preauthAmountMinor: 5000,
        badCartDeadline: null,
        badCartDefaultDecision: null,
        scanKeyPrefix: null,
        live: false,
      },
    });
    expect((await viewer('GET', '/ops/v1/stores/STORE-A1')).body).toEqual(created.body);
    expect((await viewer('GET', '/ops/v1/stores')).body.map((s: any) => s.storeId)).toContain('STORE-A1');
    const [entry] = await listAudit(stack.db, { subjectType: 'store', subjectId: 'STORE-A1' });
    expect(entry).toMatchObject({ action: 'store.create', actor: { name: 'ada', role: 'admin' } });
  });

  test('when the fields are wrong, then the 400 names each of them and nothing is created', async () => {
    const refused = await admin(
      'POST',
      '/ops/v1/stores',
      newStore('STORE-BAD', { timeZone: 'Mars/Olympus', currency: 'XYZ', scanKeyPrefix: 'no', preauthAmountMinor: -1 }),
    );
    expect(refused.status).toBe(400);
    expect(fields(refused)).toEqual(expect.arrayContaining(['scanKeyPrefix', 'preauthAmountMinor']));
    const semantic = await admin(
      'POST',
      '/ops/v1/stores',
      newStore('STORE-BAD', { timeZone: 'Mars/Olympus', currency: 'XYZ', badCartDeadline: '10s' }),
    );
    expect(semantic.status).toBe(400);
    expect(fields(semantic)).toEqual(['timeZone', 'currency', 'badCartDeadline']);
    const exponent = await admin(
      'POST',
      '/ops/v1/stores',
      newStore('STORE-BAD', { currency: 'KWD', currencyExponent: 2 }),
    );
    expect(exponent.body.errors).toEqual([
      { field: 'currencyExponent', reason: 'KWD has 3 decimals (ISO 4217), not 2' },
    ]);
    expect((await viewer('GET', '/ops/v1/stores/STORE-BAD')).status).toBe(404);
  });

  test('when the store exists, a viewer changes it, or nothing is named, then the change is refused', async () => {
    await admin('POST', '/ops/v1/stores', newStore('STORE-A2'));
    expect((await admin('POST', '/ops/v1/stores', newStore('STORE-A2'))).status).toBe(409);
    expect((await viewer('POST', '/ops/v1/stores', newStore('STORE-A3'))).status).toBe(403);
    expect((await viewer('PATCH', '/ops/v1/stores/STORE-A2', { live: true })).status).toBe(403);
    expect((await admin('PATCH', '/ops/v1/stores/STORE-A2', {})).status).toBe(400);
    expect((await admin('PATCH', '/ops/v1/stores/NO-SUCH', { live: true })).status).toBe(404);
    expect((await call('GET', '/ops/v1/stores')).status).toBe(401);
  });

  test('when a store is not live, then the gate answers it as an unknown store; made live, the gate serves it at once', async () => {
    await admin('POST', '/ops/v1/stores', newStore('STORE-GATE'));
    const shopperId = `s-${randomUUID().slice(0, 8)}`;
    await app('POST', '/app-backend/v1/shoppers', {
      shopperId,
      displayName: 'Gate Tester',
      appToken: `app-${shopperId}-token`,
      paymentMethod: { type: 'TEST_TOKEN', token: 'tok_visa', expiry: '2099-12' },
    });
    const code = async () =>
      (await call('POST', '/app/v1/scan-keys', {}, await appSession(stack.url, `app-${shopperId}-token`))).body.code;
    const closed = await post(
      stack.url,
      '/v1/identity/identity-keys',
      identityKeysRequest(await code(), { storeId: 'STORE-GATE' }),
    );
    const unknown = await post(
      stack.url,
      '/v1/identity/identity-keys',
      identityKeysRequest(await code(), { storeId: 'NO-SUCH' }),
    );
    expect(closed).toEqual(unknown);
    expect(closed.status).toBe(400);

    const opened = await admin('PATCH', '/ops/v1/stores/STORE-GATE', { live: true, preauthAmountMinor: 7000 });
    expect(opened.body).toMatchObject({ live: true, preauthAmountMinor: 7000 });
    const request = identityKeysRequest(await code(), { storeId: 'STORE-GATE' });
    expect((await post(stack.url, '/v1/identity/identity-keys', request)).status).toBe(200);
    expect((await preAuthPlaced(stack.db, request.authEvent.id)).authorized_minor).toBe(7000);
    const [update] = await listAudit(stack.db, { subjectType: 'store', subjectId: 'STORE-GATE' });
    expect(update).toMatchObject({
      action: 'store.update',
      details: { changed: { live: true, preauthAmountMinor: 7000 }, before: { live: false, preauthAmountMinor: 5000 } },
    });
  });

  test('when a store has a catalog, then its currency cannot change', async () => {
    await admin('POST', '/ops/v1/stores', newStore('STORE-CUR'));
    await importCatalog('STORE-CUR');
    const refused = await admin('PATCH', '/ops/v1/stores/STORE-CUR', { currency: 'EUR' });
    expect(refused.status).toBe(400);
    expect(fields(refused)).toEqual(['currency']);
  });
});

describe('tax rates', () => {
  beforeAll(async () => {
    await admin('POST', '/ops/v1/stores', newStore('STORE-TAX'));
  });

  test('when rates are set with effective dates, then every rate is listed and the one in force prices', async () => {
    expect((await admin('PUT', '/ops/v1/stores/STORE-TAX/tax-rates/GENERAL', { rateBasisPoints: 800 })).status).toBe(
      200,
    );
    const later = await admin('PUT', '/ops/v1/stores/STORE-TAX/tax-rates/GENERAL', {
      rateBasisPoints: 900,
      name: 'From 2099',
      effectiveFrom: '2099-01-01T00:00:00-05:00',
    });
    expect(later.body).toEqual([
      { taxCode: 'GENERAL', rateBasisPoints: 800, effectiveUntil: null },
      {
        taxCode: 'GENERAL',
        rateBasisPoints: 900,
        name: 'From 2099',
        effectiveFrom: '2099-01-01T05:00:00.000Z',
        effectiveUntil: null,
      },
    ]);
    expect((await viewer('GET', '/ops/v1/stores/STORE-TAX/tax-rates')).body).toHaveLength(2);
    const { loadPricingData } = await import('../../src/adapters/catalog/catalogStore');
    expect((await loadPricingData(stack.db, 'STORE-TAX', [], '2030-01-01T00:00:00Z')).taxRates).toEqual([
      { taxCode: 'GENERAL', rateBasisPoints: 800 },
    ]);
    expect((await loadPricingData(stack.db, 'STORE-TAX', [], '2099-06-01T00:00:00Z')).taxRates).toEqual([
      { taxCode: 'GENERAL', rateBasisPoints: 900, name: 'From 2099' },
    ]);
    const entries = await listAudit(stack.db, { subjectType: 'store', subjectId: 'STORE-TAX' });
    expect(entries.filter((e) => e.action === 'tax.set')).toHaveLength(2);
  });

  test('when a rate is out of range, its dates are backwards, or the store is unknown, then it is refused', async () => {
    const path = '/ops/v1/stores/STORE-TAX/tax-rates/FOOD';
    expect(fields(await admin('PUT', path, { rateBasisPoints: 10_001 }))).toEqual(['rateBasisPoints']);
    expect(
      fields(
        await admin('PUT', path, {
          rateBasisPoints: 500,
          effectiveFrom: '2030-02-01T00:00:00Z',
          effectiveUntil: '2030-01-01T00:00:00Z',
        }),
      ),
    ).toEqual(['effectiveUntil']);
    expect(fields(await admin('PUT', path, { rateBasisPoints: 500, effectiveFrom: 'tomorrow' }))).toEqual([
      'effectiveFrom',
    ]);
    expect((await admin('PUT', '/ops/v1/stores/NO-SUCH/tax-rates/FOOD', { rateBasisPoints: 5 })).status).toBe(404);
    expect((await viewer('PUT', path, { rateBasisPoints: 5 })).status).toBe(403);
  });
});

describe('promotions', () => {
  const base = '/ops/v1/stores/STORE-PROMO/promotions';
  beforeAll(async () => {
    await admin('POST', '/ops/v1/stores', newStore('STORE-PROMO'));
    await importCatalog('STORE-PROMO');
  });

  test.each([
    { id: 'P-PCT', name: '10% off cola', kind: 'PERCENT_OFF', skus: ['SKU-A'], percentBasisPoints: 1000 },
    { id: 'P-AMT', name: '0.50 off crisps', kind: 'FIXED_OFF', skus: ['SKU-B'], amountOffMinor: 50 },
    {
      id: 'P-MULTI',
      name: '3 for 5',
      kind: 'MULTI_BUY',
      skus: ['SKU-A', 'SKU-B'],
      quantity: 3,
      priceMinor: 500,
      priority: 5,
    },
    { id: 'P-BOGO', name: 'Buy 2 get 1', kind: 'BUY_X_GET_Y', skus: ['SKU-C'], buyQuantity: 2, getQuantity: 1 },
    {
      id: 'P-SPEND',
      name: '5 off 50',
      kind: 'SPEND_THRESHOLD',
      thresholdMinor: 5000,
      amountOffMinor: 500,
      exclusive: true,
      startsAt: '2020-01-01T00:00:00Z',
      endsAt: '2099-01-01T00:00:00Z',
    },
  ])('when a $kind promotion is added, then it is listed as active', async (promotion) => {
    const added = await admin('POST', base, promotion);
    expect(added).toEqual({ status: 201, body: { promotion, state: 'ACTIVE', missingSkus: [] } });
    expect((await viewer('GET', base)).body).toContainEqual({ promotion, state: 'ACTIVE' });
  });

  test('when a promotion would never apply, then it is refused with the reason', async () => {
    const never = async (promotion: Record<string, unknown>) => {
      const answer = await admin('POST', base, { name: 'x', ...promotion });
      expect(answer.status).toBe(400);
      return answer.body.errors.map((e: { reason: string }) => e.reason).join(' | ');
    };
    expect(await never({ id: 'N1', kind: 'PERCENT_OFF', skus: ['SKU-NOPE'], percentBasisPoints: 500 })).toMatch(
      /no SKU of it is in the store's catalog \(SKU-NOPE\)/,
    );
    expect(
      await never({
        id: 'N2',
        kind: 'PERCENT_OFF',
        skus: ['SKU-A'],
        percentBasisPoints: 500,
        startsAt: '2030-02-01T00:00:00Z',
        endsAt: '2030-01-01T00:00:00Z',
      }),
    ).toMatch(/ends before it starts/);
    expect(
      await never({
        id: 'N3',
        kind: 'PERCENT_OFF',
        skus: ['SKU-A'],
        percentBasisPoints: 500,
        endsAt: '2001-01-01T00:00:00Z',
      }),
    ).toMatch(/before now: it would never apply/);
    expect(await never({ id: 'N4', kind: 'PERCENT_OFF', skus: ['SKU-A'], percentBasisPoints: 0 })).toMatch(
      /percentBasisPoints must be an integer from 1 to 10000/,
    );
    const wrongKind = await admin('POST', base, { id: 'N5', name: 'x', kind: 'FREE_LUNCH' });
    expect(fields(wrongKind)).toEqual(['kind']);
    expect(
      (await viewer('POST', base, { id: 'N6', name: 'x', kind: 'PERCENT_OFF', skus: ['SKU-A'], percentBasisPoints: 5 }))
        .status,
    ).toBe(403);
  });

  test('when an id is taken by another definition, then 409; the same definition again changes nothing', async () => {
    const promotion = { id: 'P-TWICE', name: 'Twice', kind: 'PERCENT_OFF', skus: ['SKU-A'], percentBasisPoints: 100 };
    expect((await admin('POST', base, promotion)).status).toBe(201);
    expect((await admin('POST', base, promotion)).status).toBe(201);
    expect((await admin('POST', base, { ...promotion, percentBasisPoints: 200 })).status).toBe(409);
  });

  test('when a promotion is ended, then it is listed as ended, the audit log has it, and ending it again is refused', async () => {
    await admin('POST', base, {
      id: 'P-END',
      name: 'Ending',
      kind: 'PERCENT_OFF',
      skus: ['SKU-A'],
      percentBasisPoints: 100,
    });
    const ended = await admin('POST', `${base}/P-END/end`);
    expect(ended.status).toBe(200);
    expect(Date.parse(ended.body.endsAt)).toBeLessThanOrEqual(Date.now());
    expect((await viewer('GET', base)).body).toContainEqual({ promotion: ended.body, state: 'ENDED' });
    expect((await admin('POST', `${base}/P-END/end`)).status).toBe(409);
    expect((await admin('POST', `${base}/NO-SUCH/end`)).status).toBe(404);
    const entries = await listAudit(stack.db, { subjectType: 'store', subjectId: 'STORE-PROMO' });
    expect(entries.map((e) => e.action)).toContain('promotion.end');
  });

  test('when a POS export is imported, then valid rows are added and each refused row is reported with its line and reason', async () => {
    const csv = `id,name,kind,skus,percent,amount,quantity,price,buy,get,threshold,starts_at,ends_at,priority,exclusive
I-PCT,15% off sandwich,percent-off,SKU-C,15,,,,,,,,,,
I-MULTI,2 for 3.50,MULTI_BUY,SKU-A|SKU-B,,,2,3.50,,,,,,1,
I-BOGO,Buy 1 get 1 half,buy-x-get-y,SKU-C,,,,,1,1,,,,,
I-SPEND,10% over 20,SPEND_THRESHOLD,,10,,,,,,20.00,2020-01-01T00:00:00Z,2099-01-01T00:00:00Z,,true
I-NOSKU,Gone,percent-off,SKU-GONE,10,,,,,,,,,,
I-BACK,Backwards,amount-off,SKU-A,,0.25,,,,,,2030-02-01T00:00:00Z,2030-01-01T00:00:00Z,,
I-CENTS,Too precise,amount-off,SKU-A,,0.255,,,,,,,,,
`;
    const imported = await admin('POST', `${base}/imports`, { format: 'csv', content: csv });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ imported: 4, unchanged: 0, warnings: [] });
    expect(imported.body.rejected.map((r: any) => [r.line, r.id])).toEqual([
      [6, 'I-NOSKU'],
      [7, 'I-BACK'],
      [8, 'I-CENTS'],
    ]);
    expect(imported.body.rejected[1].problems.join()).toMatch(/ends before it starts/);
    const listed = (await viewer('GET', base)).body.map((e: any) => e.promotion);
    expect(listed).toContainEqual({
      id: 'I-MULTI',
      name: '2 for 3.50',
      kind: 'MULTI_BUY',
      skus: ['SKU-A', 'SKU-B'],
      quantity: 2,
      priceMinor: 350,
      priority: 1,
    });

    const json = JSON.stringify({
      promotions: [
        { id: 'I-PCT', name: '15% off sandwich', kind: 'PERCENT_OFF', skus: ['SKU-C'], percentBasisPoints: 1500 },
        { id: 'J-AMT', name: 'Amount', kind: 'AMOUNT_OFF', skus: ['SKU-A', 'SKU-X'], amountOffMinor: 10 },
        { id: 'J-BAD', kind: 'MULTI_BUY' },
      ],
    });
    const again = await admin('POST', `${base}/imports`, { format: 'json', content: json });
    expect(again.body).toMatchObject({
      imported: 1,
      unchanged: 1,
      warnings: [{ line: 2, id: 'J-AMT', missingSkus: ['SKU-X'] }],
      rejected: [{ line: 3, id: 'J-BAD' }],
    });
    expect(fields(await admin('POST', `${base}/imports`, { format: 'json', content: '{' }))).toEqual(['content']);
    expect(fields(await admin('POST', `${base}/imports`, { format: 'csv', content: 'a,b\n1,2\n' }))).toEqual([
      'content',
    ]);
  });
});

describe('shopper enrollment', () => {
  const id = () => `s-${randomUUID().slice(0, 8)}`;
  const card = { type: 'TEST_TOKEN', token: 'tok_visa', expiry: '2099-12' };

  test('when the app backend enrolls a shopper, attaches, replaces and removes a card, then each step is answered and audited as the app backend', async () => {
    const shopperId = id();
    const enrolled = await app('POST', '/app-backend/v1/shoppers', { shopperId, displayName: 'Ann' });
    expect(enrolled).toEqual({
      status: 201,
      body: {
        shopperId,
        displayName: 'Ann',
        visitorType: 'SHOPPER',
        status: 'ACTIVE',
        flaggedReason: null,
        paymentMethod: null,
        hasOpenDebt: false,
      },
    });
    expect((await app('POST', '/app-backend/v1/shoppers', { shopperId, displayName: 'Ann' })).status).toBe(200);
    expect((await app('POST', '/app-backend/v1/shoppers', { shopperId, displayName: 'Bob' })).status).toBe(409);

    const attached = await app('PUT', `/app-backend/v1/shoppers/${shopperId}/payment-method`, card);
    expect(attached.body.paymentMethod).toEqual(card);
    const replaced = await app('PUT', `/app-backend/v1/shoppers/${shopperId}/payment-method`, {
      ...card,
      token: 'tok_decline_capture',
    });
    expect(replaced.body.paymentMethod.token).toBe('tok_decline_capture');
    const removed = await app('DELETE', `/app-backend/v1/shoppers/${shopperId}/payment-method`);
    expect(removed.body.paymentMethod).toBeNull();
    expect((await app('DELETE', `/app-backend/v1/shoppers/${shopperId}/payment-method`)).status).toBe(409);
    expect((await app('GET', `/app-backend/v1/shoppers/${shopperId}`)).body.paymentMethod).toBeNull();

    const entries = await listAudit(stack.db, { subjectType: 'shopper', subjectId: shopperId });
    expect(entries.map((e) => [e.action, e.actor.name])).toEqual([
      ['shopper.payment_method.remove', 'app-backend'],
      ['shopper.payment_method.replace', 'app-backend'],
      ['shopper.payment_method.attach', 'app-backend'],
      ['shopper.create', 'app-backend'],
    ]);
  });

  test('when a card number, a malformed token or an expired card is sent, then it is refused naming the field', async () => {
    const shopperId = id();
    await app('POST', '/app-backend/v1/shoppers', { shopperId, displayName: 'Cy' });
    const path = `/app-backend/v1/shoppers/${shopperId}/payment-method`;
    const pan = await app('PUT', path, { ...card, token: '4242 4242 4242 4242' });
    expect(pan.body.errors).toEqual([
      {
        field: 'paymentMethod.token',
        reason: 'looks like a card number: the connector takes the gateway token only, never card numbers',
      },
    ]);
    expect(fields(await app('PUT', path, { ...card, token: 'pm_123' }))).toEqual(['paymentMethod.token']);
    expect(fields(await app('PUT', path, { ...card, expiry: '2001-01' }))).toEqual(['paymentMethod.expiry']);
    expect(fields(await app('PUT', path, { type: 'STRIPE_SETUP_INTENT', setupIntentId: 'seti_1' }))).toEqual([
      'paymentMethod.type',
    ]);
    expect(fields(await app('POST', '/app-backend/v1/shoppers', { shopperId: id() }))).toEqual(['displayName']);
    expect((await app('PUT', '/app-backend/v1/shoppers/nobody/payment-method', card)).status).toBe(404);
  });

  test('when the caller has no app backend key, then 401, also with an operator key', async () => {
    expect((await call('POST', '/app-backend/v1/shoppers', { shopperId: id(), displayName: 'x' })).status).toBe(401);
    expect(
      (
        await call(
          'POST',
          '/app-backend/v1/shoppers',
          { shopperId: id(), displayName: 'x' },
          { 'x-operator-key': ADMIN_KEY },
        )
      ).status,
    ).toBe(401);
  });

  test('when a shopper is deactivated, then the gate turns their unused code away and the app gets no new one', async () => {
    const shopperId = id();
    await app('POST', '/app-backend/v1/shoppers', {
      shopperId,
      displayName: 'Dee',
      appToken: `app-${shopperId}-token`,
      paymentMethod: card,
    });
    await admin('POST', '/ops/v1/stores', newStore('STORE-DEACT', { live: true }));
    const code = (await call('POST', '/app/v1/scan-keys', {}, await appSession(stack.url, `app-${shopperId}-token`)))
      .body.code;
    const deactivated = await app('POST', `/app-backend/v1/shoppers/${shopperId}/deactivate`, {
      reason: 'closed by shopper',
    });
    expect(deactivated.body.status).toBe('CLOSED');
    const gate = await post(
      stack.url,
      '/v1/identity/identity-keys',
      identityKeysRequest(code, { storeId: 'STORE-DEACT' }),
    );
    expect(gate.status).toBe(401);
    expect(
      (await call('POST', '/app/v1/scan-keys', {}, await appSession(stack.url, `app-${shopperId}-token`))).status,
    ).toBe(403);
    expect((await app('PUT', `/app-backend/v1/shoppers/${shopperId}/payment-method`, card)).status).toBe(409);
    // Repeating it changes nothing and records nothing more.
    await app('POST', `/app-backend/v1/shoppers/${shopperId}/deactivate`);
    const entries = await listAudit(stack.db, { subjectType: 'shopper', subjectId: shopperId });
    expect(entries.filter((e) => e.action === 'shopper.deactivate')).toEqual([
      expect.objectContaining({ reason: 'closed by shopper' }),
    ]);
  });

  test('when support staff enroll, show and deactivate a shopper, then the operator API does it as the operator', async () => {
    const shopperId = id();
    const added = await admin('POST', '/ops/v1/shoppers', {
      shopperId,
      displayName: 'Eve',
      visitorType: 'ASSOCIATE',
      paymentToken: 'tok_visa',
      paymentExpiry: '2099-12',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ visitorType: 'ASSOCIATE', paymentMethod: card });
    expect((await viewer('GET', `/ops/v1/shoppers/${shopperId}`)).body.displayName).toBe('Eve');
    expect((await viewer('POST', `/ops/v1/shoppers/${shopperId}/deactivate`)).status).toBe(403);
    expect((await admin('POST', `/ops/v1/shoppers/${shopperId}/deactivate`)).body.status).toBe('CLOSED');
    expect((await viewer('GET', '/ops/v1/shoppers/nobody')).status).toBe(404);
    const [entry] = await listAudit(stack.db, { subjectType: 'shopper', subjectId: shopperId });
    expect(entry).toMatchObject({ action: 'shopper.deactivate', actor: { name: 'ada', role: 'admin' } });
  });
});

describe('two stores side by side', () => {
  const shopperId = `s-${randomUUID().slice(0, 8)}`;
  const appToken = `app-${shopperId}-token`;

  beforeAll(async () => {
    await admin('POST', '/ops/v1/stores', newStore('STORE-NYC-01', { name: 'New York', preauthAmountMinor: 5000 }));
    await admin(
      'POST',
      '/ops/v1/stores',
      newStore('STORE-TOR-01', {
        name: 'Toronto',
        timeZone: 'America/Toronto',
        currency: 'CAD',
        preauthAmountMinor: 7500,
        scanKeyPrefix: 'TOR',
        badCartDeadline: '2h',
        badCartDefaultDecision: 'WRITE_OFF',
      }),
    );
    for (const store of ['STORE-NYC-01', 'STORE-TOR-01']) await importCatalog(store);
    await admin('PUT', '/ops/v1/stores/STORE-NYC-01/tax-rates/GENERAL', { rateBasisPoints: 800 });
    await admin('PUT', '/ops/v1/stores/STORE-NYC-01/tax-rates/FOOD', { rateBasisPoints: 0 });
    await admin('PUT', '/ops/v1/stores/STORE-TOR-01/tax-rates/GENERAL', { rateBasisPoints: 1300, name: 'HST' });
    await admin('PUT', '/ops/v1/stores/STORE-TOR-01/tax-rates/FOOD', { rateBasisPoints: 0 });
    await admin('POST', '/ops/v1/stores/STORE-NYC-01/promotions', {
      id: 'NYC-COLA-2-FOR-3',
      name: 'Cola 2 for $3.00',
      kind: 'MULTI_BUY',
      skus: ['SKU-A'],
      quantity: 2,
      priceMinor: 300,
    });
    await admin('POST', '/ops/v1/stores/STORE-TOR-01/promotions', {
      id: 'TOR-COLA-25',
      name: 'Cola 25% off',
      kind: 'PERCENT_OFF',
      skus: ['SKU-A'],
      percentBasisPoints: 2500,
    });
    for (const store of ['STORE-NYC-01', 'STORE-TOR-01'])
      await admin('PATCH', `/ops/v1/stores/${store}`, { live: true });
    await app('POST', '/app-backend/v1/shoppers', {
      shopperId,
      displayName: 'Two-store shopper',
      appToken,
      paymentMethod: { type: 'TEST_TOKEN', token: 'tok_visa', expiry: '2099-12' },
    });
  });

  const codeFor = async (store?: string) =>
    (
      await call(
        'POST',
        `/app/v1/scan-keys${store ? `?store=${store}` : ''}`,
        {},
        await appSession(stack.url, appToken),
      )
    ).body.code as string;

  async function shop(storeId: string) {
    const gate = identityKeysRequest(await codeFor(storeId), { storeId });
    expect((await post(stack.url, '/v1/identity/identity-keys', gate)).status).toBe(200);
    const preAuth = await preAuthPlaced(stack.db, gate.authEvent.id);
    const authEvent = { ...gate.authEvent, payloadType: 'SCAN_CODE', scanResult: { id: shopperId, type: 'SHOPPER' } };
    const request = purchaseRequest([authEvent], [item('SKU-A', '2'), item('SKU-C', '1')], { storeId });
    expect((await post(stack.url, '/v1/order/purchases', request)).status).toBe(201);
    const purchase = await purchaseSettled(stack.db, request.idempotentShoppingTripId);
    const [start] = await stack.db.query<any>('SELECT args FROM workflow_starts WHERE workflow_id = $1', [
      `purchase-${request.idempotentShoppingTripId}`,
    ]);
    return { preAuth, purchase, workflowInput: start.args[0] };
  }

  test('when the same shopper buys the same items in each, then each store prices in its own currency with its own tax and promotion', async () => {
    const nyc = await shop('STORE-NYC-01');
    // 2 colas at 2.00 for 3.00 (MULTI_BUY), 8% tax → 3.24; sandwich 6.00 FOOD 0% → 9.24 USD.
    expect(nyc.preAuth).toMatchObject({ currency: 'USD', authorized_minor: 5000 });
    expect(nyc.purchase).toMatchObject({ status: 'CAPTURED', currency: 'USD', total_minor: 924 });
    expect(nyc.purchase.receipt.promotionsApplied).toEqual([
      { promotionId: 'NYC-COLA-2-FOR-3', name: 'Cola 2 for $3.00', amountMinor: 100 },
    ]);

    const tor = await shop('STORE-TOR-01');
    // 2 colas at 2.00 less 25% = 3.00, 13% HST → 3.39; sandwich 6.00 → 9.39 CAD.
    expect(tor.preAuth).toMatchObject({ currency: 'CAD', authorized_minor: 7500 });
    expect(tor.purchase).toMatchObject({ status: 'CAPTURED', currency: 'CAD', total_minor: 939 });
    expect(tor.purchase.receipt.promotionsApplied).toEqual([
      { promotionId: 'TOR-COLA-25', name: 'Cola 25% off', amountMinor: 100 },
    ]);

    // Bad-cart settings: Toronto's own, New York the deployment's (BAD_CART_DEADLINE 24h, CHARGE_KNOWN).
    expect(tor.workflowInput).toMatchObject({ badCartDeadlineMs: 2 * 3_600_000, badCartDefault: 'WRITE_OFF' });
    expect(nyc.workflowInput).toMatchObject({ badCartDeadlineMs: 24 * 3_600_000, badCartDefault: 'CHARGE_KNOWN' });
  });

  test("when a code carries the deployment's prefix, then Toronto (its own prefix TOR) turns it away and New York takes it", async () => {
    const plain = await codeFor();
    expect(plain.startsWith('JWO')).toBe(true);
    const tor = await post(
      stack.url,
      '/v1/identity/identity-keys',
      identityKeysRequest(plain, { storeId: 'STORE-TOR-01' }),
    );
    expect(tor).toMatchObject({ status: 401, body: { reason: 'BAD_PREFIX' } });
    expect((await codeFor('STORE-TOR-01')).startsWith('TOR')).toBe(true);
    expect(
      (await call('POST', '/app/v1/scan-keys?store=NO-SUCH', {}, await appSession(stack.url, appToken))).status,
    ).toBe(400);
  });

  test('when the catalog and pricing are read per store, then each has its own', async () => {
    const pricing = async (store: string) =>
      (await call('GET', `/ops/v1/stores/${store}/pricing`, undefined, { 'x-operator-key': VIEWER_KEY })).body;
    expect(await pricing('STORE-NYC-01')).toMatchObject({
      currency: 'USD',
      promotions: [{ id: 'NYC-COLA-2-FOR-3' }],
      taxRates: expect.arrayContaining([{ taxCode: 'GENERAL', rateBasisPoints: 800 }]),
    });
    expect(await pricing('STORE-TOR-01')).toMatchObject({
      currency: 'CAD',
      promotions: [{ id: 'TOR-COLA-25' }],
      taxRates: expect.arrayContaining([{ taxCode: 'GENERAL', rateBasisPoints: 1300, name: 'HST' }]),
    });
  });

  test.each(['STORE-NYC-01', 'STORE-TOR-01'])(
    'when `jwo simulate --store %s` plays a crowd against it, then every trip reconciles',
    async (storeId) => {
      const result = await runSimulation({
        apiUrl: stack.url,
        operatorKey: ADMIN_KEY,
        connectorKey: 'demo-connector-key',
        connectorAuthHeader: 'x-api-key',
        storeId,
        seed: 7,
        shoppers: 4,
        ratePerSecond: 8,
        settleTimeoutMs: 60_000,
      });
      expect(result.currency).toBe(storeId === 'STORE-TOR-01' ? 'CAD' : 'USD');
      expect(result.reconciliation.mismatches).toEqual([]);
    },
    120_000,
  );
});
