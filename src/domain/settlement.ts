/**
 * Who pays for a trip, and which authorizations are captured or voided (pure; runs in workflows).
 *
 * - The payer is the first SHOPPER among the trip's auth events, in Amazon's order: in a group
 *   trip one shopper brings the others in and pays once; the others' pre-auths are voided.
 * - No SHOPPER but a CASH_SHOPPER: priced and recorded as CASH_DUE (settled at a cash point; no card).
 * - Only ASSOCIATEs: recorded as NOT_CHARGED (staff restocking or testing); pre-auths voided.
 * - Nobody identified: FAILED, for an operator (never a silent write-off).
 *
 * settlementOutcome() then turns the plan and what the card gave into the purchase's status and
 * receipt, so the workflow only moves money and records; every decision is here, testable alone.
 */
import type { PricingResult } from './pricing';
import { buildReceipt, type Receipt, type ReceiptHeader } from './receipt';

export type VisitorType = 'SHOPPER' | 'ASSOCIATE' | 'CASH_SHOPPER';

export interface TripVisitor {
  authEventId: string;
  shopperId: string;
  visitorType: VisitorType;
}

export interface HeldAuthorization {
  authorizationId: string;
  authEventId: string;
  authorizedMinor: number;
  status: 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'DECLINED';
}

export type Settlement =
  | { kind: 'CARD'; payer: TripVisitor; authorization: HeldAuthorization | null; voids: string[] }
  | { kind: 'CASH_DUE'; payer: TripVisitor; voids: string[] }
  | { kind: 'NOT_CHARGED'; voids: string[] }
  | { kind: 'NO_PAYER'; voids: string[] };

export function planSettlement(visitors: TripVisitor[], authorizations: HeldAuthorization[]): Settlement {
  const held = authorizations.filter((a) => a.status === 'AUTHORIZED');
  const payer = visitors.find((v) => v.visitorType === 'SHOPPER');
  if (payer) {
    // Whatever state the payer's pre-auth is in: a replayed purchase finds it CAPTURED already, and
    // must capture it again under the same idempotency key (answered from the ledger), not charge anew.
    const authorization =
      authorizations.find((a) => a.authEventId === payer.authEventId && a.status !== 'DECLINED') ?? null;
    return {
      kind: 'CARD',
      payer,
      authorization,
      voids: held.filter((a) => a !== authorization).map((a) => a.authorizationId),
    };
  }
  const voids = held.map((a) => a.authorizationId);
  const cash = visitors.find((v) => v.visitorType === 'CASH_SHOPPER');
  if (cash) return { kind: 'CASH_DUE', payer: cash, voids };
  if (visitors.some((v) => v.visitorType === 'ASSOCIATE')) return { kind: 'NOT_CHARGED', voids };
  return { kind: 'NO_PAYER', voids };
}

/** Pre-auths still holding money: the ones to void when nothing (or someone else's card) is charged. */
export const heldAuthorizationIds = (authorizations: HeldAuthorization[]): string[] =>
  authorizations.filter((a) => a.status === 'AUTHORIZED').map((a) => a.authorizationId);

/**
 * The shopper the purchase is recorded for: the first SHOPPER, else whoever came first (a cash shopper
 * or an associate, so their trips are still findable by shopper), else nobody.
 */
export const tripShopperId = (visitors: TripVisitor[]): string | null =>
  visitors.find((v) => v.visitorType === 'SHOPPER')?.shopperId ?? visitors[0]?.shopperId ?? null;

/** What the payment gateway did with the payer's card (settleByCard's answer). */
export interface CardResult {
  capturedMinor: number;
  /** Left unpaid after a decline: owed by the shopper as a debt. */
  outstandingMinor: number;
  declineReason: string | null;
}

/** The statuses a priced purchase can end in (a subset of the workflow's PurchaseStatus). */
export type SettledStatus = 'CAPTURED' | 'DEBT' | 'CASH_DUE' | 'NOT_CHARGED' | 'FAILED';

export interface SettlementOutcome {
  status: SettledStatus;
  receipt: Receipt;
  debt?: { amountMinor: number; currency: string; reason: string };
  failure?: string;
}

export const NO_PAYER_FAILURE = "no shopper could be identified from the trip's auth events";

/**
 * The status, receipt and any debt or failure of a priced purchase, from its settlement plan and,
 * for a CARD plan, what the card gave. A CARD plan without a card result is a bug in the caller.
 */
export function settlementOutcome(
  plan: Settlement,
  card: CardResult | null,
  pricing: PricingResult,
  header: ReceiptHeader,
  notCharged: Receipt['notCharged'],
): SettlementOutcome {
  const receipt = (payment: Receipt['payment']) => buildReceipt(header, pricing, notCharged, payment);
  const { totalMinor, currency } = pricing;
  switch (plan.kind) {
    case 'CARD': {
      if (!card) throw new Error(`a CARD settlement of trip ${header.tripId} needs the card's result`);
      const { capturedMinor, outstandingMinor } = card;
      const paid = receipt({ method: 'CARD', capturedMinor, outstandingMinor });
      if (outstandingMinor <= 0) return { status: 'CAPTURED', receipt: paid };
      const debt = { amountMinor: outstandingMinor, currency, reason: card.declineReason ?? 'declined' };
      return { status: 'DEBT', receipt: paid, debt };
    }
    case 'CASH_DUE':
      // Paid at a cash point later: the whole total is outstanding on the receipt until then.
      return {
        status: 'CASH_DUE',
        receipt: receipt({ method: 'CASH', capturedMinor: 0, outstandingMinor: totalMinor }),
      };
    case 'NOT_CHARGED':
      return { status: 'NOT_CHARGED', receipt: receipt({ method: 'NONE', capturedMinor: 0, outstandingMinor: 0 }) };
    case 'NO_PAYER':
      return {
        status: 'FAILED',
        receipt: receipt({ method: 'NONE', capturedMinor: 0, outstandingMinor: totalMinor }),
        failure: NO_PAYER_FAILURE,
      };
  }
}
