/**
 * The Stripe gateway against stripe-mock (Stripe's official mock server, started by the global
 * setup): every call the adapter makes is a request stripe-mock validates against Stripe's OpenAPI
 * spec (an invalid one answers 400 and fails here), and the SDK parses its answer. stripe-mock keeps
 * no state and answers canned objects (a PaymentIntent in requires_payment_method), so a small proxy
 * in front of it can set the status the branch under test needs; the request still goes to
 * stripe-mock unchanged. The mapping of every documented outcome is unit-tested (stripeMapping).
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createStripeGateway } from '../../src/adapters/payments/stripeGateway';
import type { PaymentGateway } from '../../src/adapters/payments/paymentGateway';

const STRIPE_MOCK = process.env.JWO_TEST_STRIPE_MOCK_URL!;

interface Seen {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | undefined;
  body: string;
}

/** Forwards to stripe-mock; `patch` may rewrite the JSON answer of a path (statuses stripe-mock cannot hold). */
function proxy(
  patch: (method: string, path: string, body: any) => any,
): Promise<{ url: string; seen: Seen[]; server: Server }> {
  const seen: Seen[] = [];
  const target = new URL(STRIPE_MOCK);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const out: Buffer[] = [];
          answer.on('data', (c: Buffer) => out.push(c));
          answer.on('end', () => {
            const status = answer.statusCode ?? 0;
            seen.push({
              method: req.method!,
              path: req.url!.split('?')[0],
              status,
              idempotencyKey: req.headers['idempotency-key'] as string | undefined,
              body: body.toString(),
            });
            let text = Buffer.concat(out).toString();
            if (status === 200) text = JSON.stringify(patch(req.method!, req.url!.split('?')[0], JSON.parse(text)));
            res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_proxy' });
            res.end(text);
          });
        },
      );
      upstream.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }),
    ),
  );
}

