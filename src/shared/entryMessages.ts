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
