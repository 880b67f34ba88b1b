/**
 * Who may enter: stores, shoppers and the recognition tokens their Scan Key Codes carry.
 * Pure types; the identity store (src/adapters/identity) loads and saves them.
 */

export type VisitorType = 'SHOPPER' | 'ASSOCIATE' | 'CASH_SHOPPER';

export interface Store {
  storeId: string;
  name: string;
  retailerId: string;
  currency: string;
  taxInclusive: boolean;
  preauthAmountMinor: number;
  /** IANA time zone of the store (receipts, reports); default UTC. */
  timeZone?: string;
  /** A store that is not live is answered at the gate as an unknown store is; default true. */
  live?: boolean;
  /** Per-store overrides; null or absent: the environment's BAD_CART_DEADLINE, BAD_CART_DEFAULT_DECISION, SCAN_KEY_PREFIX. */
  badCartDeadline?: string | null;
  badCartDefaultDecision?: 'CHARGE_KNOWN' | 'WRITE_OFF' | null;
  scanKeyPrefix?: string | null;
}

export interface Shopper {
  shopperId: string;
  displayName: string;
  visitorType: VisitorType;
  status: 'ACTIVE' | 'CLOSED';
  flaggedReason: string | null;
  paymentToken: string | null;
  /** YYYY-MM, the card's last valid month. */
  paymentExpiry: string | null;
  /** The shopper's customer at the payment gateway (Stripe: cus_…), when the gateway has one. */
  paymentCustomerId?: string | null;
  hasOpenDebt: boolean;
}

/**
 * A recognition token as the gate sees it. No expiry: the Scan Key Code's own issue time and the
 * scan window decide that (src/domain/scanKey.ts).
 */
export interface RecognitionRecord {
  token: string;
  shopper: Shopper;
  revokedAt: Date | null;
  consumedByAuthEvent: string | null;
}
