/**
 * Re-runs a failed purchase from its recorded request with the current code. The workflow id is
 * the same (purchase-<trip id>), started again under ALLOW_DUPLICATE: money cannot move twice
 * because every payment call's idempotency key is derived from the trip and authorization, so a
 * capture that already went through is answered from the ledger.
 *
 * Only what the database records as FAILED is replayed, whatever Temporal still holds: a purchase
 * written off, captured by a direct charge, or in review is never re-run because its history is gone
 * (retention) or Temporal could not be asked. The purchase is switched FAILED → REPLAYING in one
 * statement before the start, so of two operators replaying at once exactly one starts it (the
 * workflow's outcome then replaces REPLAYING). Temporal is asked whether it still runs; any answer
 * but "not found" (an outage, a timeout, a permission) refuses the replay. `force` with a reason is
 * the explicit override of both (the status and an unanswered question, never a running workflow:
 * the start itself refuses that); it is recorded on the purchase and in the audit log.
 */
import type { Client } from '@temporalio/client';
import type { Database } from '../adapters/db/database';
import { findPurchase } from '../adapters/purchases/purchaseStore';
import { findStore } from '../adapters/identity/identityStore';
import { effectiveStoreSettings, type StoreDefaults } from '../domain/storeSettings';
import { recordAudit, type Actor } from '../adapters/audit/auditLog';
import { toPurchaseCart, type PurchaseCart, type PurchaseInput } from '../shared/purchaseMessages';
import { PurchaseStatusKey, StoreIdKey, TripIdKey } from '../shared/searchAttributes';
import { purchaseWorkflowId } from '../shared/workflowIds';
import { InvalidRequest, NotFound, StateConflict } from './errors';

/** The explicit override: replay whatever the recorded status or Temporal's answer, for a reason. */
export interface ReplayOptions {
  force?: boolean;
  reason?: string;
}

export async function replayPurchase(
  deps: {
    db: Database;
    temporal: Client;
    taskQueue: string;
    /** The deployment's bad-cart settings; the store's own override them. */
    storeDefaults: StoreDefaults;
  },
  tripId: string,
  actor: Actor,
  options: ReplayOptions = {},
): Promise<{ tripId: string; workflowId: string; runId: string }> {
  const operator = actor.name;
  const force = options.force === true;
  const reason = options.reason?.trim() || null;
  if (force && !reason) throw new InvalidRequest([{ field: 'reason', reason: 'is required to force a replay' }]);
  const purchase = await findPurchase(deps.db, tripId);
  if (!purchase) throw new NotFound(`no purchase for trip ${tripId}`);
  const workflowId = purchaseWorkflowId(purchase.tripId);
  if (purchase.status !== 'FAILED' && !force) {
    throw new StateConflict(
      purchase.status === REPLAYING
        ? `purchase ${purchase.tripId} is already being replayed`
        : `purchase ${purchase.tripId} is ${purchase.status}, not failed: nothing to replay`,
    );
  }
  const temporalProblem = await stillRunningOrUnknown(deps.temporal, workflowId);
  if (temporalProblem === 'RUNNING') throw new StateConflict(`purchase ${purchase.tripId} is still running`);
  if (temporalProblem && !force) {
    throw new StateConflict(
      `cannot tell whether purchase ${purchase.tripId} is still running (Temporal: ${temporalProblem}): not replayed; replay with force and a reason to override`,
    );
  }
  // FAILED → REPLAYING (or, forced, whatever was read → REPLAYING): one replay wins.
  const claimed = await deps.db.query(
    `UPDATE purchases SET status = '${REPLAYING}', updated_at = now() WHERE trip_id = $1 AND status = $2 RETURNING trip_id`,
    [purchase.tripId, force ? purchase.status : 'FAILED'],
  );
  if (!claimed.length)
    throw new StateConflict(`purchase ${purchase.tripId} changed meanwhile (another replay?): not replayed`);

  let runId: string;
  try {
    const store = await findStore(deps.db, purchase.storeId);
    const { badCartDeadlineMs, badCartDefault } = store
      ? effectiveStoreSettings(store, deps.storeDefaults)
      : deps.storeDefaults;
    const input: PurchaseInput = {
      tripId: purchase.tripId,
      purchaseId: purchase.purchaseId,
      storeId: purchase.storeId,
      // The stored request is Amazon's whole body, as received; the workflow gets the trip and cart of it.
      request: toPurchaseCart(purchase.request as PurchaseCart),
      badCartDeadlineMs,
      badCartDefault,
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
    runId = handle.firstExecutionRunId;
  } catch (err) {
    // Not started: the purchase is back as it was, for the next attempt.
    await deps.db.query(
      `UPDATE purchases SET status = $2, updated_at = now() WHERE trip_id = $1 AND status = '${REPLAYING}'`,
      [purchase.tripId, purchase.status],
    );
    throw err;
  }
  await deps.db.transaction(async (tx) => {
    const replay = { by: operator, at: new Date().toISOString(), runId, ...(force ? { force, reason } : {}) };
    await tx.query(`UPDATE purchases SET replays = replays || $2::jsonb, updated_at = now() WHERE trip_id = $1`, [
      purchase.tripId,
      JSON.stringify([replay]),
    ]);
    await recordAudit(tx, {
      actor,
      action: 'purchase.replay',
      subject: { type: 'trip', id: purchase.tripId },
      reason,
      details: {
        workflowId,
        runId,
        previousStatus: purchase.status,
        force,
        ...(temporalProblem ? { temporal: temporalProblem } : {}),
      },
    });
  });
  return { tripId: purchase.tripId, workflowId, runId };
}

/** The status a purchase holds from the replay's claim until the replayed run records its outcome. */
export const REPLAYING = 'REPLAYING';

/**
 * 'RUNNING' when the purchase's workflow still runs; null when it ended, or Temporal no longer has it
 * (retention; the recorded status decides); otherwise why Temporal could not say.
 */
async function stillRunningOrUnknown(temporal: Client, workflowId: string): Promise<'RUNNING' | string | null> {
  try {
    const description = await temporal.workflow.getHandle(workflowId).describe();
    return description.status.name === 'RUNNING' ? 'RUNNING' : null;
  } catch (err) {
    // Compared by name: instanceof fails across module registries (jest, bundlers).
    if ((err as Error).name === 'WorkflowNotFoundError') return null;
    return (err as Error).message || String(err);
  }
}
