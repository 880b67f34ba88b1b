/**
 * EntryWorkflow (id entry-<authEvent.id>): started by the gate for a SHOPPER. Places the pre-auth,
 * then holds it until a purchase closes the trip or the horizon passes, and voids it then.
 * Capturing is the purchase's job (it finds the authorization by authEvent.id).
 */
import { ActivityFailure, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { entryStatusQuery, tripClosedSignal, type EntryInput, type EntryStatus } from '../shared/entryMessages';
import { paymentCall } from './activityOptions';

const { placePreAuth, voidPreAuth } = proxyActivities<ReturnType<typeof createActivities>>(paymentCall);

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
