/**
 * The gate decision for one scanned Scan Key Code: pure, given what the database says about the
 * recognition token and its shopper. 401 reasons are stable codes (logged and counted in metrics).
 */
import type { RecognitionRecord, VisitorType } from './identity';
import type { ScanKeyRejection } from './scanKey';

export type EntryRejection =
  | ScanKeyRejection
  | 'NOT_BASE64_TEXT'
  | 'UNKNOWN_TOKEN'
  | 'TOKEN_REVOKED'
  | 'TOKEN_ALREADY_USED'
  | 'ACCOUNT_CLOSED'
  | 'ACCOUNT_FLAGGED'
  | 'UNPAID_DEBT'
  | 'NO_PAYMENT_INSTRUMENT'
  | 'PAYMENT_INSTRUMENT_EXPIRED';

export type EntryDecision =
  { allowed: true; shopperId: string; visitorType: VisitorType } | { allowed: false; reason: EntryRejection };

/**
 * The decision recorded for one authEvent: every retry of that authEvent is answered from it, so it
 * keeps the decision itself (not an HTTP answer) and the SHA-256 of the key it was made for.
 */
export type GateDecision = {
  authEventId: string;
  requestId: string;
  storeId: string;
  /** A retry must carry the same identityKey; a different one is a reused authEvent.id. */
  keySha256: string;
} & EntryDecision;

/** A card is valid through the last day of its expiry month (YYYY-MM). */
export function cardUsable(expiry: string | null, at: Date): boolean {
  const match = expiry ? /^(\d{4})-(\d{2})$/.exec(expiry) : null;
  if (!match) return false;
  const firstDayAfter = Date.UTC(Number(match[1]), Number(match[2]), 1);
  return at.getTime() < firstDayAfter;
}

export function decideEntry(record: RecognitionRecord | null, authEventId: string, at: Date): EntryDecision {
  if (!record) return { allowed: false, reason: 'UNKNOWN_TOKEN' };
  if (record.revokedAt) return { allowed: false, reason: 'TOKEN_REVOKED' };
  if (record.consumedByAuthEvent && record.consumedByAuthEvent !== authEventId)
    return { allowed: false, reason: 'TOKEN_ALREADY_USED' };
  const shopper = record.shopper;
  if (shopper.status !== 'ACTIVE') return { allowed: false, reason: 'ACCOUNT_CLOSED' };
  if (shopper.flaggedReason) return { allowed: false, reason: 'ACCOUNT_FLAGGED' };
  if (shopper.visitorType === 'SHOPPER') {
    if (shopper.hasOpenDebt) return { allowed: false, reason: 'UNPAID_DEBT' };
    if (!shopper.paymentToken) return { allowed: false, reason: 'NO_PAYMENT_INSTRUMENT' };
    if (!cardUsable(shopper.paymentExpiry, at)) return { allowed: false, reason: 'PAYMENT_INSTRUMENT_EXPIRED' };
  }
  return { allowed: true, shopperId: shopper.shopperId, visitorType: shopper.visitorType };
}

export const REJECTION_TEXT: Record<EntryRejection, string> = {
  NOT_ALPHANUMERIC: 'the Scan Key Code contains characters other than letters and digits',
  NOT_BASE64_TEXT: 'identityKey does not decode to a Scan Key Code',
  BAD_PREFIX: "the Scan Key Code does not carry this retailer's Customer Prefix",
  MALFORMED: 'the Scan Key Code is malformed',
  UNKNOWN_KEY_ID: 'the Scan Key Code was signed with an unknown key',
  BAD_MAC: 'the Scan Key Code signature is invalid',
  EXPIRED: 'the Scan Key Code has expired',
  NOT_YET_VALID: 'the Scan Key Code was issued after the scan time',
  UNKNOWN_TOKEN: 'the Recognition Token is unknown',
  TOKEN_REVOKED: 'the Recognition Token was revoked',
  TOKEN_ALREADY_USED: 'the Scan Key Code was already used for another entry',
  ACCOUNT_CLOSED: 'the account is closed',
  ACCOUNT_FLAGGED: 'the account is flagged',
  UNPAID_DEBT: 'the account has an unpaid balance',
  NO_PAYMENT_INSTRUMENT: 'the account has no payment instrument',
  PAYMENT_INSTRUMENT_EXPIRED: 'the payment instrument has expired',
};
