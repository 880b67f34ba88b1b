/** Messages of PurchaseWorkflow, shared by the workflow, the API and the CLI (no Node imports). */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** CONFIRMED: ENTRY and MANUAL_IN_STORE. */
export const PURCHASE_AUTH_LOCATIONS = ['ENTRY', 'MANUAL_IN_STORE'] as const;
export const PAYLOAD_TYPES = ['FINANCIAL', 'SCAN_CODE'] as const;
/** SHOPPER CONFIRMED; the others INFERRED from test cases 1.10-1.12 (associate, cash shopper, loyalty). */
export const SCAN_RESULT_TYPES = ['SHOPPER', 'ASSOCIATE', 'CASH_SHOPPER', 'LOYALTY'] as const;
export const CART_ITEM_TYPES = ['SKU', 'SCANCODE'] as const;
/** UPC CONFIRMED; the rest are the catalog's barcode types (INFERRED). */
export const EXTERNAL_IDENTIFIER_TYPES = ['UPC', 'EAN', 'EAN8', 'GTIN', 'ISBN', 'PLU'] as const;

/** An auth event of the trip, in Amazon's field names (jwo-api.md §2.1). */
export interface TripAuthEvent {
  id: string;
  timestamp: string;
  location?: (typeof PURCHASE_AUTH_LOCATIONS)[number];
  payloadType: (typeof PAYLOAD_TYPES)[number];
  scanResult?: { id: string; type: (typeof SCAN_RESULT_TYPES)[number] };
}

/** A line of the cart, in Amazon's field names; the quantity stays the exact decimal string Amazon sent. */
export interface CartItem {
  id: string;
  type: (typeof CART_ITEM_TYPES)[number];
  quantity: { value: string; unit: string };
  externalIdentifiers?: { id: string; type: (typeof EXTERNAL_IDENTIFIER_TYPES)[number] }[];
  lineItemId?: string;
}

/**
 * What PurchaseWorkflow needs of Amazon's Create Purchases request: the trip and the cart, under
 * Amazon's names (so histories recorded with the whole request still replay). Mapped at the edge,
 * so workflow history holds nothing else of the request (device, payment source, request ids).
 */
export interface PurchaseCart {
  shoppingTrip: { startTime: string; endTime: string; authEvents: TripAuthEvent[] };
  cartItems: CartItem[];
}

export function toPurchaseCart(request: PurchaseCart): PurchaseCart {
  const { startTime, endTime, authEvents } = request.shoppingTrip;
  return { shoppingTrip: { startTime, endTime, authEvents }, cartItems: request.cartItems };
}

export interface PurchaseInput {
  tripId: string;
  purchaseId: string;
  storeId: string;
  request: PurchaseCart;
  /** How long an operator has to decide on a bad cart, and what happens if nobody does. */
  badCartDeadlineMs: number;
  badCartDefault: 'CHARGE_KNOWN' | 'WRITE_OFF';
}

/** The PurchaseStatus search attribute takes these values. */
export type PurchaseStatus =
  | 'RECEIVED'
  | 'PRICED'
  | 'BAD_CART'
  | 'CAPTURED'
  | 'EMPTY'
  | 'WRITTEN_OFF'
  | 'NOT_CHARGED'
  | 'CASH_DUE'
  | 'DEBT'
  | 'FAILED'
  /** Recorded in the database only: a replay claimed the FAILED purchase; the replayed run's outcome replaces it. */
  | 'REPLAYING';

export interface PurchaseProgress {
  status: PurchaseStatus;
  purchaseId: string;
  totalMinor: number | null;
  capturedMinor: number;
  problems: CartProblem[];
  badCartDecision: BadCartDecision | null;
}

export interface CartProblem {
  lineId: string;
  itemId: string;
  reason:
    | 'UNKNOWN_SKU'
    | 'UNKNOWN_BARCODE'
    | 'UNIT_MISMATCH'
    | 'BAD_QUANTITY'
    | 'NO_TAX_RATE'
    | 'POS_REJECTED'
    /** The POS answer does not add up, is not in the store's currency or has negative amounts (lineId '*' or the line). */
    | 'POS_INCONSISTENT'
    /** A line quantity above 9,999 (that line) or a total above 1,000,000.00 of the store's currency ('*'). */
    | 'ABSURD_CART'
    /** None of the trip's auth events was admitted (a recorded 200) by this connector's gate: nobody to charge ('*'). */
    | 'NO_ADMITTED_PAYER';
  detail: string;
}

/**
 * Reasons a default decision at the deadline never settles: the cart needs a person. CHARGE_KNOWN
 * from the deadline fails the purchase visibly (nothing charged) instead; see purchaseWorkflow.ts.
 */
export const OPERATOR_ONLY_REASONS: readonly CartProblem['reason'][] = [
  'POS_INCONSISTENT',
  'ABSURD_CART',
  'NO_ADMITTED_PAYER',
];

export type BadCartDecision =
  | { decision: 'CHARGE_KNOWN'; operator: string; note?: string }
  | { decision: 'WRITE_OFF'; operator: string; note?: string }
  | { decision: 'CORRECT'; operator: string; note?: string; corrections: { lineId: string; sku: string }[] };

export const purchaseStatusQuery = defineQuery<PurchaseProgress>('purchaseStatus');
export const resolveBadCartUpdate = defineUpdate<PurchaseProgress, [BadCartDecision]>('resolveBadCart');

/**
 * The entry workflow of authEventId answering preAuthRequested: its pre-auth is settled (placed,
 * declined or failed: the ledger says which), so the purchase stops waiting for it.
 */
export const preAuthSettledSignal = defineSignal<[{ authEventId: string }]>('preAuthSettled');

/**
 * Optional second argument of purchaseWorkflow (the API never passes it; tests and operators may):
 * how long to wait for an entry workflow still placing its pre-auth (default preAuthWaitMs).
 */
export interface PurchaseWorkflowOptions {
  preAuthWaitMs?: number;
}
