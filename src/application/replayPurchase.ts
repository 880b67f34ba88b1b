/**
 * Re-runs a failed purchase from its recorded request with the current code. The workflow id is
 * the same (purchase-<trip id>), started again under ALLOW_DUPLICATE: money cannot move twice
 * because every payment call's idempotency key is derived from the trip and authorization, so a
 * capture that already went through is answered from the ledger.
 */
import type { Client } from '@temporalio/client';
import type { Database } from '../adapters/db/database';
import { findPurchase } from '../adapters/purchases/purchaseStore';
import { toPurchaseCart, type PurchaseCart, type PurchaseInput } from '../shared/purchaseMessages';
import { PurchaseStatusKey, StoreIdKey, TripIdKey } from '../shared/searchAttributes';
import { purchaseWorkflowId } from '../shared/workflowIds';
import { NotFound, StateConflict } from './errors';

export async function replayPurchase(
  deps: {
    db: Database;
    temporal: Client;
    taskQueue: string;
    badCartDeadlineMs: number;
    badCartDefault: PurchaseInput['badCartDefault'];
  },
  tripId: string,
  operator: string,
): Promise<{ tripId: string; workflowId: string; runId: string }> {
  const purchase = await findPurchase(deps.db, tripId);
  if (!purchase) throw new NotFound(`no purchase for trip ${tripId}`);
  const workflowId = purchaseWorkflowId(purchase.tripId);
  const description = await deps.temporal.workflow
    .getHandle(workflowId)
    .describe()
    .catch(() => null);
  if (description?.status.name === 'RUNNING') throw new StateConflict(`purchase ${purchase.tripId} is still running`);
  const runFailed = description && ['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'].includes(description.status.name);
  if (purchase.status !== 'FAILED' && !runFailed && description) {
    throw new StateConflict(`purchase ${purchase.tripId} is ${purchase.status}, not failed: nothing to replay`);
  }
  const input: PurchaseInput = {
    tripId: purchase.tripId,
    purchaseId: purchase.purchaseId,
    storeId: purchase.storeId,
    // The stored request is Amazon's whole body, as received; the workflow gets the trip and cart of it.
    request: toPurchaseCart(purchase.request as PurchaseCart),
    badCartDeadlineMs: deps.badCartDeadlineMs,
    badCartDefault: deps.badCartDefault,
  };
  const handle = await deps.temporal.workflow.start('purchaseWorkflow', {
    taskQueue: deps.taskQueue,
    workflowId,
    args: [input],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    workflowIdConflictPolicy: 'FAIL',
    typedSearchAttributes: [
      { key: StoreIdKey, value: purchase.storeId },
      { key: TripIdKey, value: purchase.tripId },
      { key: PurchaseStatusKey, value: 'RECEIVED' },
    ],
    memo: { replayedBy: operator },
  });
  await deps.db.query(`UPDATE purchases SET replays = replays || $2::jsonb, updated_at = now() WHERE trip_id = $1`, [
    purchase.tripId,
    JSON.stringify([{ by: operator, at: new Date().toISOString(), runId: handle.firstExecutionRunId }]),
  ]);
  return { tripId: purchase.tripId, workflowId, runId: handle.firstExecutionRunId };
}
