/**
 * An operator's decision on a bad cart: delivered to the waiting PurchaseWorkflow as an update,
 * whose validator refuses a decision the workflow cannot take (not waiting, unknown lines). The
 * decision is made under the acting operator's name (from the credential) and, once the workflow
 * has taken it, recorded in the audit log (the decision lives in Temporal: there is no transaction
 * to share, so a refused decision leaves no entry).
 */
import type { Client } from '@temporalio/client';
import type { Queryable } from '../adapters/db/database';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';
import { resolveBadCartUpdate, type BadCartDecision, type PurchaseProgress } from '../shared/purchaseMessages';
import { purchaseWorkflowId } from '../shared/workflowIds';
import { NotFound, StateConflict } from './errors';

/** What the operator decides; who decides comes from the credential (`actor`), never from the request. */
export type BadCartRequest = DistributiveOmit<BadCartDecision, 'operator'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export async function resolveBadCart(
  deps: { temporal: Client; db: Queryable },
  tripId: string,
  request: BadCartRequest,
  actor: Actor,
): Promise<PurchaseProgress> {
  const { temporal } = deps;
  const decision = { ...request, operator: actor.name } as BadCartDecision;
  try {
    const progress = await temporal.workflow
      .getHandle(purchaseWorkflowId(tripId))
      .executeUpdate(resolveBadCartUpdate, { args: [decision] });
    await recordAudit(deps.db, {
      actor,
      action: 'badcart.resolve',
      subject: { type: 'trip', id: tripId },
      reason: request.note ?? null,
      details: {
        decision: request.decision,
        ...(request.decision === 'CORRECT' ? { corrections: request.corrections } : {}),
      },
    });
    return progress;
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
