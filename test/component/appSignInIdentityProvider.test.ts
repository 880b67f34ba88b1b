/**
 * The app's sign-in with the retailer's identity provider (APP_OIDC_ISSUER), outside demo mode: a
 * token signed by a key of the provider's JWKS (served on loopback from keys made here), for the
 * audience, names the shopper in APP_OIDC_SHOPPER_CLAIM and signs them in; anything else is a 401
 * counted by its reason. App tokens keep working beside it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { upsertShopper } from '../../src/adapters/identity/identityStore';
import { identityKeysRequest, post, seedStore } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

const AUDIENCE = 'retailer-app';
const CLAIM = 'jwo_shopper';
const METRICS_TOKEN = 'metrics-token-0123456789abcdef0123456789abcdef';

let stack: TestStack;
let idp: Server;
let issuer: string;
let signingKey: KeyLike;
let strangerKey: KeyLike;

const idToken = (
  claims: Record<string, unknown>,
  options: { key?: KeyLike; audience?: string; expires?: string | number } = {},
) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
    .setIssuer(issuer)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('idp-user-1')
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '5m')
    .sign(options.key ?? signingKey);

const signIn = (body: unknown) => post(stack.url, '/app/v1/sessions', body, { 'x-forwarded-for': '192.0.2.10' });

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('ES256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  // The retailer's identity provider: its key set only (APP_OIDC_JWKS_URL, so no discovery).
  idp = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.statusCode = req.url === '/jwks' ? 200 : 404;
    res.end(JSON.stringify(req.url === '/jwks' ? { keys: [jwk] } : {}));
  });
  await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

  stack = await startTestStack({
    env: {
      DEMO_MODE: 'false',
      METRICS_TOKEN,
      APP_OIDC_ISSUER: issuer,
      APP_OIDC_AUDIENCE: AUDIENCE,
      APP_OIDC_JWKS_URL: `${issuer}/jwks`,
      APP_OIDC_SHOPPER_CLAIM: CLAIM,
    },
  });
  await seedStore(stack.db);
  await upsertShopper(stack.db, {
    shopperId: 'idp-shopper-1',
    displayName: 'Ida',
    visitorType: 'SHOPPER',
    appToken: 'app-token-of-ida-0123456789',
    paymentToken: 'tok_visa',
    paymentExpiry: '2099-01',
  });
});
afterAll(async () => {
  await stack?.close();
  idp?.close();
});

test("when the provider's token names an enrolled shopper, then it signs them in and the session gets a code the gate accepts", async () => {
  const signedIn = await signIn({ idToken: await idToken({ [CLAIM]: 'idp-shopper-1' }) });
  expect(signedIn.status).toBe(201);
  expect(signedIn.body.shopperId).toBe('idp-shopper-1');
  const issued = await post(
    stack.url,
    '/app/v1/scan-keys',
    {},
    { authorization: `Bearer ${signedIn.body.sessionToken}` },
  );
  expect(issued.status).toBe(201);
  const gate = await post(stack.url, '/v1/identity/identity-keys', identityKeysRequest(issued.body.code));
  expect(gate).toEqual({ status: 200, body: { visitorDetails: { id: 'idp-shopper-1', type: 'SHOPPER' } } });
});

test('when the token is signed by another key, for another audience, expired, or names nobody, then 401 by reason', async () => {
  const counted = async () => {
    const text = await (
      await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
    ).text();
    return Object.fromEntries(
      [...text.matchAll(/^jwo_app_signin_failures_total\{reason="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]),
    );
  };
  const before = await counted();
  const refused = [
    await signIn({ idToken: await idToken({ [CLAIM]: 'idp-shopper-1' }, { key: strangerKey }) }),
    await signIn({ idToken: await idToken({ [CLAIM]: 'idp-shopper-1' }, { audience: 'another-app' }) }),
    await signIn({
      idToken: await idToken({ [CLAIM]: 'idp-shopper-1' }, { expires: Math.floor(Date.now() / 1000) - 120 }),
    }),
    await signIn({ idToken: await idToken({}) }),
  ];
  expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401]);
  expect(refused.map((r) => r.body.message)).toEqual([
    'invalid token: ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    'invalid token: ERR_JWT_CLAIM_VALIDATION_FAILED',
    'invalid token: ERR_JWT_EXPIRED',
    `invalid token: no ${CLAIM} claim with the shopper id`,
  ]);
  const unknown = await signIn({ idToken: await idToken({ [CLAIM]: 'never-enrolled' }) });
  expect(unknown).toEqual({
    status: 401,
    body: { message: 'shopper never-enrolled is not enrolled: enroll them first' },
  });
  const after = await counted();
  expect(after.invalid_id_token - (before.invalid_id_token ?? 0)).toBe(4);
  expect(after.unknown_shopper - (before.unknown_shopper ?? 0)).toBe(1);
});

test('when the app token is sent instead, then it still signs in; both at once is a 400 naming idToken', async () => {
  expect((await signIn({ appToken: 'app-token-of-ida-0123456789' })).status).toBe(201);
  const both = await signIn({ appToken: 'app-token-of-ida-0123456789', idToken: await idToken({ [CLAIM]: 'x' }) });
  expect(both).toMatchObject({
    status: 400,
    body: { errors: [{ field: 'idToken', reason: 'send appToken or idToken, not both' }] },
  });
});
