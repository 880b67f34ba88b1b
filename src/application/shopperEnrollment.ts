/**
 * Shopper accounts for the retailer's app backend (and support staff through `jwo shoppers`):
 * enroll, attach a payment method the way the configured gateway does it, replace or remove it,
 * deactivate. The connector never sees a card number: it keeps the gateway's ids only.
 *
 * Payment methods are a union on `type`, one member per gateway flow, and each gateway refuses the
 * other's (PaymentMethodFlow, from PAYMENT_GATEWAY):
 *   simulated  `{ type: 'TEST_TOKEN', token, expiry }`: the simulator's test tokens (`tok_visa`, …)
 *   stripe     `startPaymentMethodSetup` creates (once) the shopper's Stripe Customer, kept in
 *              shoppers.payment_customer_id, and a SetupIntent (usage off_session) whose client
 *              secret the app confirms with Stripe's SDK; then `{ type: 'STRIPE_SETUP_INTENT',
 *              setupIntentId }` is attached: the connector reads the SetupIntent back from Stripe
 *              (succeeded, this shopper's customer) and keeps its PaymentMethod id (pm_…) and the
 *              card's expiry month in payment_token and payment_expiry.
 */
import type { Database, Queryable } from '../adapters/db/database';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';
import {
  closeShopper,
  findShopper,
  insertShopper,
  setPaymentMethod,
  type Shopper,
  type VisitorType,
} from '../adapters/identity/identityStore';
import { setPaymentCustomer } from '../adapters/identity/identityStore';
import { SIMULATED_PAYMENT_METHODS, type PaymentMethodFlow } from '../adapters/payments/fromConfig';
import { InvalidRequest, NotFound, StateConflict } from './errors';

export type { PaymentMethodFlow };

export type PaymentMethodInput =
  { type: 'TEST_TOKEN'; token: string; expiry: string } | { type: 'STRIPE_SETUP_INTENT'; setupIntentId: string };

/** The payment method type each gateway takes. */
export const PAYMENT_METHOD_TYPE = { simulated: 'TEST_TOKEN', stripe: 'STRIPE_SETUP_INTENT' } as const;

export type PaymentMethodView =
  | { type: 'TEST_TOKEN'; token: string; expiry: string | null }
  | { type: 'STRIPE_PAYMENT_METHOD'; paymentMethodId: string; customerId: string | null; expiry: string | null };

export interface ShopperView {
  shopperId: string;
  displayName: string;
  visitorType: VisitorType;
  status: 'ACTIVE' | 'CLOSED';
  flaggedReason: string | null;
  paymentMethod: PaymentMethodView | null;
  hasOpenDebt: boolean;
}

export function shopperView(shopper: Shopper): ShopperView {
  return {
    shopperId: shopper.shopperId,
    displayName: shopper.displayName,
    visitorType: shopper.visitorType,
    status: shopper.status,
    flaggedReason: shopper.flaggedReason,
    paymentMethod: paymentMethodView(shopper),
    hasOpenDebt: shopper.hasOpenDebt,
  };
}

function paymentMethodView(shopper: Shopper): PaymentMethodView | null {
  if (!shopper.paymentToken) return null;
  // Stripe's saved methods are pm_… (card_… for older cards); the simulator's are tok_….
  if (/^(pm|card|src)_/.test(shopper.paymentToken))
    return {
      type: 'STRIPE_PAYMENT_METHOD',
      paymentMethodId: shopper.paymentToken,
      customerId: shopper.paymentCustomerId ?? null,
      expiry: shopper.paymentExpiry,
    };
  return { type: 'TEST_TOKEN', token: shopper.paymentToken, expiry: shopper.paymentExpiry };
}

const PAN_LIKE = /^[\d\s-]{12,23}$/;
const EXPIRY = /^\d{4}-(0[1-9]|1[0-2])$/;

function paymentMethodProblems(method: PaymentMethodInput, field: string, flow: PaymentMethodFlow, now: Date) {
  const problems: { field: string; reason: string }[] = [];
  const expected = PAYMENT_METHOD_TYPE[flow.gateway];
  if (method.type !== expected)
    return [
      {
        field: `${field}.type`,
        reason: `this connector's payment gateway is ${flow.gateway}: it takes ${expected} payment methods only`,
      },
    ];
  if (method.type === 'STRIPE_SETUP_INTENT') {
    if (!/^seti_[A-Za-z0-9_]{1,250}$/.test(method.setupIntentId))
      problems.push({ field: `${field}.setupIntentId`, reason: 'must be a Stripe SetupIntent id (seti_…)' });
    return problems;
  }
  if (PAN_LIKE.test(method.token))
    problems.push({
      field: `${field}.token`,
      reason: 'looks like a card number: the connector takes the gateway token only, never card numbers',
    });
  else if (!/^tok_[A-Za-z0-9_]{1,100}$/.test(method.token))
    problems.push({ field: `${field}.token`, reason: 'must be a simulator test token such as tok_visa' });
  if (!EXPIRY.test(method.expiry))
    problems.push({ field: `${field}.expiry`, reason: "must be the card's last valid month, YYYY-MM" });
  else if (method.expiry < now.toISOString().slice(0, 7))
    problems.push({ field: `${field}.expiry`, reason: 'the card has expired' });
  return problems;
}

