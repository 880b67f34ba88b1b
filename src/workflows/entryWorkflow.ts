/**
 * EntryWorkflow (id entry-<authEvent.id>): started by the gate for a SHOPPER. Places the pre-auth,
 * then holds it until a purchase closes the trip or the horizon passes, and voids it then.
 * Capturing is the purchase's job (it finds the authorization by authEvent.id in the ledger).
 *
 * A purchase that arrives while the pre-auth is still being placed asks (preAuthRequested) to be
 * told when it is settled; the answer is the purchase's preAuthSettled signal, sent once the
 * pre-auth is placed, declined or failed (at once if it already is). Answering is behind patch
 * entry-answers-preauth-requests; histories recorded before it never received the request, so
 * they replay unchanged.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  entryStatusQuery,
  preAuthRequestSignal,
  tripClosedSignal,
  type EntryInput,
  type EntryStatus,
} from '../shared/entryMessages';
import { preAuthSettledSignal } from '../shared/purchaseMessages';
import { paymentCall } from './activityOptions';

const { placePreAuth, voidPreAuth } = proxyActivities<ReturnType<typeof createActivities>>(paymentCall);

const ANSWERS_PREAUTH_REQUESTS = 'entry-answers-preauth-requests';

export async function entryWorkflow(input: EntryInput): Promise<EntryStatus> {
  const status: EntryStatus = {
    phase: 'PLACING_PREAUTH',
    authorizationId: null,
    declineReason: null,
    closedByTrip: null,
  };
  setHandler(entryStatusQuery, () => status);
  setHandler(tripClosedSignal, ({ tripId }) => {
    status.closedByTrip ??= tripId;
  });
  setHandler(preAuthRequestSignal, async ({ purchaseWorkflowId }) => {
    await condition(() => status.phase !== 'PLACING_PREAUTH');
    if (!patched(ANSWERS_PREAUTH_REQUESTS)) return;
    try {
      await getExternalWorkflowHandle(purchaseWorkflowId).signal(preAuthSettledSignal, {
        authEventId: input.authEventId,
      });
    } catch {
      // The purchase ended already (it stopped waiting and charged the card directly).
    }
  });

  const settled = await holdPreAuth(input, status);
  // A purchase asking as the workflow ends still gets its answer (no commands when nobody asked).
  await condition(allHandlersFinished);
  return settled;
}

async function holdPreAuth(input: EntryInput, status: EntryStatus): Promise<EntryStatus> {
  try {
    const result = await placePreAuth(input);
    if (result.outcome === 'DECLINED') {
      status.phase = 'PREAUTH_DECLINED';
      status.declineReason = result.reason;
      return status;
    }
    status.authorizationId = result.authorizationId;
    status.phase = 'AUTHORIZED';
  } catch (err) {
    // The gateway stayed unreachable for the whole retry budget: the purchase will charge directly.
    if (!(err instanceof ActivityFailure)) throw err;
    status.phase = 'PREAUTH_FAILED';
    status.declineReason = err.cause?.message ?? err.message;
    return status;
  }

  const closed = await condition(() => status.closedByTrip !== null, input.horizonMs);
  if (closed) {
    status.phase = 'TRIP_CLOSED';
  } else {
    await voidPreAuth({ authorizationId: status.authorizationId, reason: 'no purchase before the pre-auth horizon' });
    status.phase = 'VOIDED_AT_HORIZON';
  }
  return status;
}
