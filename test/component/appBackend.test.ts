/** The app backend: a signed-in shopper gets a Scan Key Code (and its QR) that the gate accepts; pre-validation refuses the rest. */
import { randomUUID } from 'node:crypto';
import { upsertShopper } from '../../src/adapters/identity/identityStore';
import { identityKeysRequest, post, seedStore } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  await seedStore(stack.db);
});
afterAll(() => stack?.close());

async function shopperWithToken(overrides: Record<string, unknown> = {}) {
  const appToken = `app-${randomUUID()}`;
  const shopperId = `s-${randomUUID().slice(0, 8)}`;
  await upsertShopper(stack.db, {
    shopperId,
    displayName: 'Sam',
    visitorType: 'SHOPPER',
    appToken,
    paymentToken: 'tok_visa',
    paymentExpiry: '2099-01',
    ...overrides,
  });
  return { appToken, shopperId };
}

const askForCode = (token?: string) =>
  post(stack.url, '/app/v1/scan-keys', {}, token ? { authorization: `Bearer ${token}` } : {});

test('when a signed-in shopper asks for a code, then it comes with its QR and expiry, and the gate lets them in with it', async () => {
  const { appToken, shopperId } = await shopperWithToken();
  const issued = await askForCode(appToken);
  expect(issued.status).toBe(201);
  expect(issued.body.code).toMatch(/^JWO\d{10}[A-Z0-9]{25}[0-9A-F]{20}$/);
  expect(issued.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  expect(Date.parse(issued.body.expiresAt) - Date.parse(issued.body.issuedAt)).toBe(60_000);
  const gate = await post(stack.url, '/v1/identity/identity-keys', identityKeysRequest(issued.body.code));
  expect(gate).toEqual({ status: 200, body: { visitorDetails: { id: shopperId, type: 'SHOPPER' } } });
});

test('when the app is not signed in or the token is unknown, then 401', async () => {
  expect((await askForCode()).status).toBe(401);
  expect((await askForCode('nobody')).status).toBe(401);
});

test.each([
  ['a flagged account', { flaggedReason: 'chargeback' }, 'the account is flagged'],
  ['no card', { paymentToken: null }, 'the account has no payment instrument'],
  ['an expired card', { paymentExpiry: '2020-01' }, 'the payment instrument has expired'],
])(
  'when the account has %s, then no code is issued (403) and nothing is recorded',
  async (_name, overrides, message) => {
    const { appToken, shopperId } = await shopperWithToken(overrides);
    const refused = await askForCode(appToken);
    expect(refused).toEqual({ status: 403, body: { message: `no Scan Key Code: ${message}` } });
    expect(await stack.db.query('SELECT 1 FROM recognition_tokens WHERE shopper_id = $1', [shopperId])).toEqual([]);
  },
);

test('when an operator issues a code for an unknown shopper, then 404', async () => {
  expect(
    (await post(stack.url, '/ops/v1/scan-keys', { shopperId: 'ghost' }, { 'x-operator-key': 'demo-operator-key' }))
      .status,
  ).toBe(404);
});