export interface Enrollment {
  shopperId: string;
  displayName: string;
  visitorType: VisitorType;
  /** The app's bearer token for /app/v1 (only its SHA-256 is stored). */
  appToken?: string;
  /** With the Stripe gateway, none: the card is saved afterwards through a SetupIntent. */
  paymentMethod?: PaymentMethodInput;
}

async function existing(db: Queryable, shopperId: string): Promise<Shopper> {
  const shopper = await findShopper(db, shopperId);
  if (!shopper) throw new NotFound(`no shopper ${shopperId}`);
  return shopper;
}

/**
 * Creates the shopper. A retry of the same enrollment (same name and visitor type) answers the
 * account as it is (`created: false`); another enrollment under a taken id is refused.
 */
export async function enrollShopper(
  db: Database,
  actor: Actor,
  enrollment: Enrollment,
  flow: PaymentMethodFlow = SIMULATED_PAYMENT_METHODS,
  now = new Date(),
): Promise<{ shopper: ShopperView; created: boolean }> {
  const method = enrollment.paymentMethod;
  const problems = method ? paymentMethodProblems(method, 'paymentMethod', flow, now) : [];
  if (!problems.length && method?.type === 'STRIPE_SETUP_INTENT')
    problems.push({
      field: 'paymentMethod',
      reason:
        'enroll the shopper without a payment method, then create a SetupIntent (POST …/payment-method/setup-intents) and attach it',
    });
  if (problems.length) throw new InvalidRequest(problems);
  const testToken = method?.type === 'TEST_TOKEN' ? method : undefined;
  const created = await db.transaction(async (tx) => {
    const inserted = await insertShopper(tx, {
      shopperId: enrollment.shopperId,
      displayName: enrollment.displayName,
      visitorType: enrollment.visitorType,
      appToken: enrollment.appToken,
      paymentToken: testToken?.token ?? null,
      paymentExpiry: testToken?.expiry ?? null,
    });
    if (!inserted) {
      const current = (await findShopper(tx, enrollment.shopperId))!;
      if (current.displayName !== enrollment.displayName || current.visitorType !== enrollment.visitorType)
        throw new StateConflict(`shopper ${enrollment.shopperId} already exists with another name or visitor type`);
      return false;
    }
    await recordAudit(tx, {
      actor,
      action: 'shopper.create',
      subject: { type: 'shopper', id: enrollment.shopperId },
      details: {
        displayName: enrollment.displayName,
        visitorType: enrollment.visitorType,
        paymentMethod: enrollment.paymentMethod?.type ?? null,
      },
    });
    return true;
  });
  return { shopper: shopperView(await existing(db, enrollment.shopperId)), created };
}

export async function showShopper(db: Queryable, shopperId: string): Promise<ShopperView> {
  return shopperView(await existing(db, shopperId));
}

/**
 * Starts saving a card with Stripe: creates the shopper's Customer unless they have one (kept in
 * shoppers.payment_customer_id) and a SetupIntent for it, usage off_session. The app confirms the
 * answered client secret with Stripe's SDK, then the SetupIntent is attached (attachPaymentMethod).
 */
export async function startPaymentMethodSetup(
  db: Database,
  actor: Actor,
  shopperId: string,
  flow: PaymentMethodFlow,
): Promise<{ setupIntentId: string; clientSecret: string; customerId: string }> {
  if (flow.gateway !== 'stripe')
    throw new StateConflict(
      `this connector's payment gateway is ${flow.gateway}: attach a TEST_TOKEN payment method, there is no SetupIntent`,
    );
  const shopper = await existing(db, shopperId);
  if (shopper.status !== 'ACTIVE') throw new StateConflict(`shopper ${shopperId} is deactivated`);
  let customerId = shopper.paymentCustomerId ?? null;
  if (!customerId) {
    const created = await flow.stripe.createCustomer(shopperId, shopper.displayName);
    customerId = (await setPaymentCustomer(db, shopperId, created)) ?? created;
  }
  const intent = await flow.stripe.createSetupIntent(customerId, shopperId);
  await recordAudit(db, {
    actor,
    action: 'shopper.payment_method.setup',
    subject: { type: 'shopper', id: shopperId },
    details: { customerId, setupIntentId: intent.setupIntentId },
  });
  return { ...intent, customerId };
}

