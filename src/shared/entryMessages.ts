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
export const tripClosedSignal = defineSignal<[{ tripId: string }]>('tripClosed');

/**
 * A purchase that found no pre-auth in the ledger for this auth event asks the entry workflow to
 * tell it when the pre-auth is settled (placed, declined or failed): the entry answers with the
 * purchase's preAuthSettled signal, at once if it is already settled.
 */
export const preAuthRequestSignal = defineSignal<[{ purchaseWorkflowId: string }]>('preAuthRequested');
