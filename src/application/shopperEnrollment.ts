/**
 * Shopper accounts for the retailer's app backend (and support staff through `jwo shoppers`):
 * enroll, attach a payment method the way the configured gateway does it, replace or remove it,
 * deactivate. The connector never sees a card number: it keeps the gateway's token only.
 *
 * Payment methods are a union on `type`, one member per gateway flow. Today the gateway is the
 * simulator, whose methods are test tokens (`tok_visa`, `tok_decline_capture`, …). A Stripe gateway
 * would add `{ type: 'STRIPE_PAYMENT_METHOD', setupIntentId }`: the app confirms a SetupIntent
 * (created by a `POST …/payment-method/setup-intents` that answers its client secret), then attaches
 * it here; this function would read the PaymentMethod id and card expiry from Stripe and store them
 * in the same two columns. Nothing else changes.
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
import { InvalidRequest, NotFound, StateConflict } from './errors';

export type PaymentMethodInput = { type: 'TEST_TOKEN'; token: string; expiry: string };

/** The gateways this deployment can attach methods for, by `type`. */
export const SUPPORTED_PAYMENT_METHODS = ['TEST_TOKEN'] as const;

export interface ShopperView {
  shopperId: string;
  displayName: string;
  visitorType: VisitorType;
  status: 'ACTIVE' | 'CLOSED';
  flaggedReason: string | null;
  paymentMethod: { type: 'TEST_TOKEN'; token: string; expiry: string | null } | null;
  hasOpenDebt: boolean;
}

export function shopperView(shopper: Shopper): ShopperView {
  return {
    shopperId: shopper.shopperId,
    displayName: shopper.displayName,
    visitorType: shopper.visitorType,
    status: shopper.status,
    flaggedReason: shopper.flaggedReason,
    paymentMethod: shopper.paymentToken
      ? { type: 'TEST_TOKEN', token: shopper.paymentToken, expiry: shopper.paymentExpiry }
      : null,
    hasOpenDebt: shopper.hasOpenDebt,
  };
}

const PAN_LIKE = /^[\d\s-]{12,23}$/;
const EXPIRY = /^\d{4}-(0[1-9]|1[0-2])$/;

function paymentMethodProblems(method: PaymentMethodInput, field: string, now: Date) {
  const problems: { field: string; reason: string }[] = [];
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
  now = new Date(),
): Promise<{ shopper: ShopperView; created: boolean }> {
  const problems = enrollment.paymentMethod
    ? paymentMethodProblems(enrollment.paymentMethod, 'paymentMethod', now)
    : [];
  if (problems.length) throw new InvalidRequest(problems);
  const created = await db.transaction(async (tx) => {
    const inserted = await insertShopper(tx, {
      shopperId: enrollment.shopperId,
      displayName: enrollment.displayName,
      visitorType: enrollment.visitorType,
      appToken: enrollment.appToken,
      paymentToken: enrollment.paymentMethod?.token ?? null,
      paymentExpiry: enrollment.paymentMethod?.expiry ?? null,
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

/** Attaches the payment method, replacing the one the shopper had. */
export async function attachPaymentMethod(
  db: Database,
  actor: Actor,
  shopperId: string,
  method: PaymentMethodInput,
  now = new Date(),
): Promise<ShopperView> {
  const problems = paymentMethodProblems(method, 'paymentMethod', now);
  if (problems.length) throw new InvalidRequest(problems);
  await db.transaction(async (tx) => {
    const current = await existing(tx, shopperId);
    if (current.status !== 'ACTIVE') throw new StateConflict(`shopper ${shopperId} is deactivated`);
    await setPaymentMethod(tx, shopperId, method.token, method.expiry);
    await recordAudit(tx, {
      actor,
      action: current.paymentToken ? 'shopper.payment_method.replace' : 'shopper.payment_method.attach',
      subject: { type: 'shopper', id: shopperId },
      details: { type: method.type, expiry: method.expiry },
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
