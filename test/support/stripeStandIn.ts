/**
 * A small stateful stand-in for the parts of Stripe's API the connector calls, for workflow tests
 * with PAYMENT_GATEWAY=stripe (STRIPE_API_BASE pointed at it). stripe-mock validates requests but
 * keeps no state; this keeps it, answering with the bodies Stripe documents:
 *
 *   POST /v1/customers                                  a Customer
 *   POST /v1/setup_intents, GET /v1/setup_intents/:id   usage off_session; `expand[]=payment_method`
 *   POST /v1/setup_intents/:id/confirm                  what the app's Stripe SDK does: saves a new pm_…
 *                                                       behaving like the test payment method given
 *   POST /v1/payment_intents                            create + confirm (off_session), manual or automatic capture
 *   GET  /v1/payment_intents/:id                        `expand[]=latest_charge`
 *   POST /v1/payment_intents/:id/capture                amount_to_capture (≤ amount_capturable; the rest is released)
 *   POST /v1/payment_intents/:id/cancel
 *   POST /v1/payment_intents/:id/increment_authorization
 *   POST /v1/refunds                                    of a PaymentIntent, ≤ what it received minus refunds
 *
 * Test payment methods (https://docs.stripe.com/testing#declined-payments): pm_card_visa and
 * pm_card_mastercard approve, with incremental authorization available; pm_card_discover approves
 * with incremental authorization unavailable (the stand-in's choice, to exercise "capture + charge
 * the rest"); pm_card_chargeDeclined (generic_decline), pm_card_chargeDeclinedInsufficientFunds
 * (insufficient_funds), pm_card_chargeDeclinedExpiredCard (code expired_card) attach to a customer
 * but their payments are declined: HTTP 402, `error.type` card_error, code card_declined (or
 * expired_card), decline_code, and the PaymentIntent left in requires_payment_method with its
 * last_payment_error.
 *
 * Idempotency as Stripe does it: a POST with an Idempotency-Key seen before with the same
 * parameters and endpoint gets the first answer again (also a 402); with other parameters, 400
 * `idempotency_error`. Validation failures (400) are not saved, as Stripe does not save them.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

type Card = {
  brand: string;
  last4: string;
  incremental: 'available' | 'unavailable';
  decline?: { code: string; decline_code?: string; message: string };
};

export const TEST_PAYMENT_METHODS: Record<string, Card> = {
  pm_card_visa: { brand: 'visa', last4: '4242', incremental: 'available' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', incremental: 'available' },
  pm_card_discover: { brand: 'discover', last4: '1117', incremental: 'unavailable' },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    incremental: 'unavailable',
    decline: { code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    incremental: 'unavailable',
    decline: {
      code: 'card_declined',
      decline_code: 'insufficient_funds',
      message: 'Your card has insufficient funds.',
    },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    incremental: 'unavailable',
    decline: { code: 'expired_card', message: 'Your card has expired.' },
  },
};

export interface StandInIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  capture_method: 'manual' | 'automatic';
  currency: string;
  customer: string;
  payment_method: string;
  status: 'requires_payment_method' | 'requires_capture' | 'succeeded' | 'canceled';
  cancellation_reason: string | null;
  canceled_at: number | null;
  created: number;
  last_payment_error: Record<string, unknown> | null;
  latest_charge: string | null;
  metadata: Record<string, string>;
  client_secret: string;
  livemode: false;
  payment_method_types: string[];
  confirmation_method: 'automatic';
  /** Not Stripe's: the sum of this intent's refunds, for the tests. */
  refunded: number;
  /** Not Stripe's: every amount incremental authorization raised it to. */
  increments: number[];
}

export interface StandInRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  params: any;
  status: number;
  replayed: boolean;
}

export interface StripeStandIn {
  url: string;
  intents: Map<string, StandInIntent>;
  refunds: Map<string, any>;
  customers: Map<string, any>;
  setupIntents: Map<string, any>;
  /** Saved payment methods (pm_…) → the test payment method they behave like. */
  paymentMethods: Map<string, { like: string; customer: string | null }>;
  requests: StandInRequest[];
  /** The intents whose metadata names this value (a trip, an auth event, an idempotency key). */
  intentsWith(key: string, value: string): StandInIntent[];
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Stripe's form encoding (`a[b][c]=v`, `expand[0]=x`) → nested objects; numeric keys make arrays. */
export function parseForm(text: string): any {
  const out: any = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = rawKey.replace(/\]/g, '').split('[');
    let node = out;
    path.forEach((part, i) => {
      const last = i === path.length - 1;
      const nextIsIndex = !last && /^\d*$/.test(path[i + 1]);
      if (Array.isArray(node) && part === '') part = String(node.length);
      if (last) node[part] = value;
      else node = node[part] ??= nextIsIndex ? [] : {};
    });
  }
  return out;
}

