/**
 * Who pays for a trip, and which authorizations are captured or voided (pure; runs in workflows).
 *
 * - The payer is the first SHOPPER among the trip's auth events, in Amazon's order: in a group
 *   trip one shopper brings the others in and pays once; the others' pre-auths are voided.
 * - No SHOPPER but a CASH_SHOPPER: priced and recorded as CASH_DUE (settled at a cash point; no card).
 * - Only ASSOCIATEs: recorded as NOT_CHARGED (staff restocking or testing); pre-auths voided.
 * - Nobody identified: FAILED, for an operator (never a silent write-off).
 */
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
    const authorization = authorizations.find((a) => a.authEventId === payer.authEventId && a.status !== 'DECLINED') ?? null;
    return { kind: 'CARD', payer, authorization, voids: held.filter((a) => a !== authorization).map((a) => a.authorizationId) };
  }
  const voids = held.map((a) => a.authorizationId);
  const cash = visitors.find((v) => v.visitorType === 'CASH_SHOPPER');
  if (cash) return { kind: 'CASH_DUE', payer: cash, voids };
  if (visitors.some((v) => v.visitorType === 'ASSOCIATE')) return { kind: 'NOT_CHARGED', voids };
  return { kind: 'NO_PAYER', voids };
}
