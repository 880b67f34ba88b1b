/**
 * Saving a shopper's card with Stripe (PAYMENT_GATEWAY=stripe), for enrollment
 * (src/application/shopperEnrollment.ts). The connector never sees card data:
 *
 *   1. the connector creates the shopper's Customer once (Idempotency-Key `customer:<shopperId>`, so a
 *      retry or a race creates one) and keeps its id in shoppers.payment_customer_id;
 *   2. it creates a SetupIntent for that customer with usage off_session (the card is charged later
 *      without the shopper) and answers its client_secret, which the app confirms with Stripe's SDK;
 *   3. the app backend names the SetupIntent; the connector reads it back from Stripe (status
 *      succeeded, same customer) and keeps the PaymentMethod id (pm_…) and the card's expiry month.
 *
 * Stripe's connection, rate-limit, API and key errors are thrown as GatewayUnavailableError (the app
 * backend may retry); a SetupIntent Stripe does not know is answered as null.
 */
import type Stripe from 'stripe';
import { GatewayUnavailableError, PaymentRequestRefused } from './paymentGateway';
import { stripeClient } from './stripeGateway';

export interface StripeSetupIntentView {
  setupIntentId: string;
  status: Stripe.SetupIntent.Status;
  customerId: string | null;
  usage: string;
  paymentMethodId: string | null;
  /** The card's last valid month, YYYY-MM, when the payment method is a card. */
  expiry: string | null;
}

export interface StripeSetup {
  /** Creates the shopper's Customer (the same one for every call for this shopper id). */
  createCustomer(shopperId: string, displayName: string): Promise<string>;
  createSetupIntent(customerId: string, shopperId: string): Promise<{ setupIntentId: string; clientSecret: string }>;
  /** The SetupIntent and its payment method, or null when Stripe has no such SetupIntent. */
  readSetupIntent(setupIntentId: string): Promise<StripeSetupIntentView | null>;
}

export interface StripeSetupOptions {
  secretKey: string;
  apiBase?: string;
  timeoutMs?: number;
}

function failure(what: string, err: unknown): Error {
  const e = (err ?? {}) as { type?: string; message?: string };
  if (e.type === 'StripeInvalidRequestError' || e.type === 'StripeIdempotencyError')
    return new PaymentRequestRefused(`Stripe refused to ${what}: ${e.message ?? String(err)}`);
  return new GatewayUnavailableError(`Stripe could not ${what}: ${e.message ?? String(err)}`);
}

export function expiryOf(card: { exp_month: number; exp_year: number } | null | undefined): string | null {
  if (!card?.exp_month || !card.exp_year) return null;
  return `${String(card.exp_year).padStart(4, '0')}-${String(card.exp_month).padStart(2, '0')}`;
}

export function createStripeSetup(options: StripeSetupOptions): StripeSetup {
  const stripe = stripeClient(options.secretKey, options.apiBase, options.timeoutMs);
  return {
    async createCustomer(shopperId, displayName) {
      try {
        const customer = await stripe.customers.create(
          { name: displayName, metadata: { shopper_id: shopperId } },
          { idempotencyKey: `customer:${shopperId}` },
        );
        return customer.id;
      } catch (err) {
        throw failure('create the customer', err);
      }
    },

    async createSetupIntent(customerId, shopperId) {
      try {
        const intent = await stripe.setupIntents.create({
          customer: customerId,
          usage: 'off_session',
          metadata: { shopper_id: shopperId },
        });
        if (!intent.client_secret) throw new GatewayUnavailableError(`SetupIntent ${intent.id} has no client_secret`);
        return { setupIntentId: intent.id, clientSecret: intent.client_secret };
      } catch (err) {
        if (err instanceof GatewayUnavailableError) throw err;
        throw failure('create the SetupIntent', err);
      }
    },

    async readSetupIntent(setupIntentId) {
      let intent: Stripe.SetupIntent;
      try {
        intent = await stripe.setupIntents.retrieve(setupIntentId, { expand: ['payment_method'] });
      } catch (err) {
        const e = err as { type?: string; code?: string };
        if (e?.type === 'StripeInvalidRequestError' && e.code === 'resource_missing') return null;
        throw failure('read the SetupIntent', err);
      }
      const method = intent.payment_method;
      const customer = intent.customer;
      return {
        setupIntentId: intent.id,
        status: intent.status,
        customerId: typeof customer === 'string' ? customer : (customer?.id ?? null),
        usage: intent.usage,
        paymentMethodId: typeof method === 'string' ? method : (method?.id ?? null),
        expiry: typeof method === 'object' && method ? expiryOf(method.card) : null,
      };
    },
  };
}
