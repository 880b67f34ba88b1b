/**
 * The app backend over real HTTP: a shopper signs in with the app token for a short-lived session,
 * and with it gets a Scan Key Code (and its QR) that the gate accepts; expired, tampered and bare
 * app tokens are refused; failed sign-ins are rate limited per address; pre-validation refuses the rest.
 */
import { randomUUID } from 'node:crypto';
import { upsertShopper } from '../../src/adapters/identity/identityStore';
import { signSession } from '../../src/domain/appSession';
import { appSession, identityKeysRequest, post, seedStore } from '../support/fixtures';
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

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const askForCode = (headers: Record<string, string> = {}) => post(stack.url, '/app/v1/scan-keys', {}, headers);
const me = async (headers: Record<string, string>) => {
  const response = await fetch(`${stack.url}/app/v1/me`, { headers });
  return { status: response.status, body: (await response.json()) as any };
};
/** A sign-in from `address` (as the load balancer reports it in X-Forwarded-For). */
const signInFrom = (address: string, body: unknown) =>
  fetch(`${stack.url}/app/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify(body),
  });
async function signInFailures(): Promise<Record<string, number>> {
  const text = await (await fetch(`${stack.url}/metrics`)).text();
  return Object.fromEntries(
    [...text.matchAll(/^jwo_app_signin_failures_total\{reason="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
  );
}

test('when a shopper signs in, then the session lasts APP_SESSION_TTL_SECONDS and gets a code the gate accepts', async () => {
  const { appToken, shopperId } = await shopperWithToken();
  const signedIn = await post(stack.url, '/app/v1/sessions', { appToken }, {});
  expect(signedIn.status).toBe(201);
  expect(signedIn.body).toEqual({ sessionToken: expect.any(String), shopperId, expiresAt: expect.any(String) });
  expect(Date.parse(signedIn.body.expiresAt) - Date.now()).toBeGreaterThan(890_000);
  expect(Date.parse(signedIn.body.expiresAt) - Date.now()).toBeLessThanOrEqual(900_000);
  const session = bearer(signedIn.body.sessionToken);
  expect(await me(session)).toEqual({ status: 200, body: { id: shopperId, name: 'Sam', type: 'SHOPPER' } });

  const issued = await askForCode(session);
  expect(issued.status).toBe(201);
  expect(issued.body.code).toMatch(/^JWO\d{10}[A-Z0-9]{25}[0-9A-F]{20}$/);
  expect(issued.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  expect(Date.parse(issued.body.expiresAt) - Date.parse(issued.body.issuedAt)).toBe(60_000);
  const gate = await post(stack.url, '/v1/identity/identity-keys', identityKeysRequest(issued.body.code));
  expect(gate).toEqual({ status: 200, body: { visitorDetails: { id: shopperId, type: 'SHOPPER' } } });
});

test('when the app is not signed in, or sends its app token as the bearer, then 401 says to sign in', async () => {
  const { appToken } = await shopperWithToken();
  expect(await askForCode()).toEqual({
    status: 401,
    body: { message: 'sign in first: POST /app/v1/sessions, then send Authorization: Bearer <sessionToken>' },
  });
  for (const answer of [await askForCode(bearer(appToken)), await me(bearer(appToken))])
    expect(answer).toEqual({
      status: 401,
      body: { message: 'not a session token: sign in with POST /app/v1/sessions and send its sessionToken' },
    });
});

test('when the session has expired, then 401 says to sign in again', async () => {
  const { shopperId } = await shopperWithToken();
  const past = signSession(stack.config.APP_SESSION_SECRETS, shopperId, new Date(Date.now() - 3_600_000), 900);
  for (const answer of [await askForCode(bearer(past.token)), await me(bearer(past.token))])
    expect(answer).toEqual({
      status: 401,
      body: { message: 'session expired: sign in again with POST /app/v1/sessions' },
    });
});

test("when a session is tampered with (another shopper's id, a made-up signature), then 401", async () => {
  const mine = await shopperWithToken();
  const theirs = await shopperWithToken();
  const { authorization } = await appSession(stack.url, mine.appToken);
  const [payload, signature] = authorization.slice('Bearer '.length).split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const forged = Buffer.from(JSON.stringify({ ...claims, sub: theirs.shopperId })).toString('base64url');
  const invalid = { status: 401, body: { message: 'invalid session token: sign in again with POST /app/v1/sessions' } };
  expect(await askForCode(bearer(`${forged}.${signature}`))).toEqual(invalid);
  expect(await me(bearer(`${payload}.${'A'.repeat(43)}`))).toEqual(invalid);
  // Signed with a secret the server does not hold.
  const foreign = signSession(['another-deployment-secret-0123456789abcdef'], mine.shopperId, new Date(), 900);
  expect((await me(bearer(foreign.token))).status).toBe(401);
});

test('when the shopper is removed after signing in, then the session stops working', async () => {
  const { appToken, shopperId } = await shopperWithToken();
  const session = await appSession(stack.url, appToken);
  expect((await me(session)).status).toBe(200);
  await stack.db.query('DELETE FROM shoppers WHERE shopper_id = $1', [shopperId]);
  expect(await me(session)).toEqual({
    status: 401,
    body: { message: 'the shopper of this session no longer exists: sign in again with POST /app/v1/sessions' },
  });
});

test('when the same shopper signs in twice at once, then both sessions work', async () => {
  const { appToken, shopperId } = await shopperWithToken();
  const sessions = await Promise.all([appSession(stack.url, appToken), appSession(stack.url, appToken)]);
  for (const session of sessions) expect((await me(session)).body.id).toBe(shopperId);
  const codes = await Promise.all(sessions.map((session) => askForCode(session)));
  expect(codes.map((c) => c.status)).toEqual([201, 201]);
});

test('when the sign-in body is wrong, then 400 names the field and it counts as a failure', async () => {
  const before = (await signInFailures()).invalid_body ?? 0;
  const missing = await post(stack.url, '/app/v1/sessions', { token: 'x' }, { 'x-forwarded-for': '198.51.100.1' });
  expect(missing.status).toBe(400);
  expect(missing.body.errors).toEqual([{ field: 'appToken', reason: 'is required' }]);
  const empty = await post(stack.url, '/app/v1/sessions', { appToken: '' }, { 'x-forwarded-for': '198.51.100.1' });
  expect(empty.body.errors).toEqual([{ field: 'appToken', reason: 'must not be empty' }]);
  // Without APP_OIDC_ISSUER no identity-provider token is taken.
  const idToken = await post(
    stack.url,
    '/app/v1/sessions',
    { idToken: 'a.b.c' },
    { 'x-forwarded-for': '198.51.100.1' },
  );
  expect(idToken.body.errors).toEqual([
    { field: 'idToken', reason: 'not accepted: sign-in with an identity provider is off (APP_OIDC_ISSUER)' },
  ]);
  expect((await signInFailures()).invalid_body).toBe(before + 3);
});

test('when one address fails to sign in 10 times, then the 11th attempt is 429 with Retry-After, even with a right token', async () => {
  const { appToken } = await shopperWithToken();
  const before = await signInFailures();
  for (let i = 0; i < 10; i++) {
    const wrong = await signInFrom('203.0.113.50', { appToken: `wrong-${i}-token` });
    expect([wrong.status, await wrong.json()]).toEqual([401, { message: 'unknown app token' }]);
  }
  for (const body of [{ appToken: 'wrong-10-token' }, { appToken }]) {
    const limited = await signInFrom('203.0.113.50', body);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(290);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(300);
    expect(((await limited.json()) as any).message).toMatch(
      /^too many failed sign-ins from this address: retry in \d+ s$/,
    );
  }
  const after = await signInFailures();
  expect(after.unknown_token - (before.unknown_token ?? 0)).toBe(10);
  expect(after.rate_limited - (before.rate_limited ?? 0)).toBe(2);
  // Another address, and the successful sign-ins of the first before it failed, are not affected.
  expect((await signInFrom('203.0.113.51', { appToken })).status).toBe(201);
});

test('when many shoppers sign in from one address, then none is refused (successes are not counted)', async () => {
  const shoppers = await Promise.all(Array.from({ length: 15 }, () => shopperWithToken()));
  for (const { appToken } of shoppers) expect((await signInFrom('203.0.113.60', { appToken })).status).toBe(201);
});

test.each([
  ['a flagged account', { flaggedReason: 'chargeback' }, 'the account is flagged'],
  ['no card', { paymentToken: null }, 'the account has no payment instrument'],
  ['an expired card', { paymentExpiry: '2020-01' }, 'the payment instrument has expired'],
])(
  'when the account has %s, then no code is issued (403) and nothing is recorded',
  async (_name, overrides, message) => {
    const { appToken, shopperId } = await shopperWithToken(overrides);
    const refused = await askForCode(await appSession(stack.url, appToken));
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