describe('Stripe gateway against stripe-mock', () => {
  let server: Server;
  let seen: Seen[];
  let gateway: PaymentGateway;
  /** The status each answered PaymentIntent gets (stripe-mock's canned one is requires_payment_method). */
  let intentStatus: string | null = null;
  let incremental: 'available' | 'unavailable' = 'available';

  beforeAll(async () => {
    const p = await proxy((_method, _path, body) => {
      if (body.object === 'payment_intent' && intentStatus) {
        body.status = intentStatus;
        body.amount_capturable = intentStatus === 'requires_capture' ? body.amount : 0;
        if (body.latest_charge && typeof body.latest_charge === 'object')
          body.latest_charge.payment_method_details.card.incremental_authorization = { status: incremental };
      }
      return body;
    });
    server = p.server;
    seen = p.seen;
    gateway = createStripeGateway({
      secretKey: 'sk_test_123',
      apiBase: p.url,
      customerOf: async (shopperId) => (shopperId === 'no-customer' ? null : 'cus_NffrFeUfNV2Hib'),
    });
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen.length = 0;
    intentStatus = null;
    incremental = 'available';
  });

  const authorizeRequest = {
    idempotencyKey: 'preauth:ae-1',
    shopperId: 'shopper-1',
    storeId: 'STORE-001',
    authEventId: 'ae-1',
    paymentToken: 'pm_card_visa',
    amountMinor: 5000,
    currency: 'USD',
  };

  test('authorize: a manual-capture PaymentIntent confirmed off-session, under our idempotency key', async () => {
    intentStatus = 'requires_capture';
    const result = await gateway.authorize(authorizeRequest);
    expect(result).toMatchObject({ outcome: 'APPROVED', authorizationId: expect.stringMatching(/^pi_/) });
    expect(seen).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/payment_intents',
        status: 200,
        idempotencyKey: 'preauth:ae-1',
      }),
    ]);
    const sent = new URLSearchParams(seen[0].body);
    expect(Object.fromEntries(sent)).toMatchObject({
      amount: '5000',
      currency: 'usd',
      capture_method: 'manual',
      confirm: 'true',
      off_session: 'true',
      customer: 'cus_NffrFeUfNV2Hib',
      payment_method: 'pm_card_visa',
      'payment_method_options[card][request_incremental_authorization]': 'if_available',
    });
  });

  test('authorize: stripe-mock’s canned requires_payment_method is a decline; no customer is declined without a call', async () => {
    expect(await gateway.authorize(authorizeRequest)).toMatchObject({ outcome: 'DECLINED', code: 'CARD_DECLINED' });
    seen.length = 0;
    expect(await gateway.authorize({ ...authorizeRequest, shopperId: 'no-customer' })).toMatchObject({
      outcome: 'DECLINED',
      code: 'NO_PAYMENT_METHOD',
    });
    expect(seen).toEqual([]);
  });

  test('adjust: raises the authorization with incrementAuthorization where the intent supports it', async () => {
    intentStatus = 'requires_capture';
    expect(
      await gateway.adjust({
        idempotencyKey: 'adjust:t1:pi_1',
        authorizationId: 'pi_1',
        amountMinor: 999_999,
        tripId: 't1',
      }),
    ).toEqual({ outcome: 'APPROVED' });
    expect(seen.map((s) => [s.method, s.path, s.status, s.idempotencyKey])).toEqual([
      ['GET', '/v1/payment_intents/pi_1', 200, undefined],
      ['POST', '/v1/payment_intents/pi_1/increment_authorization', 200, 'adjust:t1:pi_1'],
    ]);
  });

  test('adjust: without incremental support it is declined INCREMENT_NOT_SUPPORTED (the purchase charges the rest)', async () => {
    intentStatus = 'requires_capture';
    incremental = 'unavailable';
    expect(
      await gateway.adjust({
        idempotencyKey: 'adjust:t1:pi_1',
        authorizationId: 'pi_1',
        amountMinor: 999_999,
        tripId: 't1',
      }),
    ).toMatchObject({ outcome: 'DECLINED', code: 'INCREMENT_NOT_SUPPORTED' });
    expect(seen.map((s) => s.path)).toEqual(['/v1/payment_intents/pi_1']);
  });

  test('capture: amount_to_capture under the capture key', async () => {
    intentStatus = 'succeeded';
    expect(
      await gateway.capture({
        idempotencyKey: 'capture:t1:pi_1',
        authorizationId: 'pi_1',
        amountMinor: 4200,
        tripId: 't1',
      }),
    ).toEqual({ outcome: 'APPROVED' });
    expect(seen).toEqual([
      expect.objectContaining({
        path: '/v1/payment_intents/pi_1/capture',
        status: 200,
        idempotencyKey: 'capture:t1:pi_1',
      }),
    ]);
    expect(new URLSearchParams(seen[0].body).get('amount_to_capture')).toBe('4200');
  });

  test('void: cancel', async () => {
    intentStatus = 'canceled';
    expect(await gateway.void({ idempotencyKey: 'void:pi_1', authorizationId: 'pi_1', tripId: null })).toEqual({
      outcome: 'APPROVED',
    });
    expect(seen).toEqual([
      expect.objectContaining({ path: '/v1/payment_intents/pi_1/cancel', status: 200, idempotencyKey: 'void:pi_1' }),
    ]);
  });

  test('charge: an automatic-capture PaymentIntent confirmed off-session; its id is the payment to refund', async () => {
    intentStatus = 'succeeded';
    const result = await gateway.charge({
      idempotencyKey: 'charge:t1',
      shopperId: 'shopper-1',
      paymentToken: 'pm_card_visa',
      amountMinor: 1234,
      currency: 'USD',
      tripId: 't1',
    });
    expect(result).toMatchObject({ outcome: 'APPROVED', paymentId: expect.stringMatching(/^pi_/) });
    expect(seen).toEqual([
      expect.objectContaining({ path: '/v1/payment_intents', status: 200, idempotencyKey: 'charge:t1' }),
    ]);
    expect(new URLSearchParams(seen[0].body).get('capture_method')).toBeNull();
  });

  test('refund: a Refund of the PaymentIntent under the refund key', async () => {
    const result = await gateway.refund({
      idempotencyKey: 'refund:t1:abc:0',
      paymentId: 'pi_1',
      amountMinor: 500,
      currency: 'USD',
      tripId: 't1',
      reason: 'damaged item',
    });
    expect(result).toMatchObject({ outcome: 'APPROVED', refundId: expect.stringMatching(/^re_/) });
    expect(seen).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v1/refunds', status: 200, idempotencyKey: 'refund:t1:abc:0' }),
    ]);
    expect(Object.fromEntries(new URLSearchParams(seen[0].body))).toMatchObject({
      payment_intent: 'pi_1',
      amount: '500',
    });
  });
});
