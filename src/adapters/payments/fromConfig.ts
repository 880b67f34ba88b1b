/** PAYMENT_GATEWAY → the gateway behind the ledger (simulated by default, or Stripe). */
import type { Config } from '../../config';
import type { Database, Queryable } from '../db/database';
import type { PaymentGateway } from './paymentGateway';
import { createSimulatedGateway } from './simulatedGateway';
import { createStripeGateway } from './stripeGateway';
import { createStripeSetup, type StripeSetup } from './stripeSetup';

/** The shopper's customer at the gateway (Stripe: cus_…), stored at enrollment; no card data. */
export async function paymentCustomerOf(db: Queryable, shopperId: string): Promise<string | null> {
  const [row] = await db.query<{ payment_customer_id: string | null }>(
    'SELECT payment_customer_id FROM shoppers WHERE shopper_id = $1',
    [shopperId],
  );
  return row?.payment_customer_id ?? null;
}

export function gatewayFromConfig(
  config: Pick<Config, 'PAYMENT_GATEWAY' | 'STRIPE_SECRET_KEY' | 'STRIPE_API_BASE'>,
  db: Database,
): PaymentGateway {
  if (config.PAYMENT_GATEWAY === 'stripe') {
    if (!config.STRIPE_SECRET_KEY) throw new Error('PAYMENT_GATEWAY=stripe needs STRIPE_SECRET_KEY');
    return createStripeGateway({
      secretKey: config.STRIPE_SECRET_KEY,
      apiBase: config.STRIPE_API_BASE,
      customerOf: (shopperId) => paymentCustomerOf(db, shopperId),
    });
  }
  return createSimulatedGateway(db);
}

/**
 * How shoppers attach a payment method under this gateway: the simulator's test tokens, or Stripe's
 * SetupIntent flow (src/adapters/payments/stripeSetup.ts). Each gateway refuses the other's methods.
 */
export type PaymentMethodFlow = { gateway: 'simulated' } | { gateway: 'stripe'; stripe: StripeSetup };

export const SIMULATED_PAYMENT_METHODS: PaymentMethodFlow = { gateway: 'simulated' };

export function paymentMethodFlowFromConfig(
  config: Pick<Config, 'PAYMENT_GATEWAY' | 'STRIPE_SECRET_KEY' | 'STRIPE_API_BASE'>,
): PaymentMethodFlow {
  if (config.PAYMENT_GATEWAY !== 'stripe') return SIMULATED_PAYMENT_METHODS;
  if (!config.STRIPE_SECRET_KEY) throw new Error('PAYMENT_GATEWAY=stripe needs STRIPE_SECRET_KEY');
  return {
    gateway: 'stripe',
    stripe: createStripeSetup({ secretKey: config.STRIPE_SECRET_KEY, apiBase: config.STRIPE_API_BASE }),
  };
}
