/**
 * Operators are people, outside demo mode: named keys with roles (OPERATOR_KEYS) and identity-provider
 * tokens verified against a JWKS served on loopback from keys made here; each route's role; the acting
 * operator from the credential, never from the body; every action in the audit log (GET /ops/v1/audit);
 * the demo-only parts switched off; /metrics behind METRICS_TOKEN; /readyz saying demoMode.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { startTestStack, type TestStack } from '../support/stack';
import { enterStore, getJson, item, post, purchaseRequest, seedShopper } from '../support/fixtures';
import { preAuthPlaced } from '../support/purchases';
import { eventually } from '../support/eventually';
import { seedDemoStore } from '../../src/tools/cli/demoStore';

const key = () => randomBytes(24).toString('hex'); // 48 characters
const KEYS = { vic: key(), olga: key(), ada: key() };
const METRICS_TOKEN = key();
const AUDIENCE = 'jwo-operator-api';

const as = (who: keyof typeof KEYS) => ({ 'x-operator-key': KEYS[who] });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('operator access outside demo mode', () => {
  let stack: TestStack;
  let idp: Server;
  let issuer: string;
  let signingKey: KeyLike;
  let strangerKey: KeyLike;

  const token = (claims: Record<string, unknown>, options: { key?: KeyLike; audience?: string; kid?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'idp-1' })
      .setIssuer(issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(options.key ?? signingKey);

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
    // The retailer's identity provider: its discovery document and key set, on loopback.
    idp = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration')
        return void res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      if (req.url === '/jwks') return void res.end(JSON.stringify({ keys: [jwk] }));
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;

    stack = await startTestStack({
      env: {
        DEMO_MODE: 'false',
        OPERATOR_KEYS: `vic:viewer:${KEYS.vic},olga:operator:${KEYS.olga},ada:admin:${KEYS.ada}`,
        OPERATOR_OIDC_ISSUER: issuer,
        OPERATOR_OIDC_AUDIENCE: AUDIENCE,
        METRICS_TOKEN,
      },
    });
    await seedDemoStore(stack.db);
  });
  afterAll(async () => {
    await stack?.close();
    idp?.close();
  });

  test('when no credential, a wrong one or the demo key is sent, then the operator API answers 401', async () => {
    expect((await getJson(stack.url, '/ops/v1/purchases', {})).status).toBe(401);
    expect((await getJson(stack.url, '/ops/v1/purchases', { 'x-operator-key': key() })).status).toBe(401);
    expect((await getJson(stack.url, '/ops/v1/purchases')).status).toBe(401); // the demo key
  });

  test('when a viewer lists and then tries to replay, then listing works and the replay is a 403 naming the role needed', async () => {
    expect((await getJson(stack.url, '/ops/v1/purchases', as('vic'))).status).toBe(200);
    expect((await getJson(stack.url, '/ops/v1/badcarts', as('vic'))).status).toBe(200);
    expect((await getJson(stack.url, '/ops/v1/audit', as('vic'))).status).toBe(200);
    const replay = await post(stack.url, '/ops/v1/purchases/T-1/replay', {}, as('vic'));
    expect(replay).toEqual({
      status: 403,
      body: { message: 'this needs the operator role (or higher); vic has the viewer role' },
    });
    const settle = await post(stack.url, '/ops/v1/shoppers/shopper-001/settle', {}, as('vic'));
    expect(settle.status).toBe(403);
    // The role is checked before the body is read: a viewer's malformed body is still a 403.
    expect((await post(stack.url, '/ops/v1/purchases/T-1/replay', '{not json', as('vic'))).status).toBe(403);
  });

  test('when an operator starts a catalog upload, then it is a 403 naming admin; an admin passes the role check', async () => {
    const upload = await post(stack.url, '/ops/v1/catalog/uploads', { storeId: 'NO-SUCH-STORE' }, as('olga'));
    expect(upload.status).toBe(403);
    expect(upload.body.message).toMatch(/needs the admin role/);
    expect((await post(stack.url, '/ops/v1/catalog/uploads', { storeId: 'NO-SUCH-STORE' }, as('ada'))).status).toBe(
      404,
    );
    const replay = await post(stack.url, '/ops/v1/purchases/NO-SUCH-TRIP/replay', {}, as('olga'));
    expect(replay).toEqual({ status: 404, body: { message: 'no purchase for trip NO-SUCH-TRIP' } });
    // An older CLI's body is accepted, its name ignored.
    expect((await post(stack.url, '/ops/v1/purchases/NO-SUCH-TRIP/replay', { operator: 'x' }, as('olga'))).status).toBe(
      404,
    );
  });

  test('when an operator settles a shopper, then the audit log names the credential’s operator and role', async () => {
    const shopper = await seedShopper(stack.db);
    const answer = await post(stack.url, `/ops/v1/shoppers/${shopper.shopperId}/settle`, {}, as('olga'));
    expect(answer).toEqual({ status: 200, body: { shopperId: shopper.shopperId, settled: [] } });
    const { body } = await getJson(stack.url, '/ops/v1/audit?operator=olga', as('vic'));
    expect(body.entries[0]).toMatchObject({
      actor: { name: 'olga', role: 'operator' },
      action: 'shopper.settle',
      subject: { type: 'shopper', id: shopper.shopperId },
    });
  });

  test('when a bad cart is resolved with a made-up operator in the body, then the decision and the audit name the credential’s operator', async () => {
    const shopper = await seedShopper(stack.db);
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    await preAuthPlaced(stack.db, authEvent.id);
    const request = purchaseRequest([authEvent], [item('SKU-003'), item('SKU-UNKNOWN')]);
    expect((await post(stack.url, '/v1/order/purchases', request)).status).toBe(201);
    const tripId = request.idempotentShoppingTripId as string;
    await eventually(async () => {
      const open = await getJson(stack.url, '/ops/v1/badcarts', as('vic'));
      expect(open.body.map((b: any) => b.tripId)).toContain(tripId);
    });

    const resolved = await post(
      stack.url,
      `/ops/v1/badcarts/${tripId}/resolve`,
      { decision: 'WRITE_OFF', operator: 'mallory', note: 'unknown item was a sample' },
      as('olga'),
    );
    expect(resolved.status).toBe(200);
    const [cart] = await stack.db.query<any>('SELECT decided_by FROM bad_carts WHERE trip_id = $1', [tripId]);
    expect(cart.decided_by).toBe('olga');
    const { body } = await getJson(stack.url, `/ops/v1/audit?trip=${tripId}`, as('vic'));
    expect(body.entries).toEqual([
      expect.objectContaining({
        actor: { name: 'olga', role: 'operator' },
        action: 'badcart.resolve',
        subject: { type: 'trip', id: tripId },
        reason: 'unknown item was a sample',
        details: { decision: 'WRITE_OFF' },
      }),
    ]);
    expect((await getJson(stack.url, '/ops/v1/audit?operator=mallory', as('vic'))).body.entries).toEqual([]);
  });

  test('when an identity-provider token carries a role, then its email is the operator and its role applies', async () => {
    const shopper = await seedShopper(stack.db);
    const olgaToken = await token({ sub: 'u-17', email: 'olga@retailer.example', jwo_role: 'operator' });
    const settle = await post(stack.url, `/ops/v1/shoppers/${shopper.shopperId}/settle`, {}, bearer(olgaToken));
    expect(settle.status).toBe(200);
    const { body } = await getJson(stack.url, `/ops/v1/audit?operator=olga@retailer.example`, bearer(olgaToken));
    expect(body.entries[0]).toMatchObject({ actor: { name: 'olga@retailer.example', role: 'operator' } });

    const viewerToken = await token({ sub: 'u-18', jwo_role: 'viewer' });
    const replay = await post(stack.url, '/ops/v1/purchases/T-1/replay', {}, bearer(viewerToken));
    expect(replay.status).toBe(403);
    expect(replay.body.message).toBe('this needs the operator role (or higher); u-18 has the viewer role');
  });

  test('when a token is for another audience, signed by another key, or carries no role, then it is refused', async () => {
    const wrongAudience = await token({ sub: 'u-1', jwo_role: 'admin' }, { audience: 'another-api' });
    expect((await getJson(stack.url, '/ops/v1/purchases', bearer(wrongAudience))).status).toBe(401);
    const forged = await token({ sub: 'u-1', jwo_role: 'admin' }, { key: strangerKey });
    expect((await getJson(stack.url, '/ops/v1/purchases', bearer(forged))).status).toBe(401);
    const noRole = await token({ sub: 'u-1', email: 'x@retailer.example' });
    const refused = await getJson(stack.url, '/ops/v1/purchases', bearer(noRole));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/no jwo_role claim/);
  });

  test('when demo mode is off, then operator-minted codes, the demo app tokens and the demo pages are refused', async () => {
    const minted = await post(stack.url, '/ops/v1/scan-keys', { shopperId: 'shopper-001' }, as('ada'));
    expect(minted.status).toBe(403);
    expect(minted.body.message).toMatch(/demo mode only \(DEMO_MODE=true\)/);
    const signIn = await post(stack.url, '/app/v1/sessions', { appToken: 'demo-alice' }, {});
    expect(signIn).toEqual({
      status: 401,
      body: { message: 'demo app tokens sign in only in demo mode (DEMO_MODE=true)' },
    });
    expect((await getJson(stack.url, '/app/v1/me', bearer('demo-alice'))).status).toBe(401);
    expect((await fetch(`${stack.url}/app`)).status).toBe(404);
    expect((await getJson(stack.url, '/ops/v1/stores/STORE-001/catalog', as('ada'))).status).toBe(404);
  });

  test('when /metrics is scraped, then only METRICS_TOKEN gets the numbers', async () => {
    expect((await fetch(`${stack.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${stack.url}/metrics`, { headers: bearer(KEYS.ada) })).status).toBe(401);
    const scraped = await fetch(`${stack.url}/metrics`, { headers: bearer(METRICS_TOKEN) });
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toMatch(/jwo_gate_decisions_total|# HELP/);
    // The demo app token's sign-in (test above, or this one when run alone) is counted by its reason.
    await post(stack.url, '/app/v1/sessions', { appToken: 'demo-bob' }, {});
    const after = await (await fetch(`${stack.url}/metrics`, { headers: bearer(METRICS_TOKEN) })).text();
    expect(after).toMatch(/jwo_app_signin_failures_total\{reason="demo_token_outside_demo"\} [1-9]/);
  });

  test('when the CLI asks whether this is the demo, then /readyz says it is not', async () => {
    expect(await (await fetch(`${stack.url}/readyz`)).json()).toMatchObject({ demoMode: false });
  });
});
