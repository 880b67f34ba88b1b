/** Messages of EntryWorkflow, shared by the workflow, the API and other workflows (no Node imports). */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface EntryInput {
  authEventId: string;
  storeId: string;
  shopperId: string;
  paymentToken: string;
  amountMinor: number;
  currency: string;
  /** How long to hold the pre-auth if no purchase closes the trip. */
  horizonMs: number;
}

export type EntryPhase =
  'PLACING_PREAUTH' | 'AUTHORIZED' | 'PREAUTH_DECLINED' | 'PREAUTH_FAILED' | 'TRIP_CLOSED' | 'VOIDED_AT_HORIZON';

export interface EntryStatus {
  phase: EntryPhase;
  authorizationId: string | null;
  declineReason: string | null;
  closedByTrip: string | null;
}

export const entryStatusQuery = defineQuery<EntryStatus>('entryStatus');
/**
 * The purchase closed the trip. capturedAuthorizationId names the pre-auth the trip captured (null:
 * it captured none, e.g. it charged the card directly or charged nothing); from patch
 * entry-voids-unused-preauth on, the entry workflow voids its pre-auth unless it is that one.
 * Absent (purchases started before patch purchase-guards-money): unknown, nothing is voided.
 */
export const tripClosedSignal =
  defineSignal<[{ tripId: string; capturedAuthorizationId?: string | null }]>('tripClosed');

/**
 * A purchase that found no pre-auth in the ledger for this auth event asks the entry workflow to
 * tell it when the pre-auth is settled (placed, declined or failed): the entry answers with the
 * purchase's preAuthSettled signal, at once if it is already settled.
 */
export const preAuthRequestSignal = defineSignal<[{ purchaseWorkflowId: string }]>('preAuthRequested');
