/**
 * An operator's decision on a bad cart: delivered to the waiting PurchaseWorkflow as an update,
 * whose validator refuses a decision the workflow cannot take (not waiting, unknown lines).
 */
import type { Client } from '@temporalio/client';
import { resolveBadCartUpdate, type BadCartDecision, type PurchaseProgress } from '../shared/purchaseMessages';
import { purchaseWorkflowId } from '../shared/workflowIds';
import { NotFound, StateConflict } from './errors';

export async function resolveBadCart(
  temporal: Client,
  tripId: string,
  decision: BadCartDecision,
): Promise<PurchaseProgress> {
  try {
    return await temporal.workflow
      .getHandle(purchaseWorkflowId(tripId))
      .executeUpdate(resolveBadCartUpdate, { args: [decision] });
  } catch (err) {
    // Compared by name: instanceof fails across module registries (jest, bundlers).
    const e = err as Error & { cause?: Error };
    if (e.name === 'WorkflowNotFoundError') {
      // A purchase that already finished is not waiting for a decision: a conflict, not an unknown trip.
      const finished = await temporal.workflow
        .getHandle(purchaseWorkflowId(tripId))
        .describe()
        .catch(() => null);
      if (finished) throw new StateConflict(`trip ${tripId} is not waiting for a bad-cart decision (it has finished)`);
      throw new NotFound(`no purchase workflow for trip ${tripId}`);
    }
    if (e.name === 'WorkflowUpdateFailedError') throw new StateConflict(e.cause?.message ?? e.message);
    throw err;
  }
}