class StripeError {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** Stripe saves an answer under its key only if the request started executing (not for validation failures). */
    readonly saved = false,
  ) {}
}

const invalid = (message: string, extra: Record<string, unknown> = {}) =>
  new StripeError(400, { type: 'invalid_request_error', message, ...extra });

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const intents = new Map<string, StandInIntent>();
  const charges = new Map<string, string>(); // ch_ → pi_
  const refunds = new Map<string, any>();
  const customers = new Map<string, any>();
  const setupIntents = new Map<string, any>();
  const paymentMethods = new Map<string, { like: string; customer: string | null }>();
  const requests: StandInRequest[] = [];
  const saved = new Map<string, { endpoint: string; params: string; status: number; body: unknown }>();

  const cardOf = (pm: string): Card | undefined => TEST_PAYMENT_METHODS[paymentMethods.get(pm)?.like ?? pm];

  function paymentMethodObject(pm: string) {
    const card = cardOf(pm)!;
    const year = new Date().getUTCFullYear() + 3;
    return {
      id: pm,
      object: 'payment_method',
      type: 'card',
      customer: paymentMethods.get(pm)?.customer ?? null,
      created: nowSeconds(),
      livemode: false,
      metadata: {},
      billing_details: { address: null, email: null, name: null, phone: null },
      card: { brand: card.brand, last4: card.last4, exp_month: 12, exp_year: year, country: 'US', funding: 'credit' },
    };
  }

  function chargeOf(intent: StandInIntent) {
    const card = cardOf(intent.payment_method);
    return {
      id: intent.latest_charge,
      object: 'charge',
      amount: intent.amount,
      amount_captured:
        intent.capture_method === 'automatic' || intent.status === 'succeeded' ? intent.amount_received : 0,
      amount_refunded: intent.refunded,
      captured: intent.status === 'succeeded',
      currency: intent.currency,
      customer: intent.customer,
      paid: intent.status !== 'requires_payment_method',
      payment_intent: intent.id,
      payment_method: intent.payment_method,
      refunded: intent.refunded > 0 && intent.refunded === intent.amount_received,
      status: intent.status === 'requires_payment_method' ? 'failed' : 'succeeded',
      created: intent.created,
      livemode: false,
      metadata: {},
      payment_method_details: {
        type: 'card',
        card: {
          brand: card?.brand ?? 'visa',
          last4: card?.last4 ?? '4242',
          exp_month: 12,
          exp_year: new Date().getUTCFullYear() + 3,
          capture_before: intent.capture_method === 'manual' ? intent.created + 7 * 24 * 3600 : undefined,
          incremental_authorization: { status: card?.incremental ?? 'unavailable' },
        },
      },
    };
  }

  /** The intent as Stripe answers it (latest_charge expanded when asked). */
  function view(intent: StandInIntent, params: any): Record<string, unknown> {
    const { refunded: _r, increments: _i, ...body } = intent;
    const expand: string[] = Object.values(params?.expand ?? {});
    return expand.includes('latest_charge') && intent.latest_charge
      ? { ...body, latest_charge: chargeOf(intent) }
      : body;
  }

  function intentOr404(intentId: string): StandInIntent {
    const intent = intents.get(intentId);
    if (!intent)
      throw new StripeError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'intent',
        message: `No such payment_intent: '${intentId}'`,
      });
    return intent;
  }

  const unexpectedState = (intent: StandInIntent, action: string, allowed: string[]) =>
    invalid(
      `This PaymentIntent could not be ${action} because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${action}: ${allowed.join(', ')}.`,
      { code: 'payment_intent_unexpected_state', payment_intent: view(intent, {}) },
    );

  const amountOf = (value: unknown, param: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw invalid(`Invalid positive integer`, { param });
    return n;
  };

  function createIntent(p: any) {
    const amount = amountOf(p.amount, 'amount');
    if (!p.currency) throw invalid('Missing required param: currency.', { param: 'currency' });
    if (!p.customer || !String(p.customer).startsWith('cus_'))
      throw invalid(`No such customer: '${p.customer}'`, { code: 'resource_missing', param: 'customer' });
    const card = cardOf(p.payment_method);
    if (!card)
      throw invalid(`No such PaymentMethod: '${p.payment_method}'`, {
        code: 'resource_missing',
        param: 'payment_method',
      });
    if (p.confirm !== 'true' || p.off_session !== 'true')
      throw invalid('The stand-in answers off-session confirmed PaymentIntents only (confirm=true, off_session=true)');
    const manual = p.capture_method === 'manual';
    const intent: StandInIntent = {
      id: id('pi'),
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      capture_method: manual ? 'manual' : 'automatic',
      currency: String(p.currency),
      customer: p.customer,
      payment_method: p.payment_method,
      status: 'requires_payment_method',
      cancellation_reason: null,
      canceled_at: null,
      created: nowSeconds(),
      last_payment_error: null,
      latest_charge: id('ch'),
      metadata: p.metadata ?? {},
      client_secret: '',
      livemode: false,
      payment_method_types: ['card'],
      confirmation_method: 'automatic',
      refunded: 0,
      increments: [],
    };
    intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`;
    intents.set(intent.id, intent);
    charges.set(intent.latest_charge!, intent.id);
    if (card.decline) {
      const error = {
        type: 'card_error',
        code: card.decline.code,
        ...(card.decline.decline_code ? { decline_code: card.decline.decline_code } : {}),
        message: card.decline.message,
        charge: intent.latest_charge,
        doc_url: `https://stripe.com/docs/error-codes/${card.decline.code.replace(/_/g, '-')}`,
      };
      intent.last_payment_error = { ...error, payment_method: paymentMethodObject(intent.payment_method) };
      throw new StripeError(402, { ...error, payment_intent: view(intent, {}) }, true);
    }
    if (manual) {
      intent.status = 'requires_capture';
      intent.amount_capturable = amount;
    } else {
      intent.status = 'succeeded';
      intent.amount_received = amount;
    }
    return view(intent, p);
  }

  function capture(intent: StandInIntent, p: any) {
    if (intent.status !== 'requires_capture') throw unexpectedState(intent, 'captured', ['requires_capture']);
    const amount =
      p.amount_to_capture === undefined ? intent.amount_capturable : amountOf(p.amount_to_capture, 'amount_to_capture');
    if (amount > intent.amount_capturable)
      throw invalid(
        `The amount_to_capture (${amount}) must be less than or equal to the amount_capturable (${intent.amount_capturable}).`,
        { code: 'amount_too_large', param: 'amount_to_capture' },
      );
    intent.status = 'succeeded';
    intent.amount_received = amount;
    intent.amount_capturable = 0;
    return view(intent, p);
  }

  function cancel(intent: StandInIntent, p: any) {
    const allowed = [
      'requires_payment_method',
      'requires_capture',
      'requires_confirmation',
      'requires_action',
      'processing',
    ];
    if (!allowed.includes(intent.status)) throw unexpectedState(intent, 'canceled', allowed);
    intent.status = 'canceled';
    intent.cancellation_reason = p.cancellation_reason ?? null;
    intent.canceled_at = nowSeconds();
    intent.amount_capturable = 0;
    return view(intent, p);
  }

  function increment(intent: StandInIntent, p: any) {
    if (intent.status !== 'requires_capture') throw unexpectedState(intent, 'incremented', ['requires_capture']);
    if (cardOf(intent.payment_method)?.incremental !== 'available')
      throw invalid('This PaymentIntent is not eligible for incremental authorizations.', {
        code: 'incremental_authorization_not_supported',
      });
    const amount = amountOf(p.amount, 'amount');
    if (amount <= intent.amount)
      throw invalid('The amount must be greater than the PaymentIntent’s current amount.', { param: 'amount' });
    intent.amount = amount;
    intent.amount_capturable = amount;
    intent.increments.push(amount);
    return view(intent, p);
  }

  function refund(p: any) {
    const intent = intentOr404(p.payment_intent);
    if (intent.status !== 'succeeded')
      throw invalid(`PaymentIntent ${intent.id} does not have a successful charge to refund.`, {
        code: 'charge_not_refundable',
      });
    const left = intent.amount_received - intent.refunded;
    if (left === 0)
      throw invalid(`Charge ${intent.latest_charge} has already been refunded.`, { code: 'charge_already_refunded' });
    const amount = p.amount === undefined ? left : amountOf(p.amount, 'amount');
    if (amount > left)
      throw invalid(`Refund amount ($${amount / 100}) is greater than unrefunded amount on charge ($${left / 100})`, {
        code: 'amount_too_large',
        param: 'amount',
      });
    intent.refunded += amount;
    const body = {
      id: id('re'),
      object: 'refund',
      amount,
      charge: intent.latest_charge,
      currency: intent.currency,
      payment_intent: intent.id,
      reason: p.reason ?? null,
      status: 'succeeded',
      metadata: p.metadata ?? {},
      created: nowSeconds(),
    };
    refunds.set(body.id, body);
    return body;
  }

  function setupIntentView(intent: any, p: any) {
    const expand: string[] = Object.values(p?.expand ?? {});
    return expand.includes('payment_method') && intent.payment_method
      ? { ...intent, payment_method: paymentMethodObject(intent.payment_method) }
      : intent;
  }

  function setupIntentOr404(setupIntentId: string) {
    const intent = setupIntents.get(setupIntentId);
    if (!intent)
      throw new StripeError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        param: 'intent',
        message: `No such setupintent: '${setupIntentId}'`,
      });
    return intent;
  }

  function route(method: string, path: string, p: any): unknown {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/customers') {
      const customer = {
        id: id('cus'),
        object: 'customer',
        name: p.name ?? null,
        email: p.email ?? null,
        metadata: p.metadata ?? {},
        created: nowSeconds(),
        livemode: false,
        invoice_settings: { default_payment_method: null, custom_fields: null, footer: null },
      };
      customers.set(customer.id, customer);
      return customer;
    }
    if (method === 'POST' && path === '/v1/setup_intents') {
      if (p.customer && !customers.has(p.customer))
        throw invalid(`No such customer: '${p.customer}'`, { code: 'resource_missing', param: 'customer' });
      const intent = {
        id: id('seti'),
        object: 'setup_intent',
        client_secret: '',
        customer: p.customer ?? null,
        usage: p.usage ?? 'off_session',
        status: 'requires_payment_method',
        payment_method: null as string | null,
        payment_method_types: ['card'],
        metadata: p.metadata ?? {},
        created: nowSeconds(),
        livemode: false,
        last_setup_error: null,
      };
      intent.client_secret = `${intent.id}_secret_${randomBytes(8).toString('hex')}`;
      setupIntents.set(intent.id, intent);
      return intent;
    }
    if ((m = /^\/v1\/setup_intents\/([^/]+)$/.exec(path)) && method === 'GET')
      return setupIntentView(setupIntentOr404(m[1]), p);
    if ((m = /^\/v1\/setup_intents\/([^/]+)\/confirm$/.exec(path)) && method === 'POST') {
      const intent = setupIntentOr404(m[1]);
      if (!TEST_PAYMENT_METHODS[p.payment_method])
        throw invalid(`No such PaymentMethod: '${p.payment_method}'`, {
          code: 'resource_missing',
          param: 'payment_method',
        });
      if (intent.status === 'succeeded')
        throw invalid('You cannot confirm this SetupIntent because it has already succeeded.', {
          code: 'setup_intent_unexpected_state',
        });
      // Stripe saves a new PaymentMethod, attached to the customer, behaving like the test one.
      const saved = id('pm');
      paymentMethods.set(saved, { like: p.payment_method, customer: intent.customer });
      intent.payment_method = saved;
      intent.status = 'succeeded';
      return setupIntentView(intent, p);
    }
    if (method === 'POST' && path === '/v1/payment_intents') return createIntent(p);
    if ((m = /^\/v1\/payment_intents\/([^/]+)$/.exec(path)) && method === 'GET') return view(intentOr404(m[1]), p);
    if (
      (m = /^\/v1\/payment_intents\/([^/]+)\/(capture|cancel|increment_authorization)$/.exec(path)) &&
      method === 'POST'
    ) {
      const intent = intentOr404(m[1]);
      if (m[2] === 'capture') return capture(intent, p);
      if (m[2] === 'cancel') return cancel(intent, p);
      return increment(intent, p);
    }
    if (method === 'POST' && path === '/v1/refunds') return refund(p);
    throw new StripeError(404, {
      type: 'invalid_request_error',
      message: `Unrecognized request URL (${method}: ${path}). The stand-in implements only what the connector calls.`,
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse, text: string) {
    const [path, query = ''] = (req.url ?? '').split('?');
    const method = req.method ?? 'GET';
    const params = parseForm(method === 'GET' ? query : text);
    const key = req.headers['idempotency-key'] as string | undefined;
    const send = (status: number, body: unknown, replayed = false) => {
      requests.push({ method, path, idempotencyKey: key, params, status, replayed });
      res.writeHead(status, {
        'content-type': 'application/json',
        'request-id': id('req'),
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      });
      res.end(JSON.stringify(body));
    };
    if (!/^Bearer sk_test_/.test(req.headers.authorization ?? ''))
      return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
    const endpoint = `${method} ${path}`;
    if (method === 'POST' && key) {
      const first = saved.get(key);
      if (first) {
        if (first.endpoint !== endpoint || first.params !== JSON.stringify(sortDeep(params)))
          return send(400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          });
        return send(first.status, first.body, true);
      }
    }
    let status = 200;
    let body: unknown;
    let keep = true;
    try {
      body = route(method, path, params);
    } catch (err) {
      if (!(err instanceof StripeError)) throw err;
      status = err.status;
      body = { error: err.body };
      keep = err.saved;
    }
    if (method === 'POST' && key && keep)
      saved.set(key, { endpoint, params: JSON.stringify(sortDeep(params)), status, body });
    send(status, body);
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString());
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    intents,
    refunds,
    customers,
    setupIntents,
    paymentMethods,
    requests,
    intentsWith: (key, value) => [...intents.values()].filter((i) => i.metadata[key] === value),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sortDeep(value: any): any {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortDeep(value[k])]),
    );
  return value;
}
