/** Messages of PurchaseWorkflow, shared by the workflow, the API and the CLI (no Node imports). */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CreatePurchasesRequest } from '../api/purchases/schema';

export interface PurchaseInput {
  tripId: string;
  purchaseId: string;
  storeId: string;
  request: CreatePurchasesRequest;
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
  | 'FAILED';

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
  reason: 'UNKNOWN_SKU' | 'UNKNOWN_BARCODE' | 'UNIT_MISMATCH' | 'BAD_QUANTITY' | 'NO_TAX_RATE' | 'POS_REJECTED';
  detail: string;
}

export type BadCartDecision =
  | { decision: 'CHARGE_KNOWN'; operator: string; note?: string }
  | { decision: 'WRITE_OFF'; operator: string; note?: string }
  | { decision: 'CORRECT'; operator: string; note?: string; corrections: { lineId: string; sku: string }[] };

export const purchaseStatusQuery = defineQuery<PurchaseProgress>('purchaseStatus');
export const resolveBadCartUpdate = defineUpdate<PurchaseProgress, [BadCartDecision]>('resolveBadCart');