/** The PaymentMethod a confirmed SetupIntent saved for this shopper's customer, read from Stripe. */
async function savedByStripe(
  flow: Extract<PaymentMethodFlow, { gateway: 'stripe' }>,
  shopper: Shopper,
  setupIntentId: string,
): Promise<{ token: string; expiry: string | null }> {
  if (!shopper.paymentCustomerId)
    throw new StateConflict(
      `shopper ${shopper.shopperId} has no Stripe customer yet: create a SetupIntent first (POST …/payment-method/setup-intents)`,
    );
  const intent = await flow.stripe.readSetupIntent(setupIntentId);
  const field = 'paymentMethod.setupIntentId';
  if (!intent) throw new InvalidRequest([{ field, reason: 'Stripe has no such SetupIntent' }]);
  if (intent.customerId !== shopper.paymentCustomerId)
    throw new InvalidRequest([{ field, reason: "is not a SetupIntent of this shopper's Stripe customer" }]);
  if (intent.usage !== 'off_session')
    throw new InvalidRequest([{ field, reason: 'must be set up for off_session use (create it here)' }]);
  if (intent.status !== 'succeeded' || !intent.paymentMethodId)
    throw new StateConflict(
      `SetupIntent ${setupIntentId} is ${intent.status}: the app must confirm it with Stripe first`,
    );
  return { token: intent.paymentMethodId, expiry: intent.expiry };
}

/** Attaches the payment method, replacing the one the shopper had. */
export async function attachPaymentMethod(
  db: Database,
  actor: Actor,
  shopperId: string,
  method: PaymentMethodInput,
  flow: PaymentMethodFlow = SIMULATED_PAYMENT_METHODS,
  now = new Date(),
): Promise<ShopperView> {
  const problems = paymentMethodProblems(method, 'paymentMethod', flow, now);
  if (problems.length) throw new InvalidRequest(problems);
  // Stripe is read before the transaction (no network call holds a database lock).
  const saved =
    method.type === 'STRIPE_SETUP_INTENT' && flow.gateway === 'stripe'
      ? await savedByStripe(flow, await existing(db, shopperId), method.setupIntentId)
      : method.type === 'TEST_TOKEN'
        ? { token: method.token, expiry: method.expiry }
        : null;
  if (!saved) throw new InvalidRequest([{ field: 'paymentMethod.type', reason: 'is not supported' }]);
  await db.transaction(async (tx) => {
    const current = await existing(tx, shopperId);
    if (current.status !== 'ACTIVE') throw new StateConflict(`shopper ${shopperId} is deactivated`);
    await setPaymentMethod(tx, shopperId, saved.token, saved.expiry);
    await recordAudit(tx, {
      actor,
      action: current.paymentToken ? 'shopper.payment_method.replace' : 'shopper.payment_method.attach',
      subject: { type: 'shopper', id: shopperId },
      details:
        method.type === 'STRIPE_SETUP_INTENT'
          ? {
              type: method.type,
              setupIntentId: method.setupIntentId,
              paymentMethodId: saved.token,
              expiry: saved.expiry,
            }
          : { type: method.type, expiry: saved.expiry },
    });
  });
  return showShopper(db, shopperId);
}

/** Removes the payment method: the gate then turns the shopper away (no payment instrument) until another is attached. */
export async function removePaymentMethod(db: Database, actor: Actor, shopperId: string): Promise<ShopperView> {
  await db.transaction(async (tx) => {
    const current = await existing(tx, shopperId);
    if (!current.paymentToken) throw new StateConflict(`shopper ${shopperId} has no payment method`);
    await setPaymentMethod(tx, shopperId, null, null);
    await recordAudit(tx, {
      actor,
      action: 'shopper.payment_method.remove',
      subject: { type: 'shopper', id: shopperId },
    });
  });
  return showShopper(db, shopperId);
}

/** Closes the account (the gate answers ACCOUNT_CLOSED, unused codes are revoked); repeating it changes nothing. */
export async function deactivateShopper(
  db: Database,
  actor: Actor,
  shopperId: string,
  reason?: string,
): Promise<ShopperView> {
  await db.transaction(async (tx) => {
    const current = await existing(tx, shopperId);
    if (current.status === 'CLOSED') return;
    await closeShopper(tx, shopperId);
    await recordAudit(tx, {
      actor,
      action: 'shopper.deactivate',
      subject: { type: 'shopper', id: shopperId },
      reason: reason ?? null,
    });
  });
  return showShopper(db, shopperId);
}
