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
 *
 * A pre-auth nobody captured is released when the trip closes (patch entry-voids-unused-preauth):
 * the purchase's tripClosed names the authorization the trip captured, and any other (a pre-auth
 * placed after the purchase stopped waiting for it and charged the card directly, a declined
 * capture, a group member's, an empty or written-off cart) is voided under its usual key
 * void:<authorization>, so a void the purchase already made is answered from the ledger. No
 * authorization stays AUTHORIZED after its trip closed. A tripClosed without the field (a purchase
 * started before patch purchase-guards-money) says nothing about it: nothing is voided, as before.
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
const VOIDS_UNUSED_PREAUTH = 'entry-voids-unused-preauth';

/** What the first tripClosed said: the authorization the trip captured (null: none; undefined: not said). */
interface Closing {
  capturedAuthorizationId?: string | null;
}

export async function entryWorkflow(input: EntryInput): Promise<EntryStatus> {
  const status: EntryStatus = {
    phase: 'PLACING_PREAUTH',
    authorizationId: null,
    declineReason: null,
    closedByTrip: null,
  };
  const closing: Closing = {};
  setHandler(entryStatusQuery, () => status);
  setHandler(tripClosedSignal, ({ tripId, capturedAuthorizationId }) => {
    if (status.closedByTrip !== null) return;
    status.closedByTrip = tripId;
    closing.capturedAuthorizationId = capturedAuthorizationId;
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

  const settled = await holdPreAuth(input, status, closing);
  // A purchase asking as the workflow ends still gets its answer (no commands when nobody asked).
  await condition(allHandlersFinished);
  return settled;
}

async function holdPreAuth(input: EntryInput, status: EntryStatus, closing: Closing): Promise<EntryStatus> {
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
    if (patched(VOIDS_UNUSED_PREAUTH) && unusedByTrip(status, closing)) {
      await voidPreAuth({
        authorizationId: status.authorizationId!,
        reason: `trip ${status.closedByTrip} closed without capturing it`,
      });
    }
    status.phase = 'TRIP_CLOSED';
  } else {
    await voidPreAuth({ authorizationId: status.authorizationId, reason: 'no purchase before the pre-auth horizon' });
    status.phase = 'VOIDED_AT_HORIZON';
  }
  return status;
}

/** The trip said which authorization it captured, and it is not this one. */
const unusedByTrip = (status: EntryStatus, closing: Closing): boolean =>
  closing.capturedAuthorizationId !== undefined && closing.capturedAuthorizationId !== status.authorizationId;
