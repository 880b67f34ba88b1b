/**
 * POST /v1/order/purchases: the use case behind the route. Idempotent on
 * idempotentShoppingTripId: the first delivery records the purchase and its purchaseId; every
 * retry (sequential, concurrent, or after the workflow finished) gets the same 201 and body and
 * (re)starts nothing but the one PurchaseWorkflow purchase-<trip id>.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Database } from '../../adapters/db/database';
import type { Store } from '../../adapters/identity/identityStore';
import { insertPurchaseOnce } from '../../adapters/purchases/purchaseStore';
import {
  enqueueWorkflowStart,
  workflowStarted,
  type WorkflowStart,
  type WorkflowStarter,
} from '../../adapters/temporal/workflowOutbox';
import { toPurchaseCart, type PurchaseInput } from '../../shared/purchaseMessages';
import { purchaseWorkflowId } from '../../shared/workflowIds';
import { IdempotencyConflict, UnknownStore } from '../../application/errors';
import type { CreatePurchasesRequest } from './schema';
import { effectiveStoreSettings, type StoreDefaults } from '../../domain/storeSettings';

/** The purchase workflow's bad-cart inputs (unchanged in shape): the store's own, else the deployment's. */
export function badCartSettings(
  store: Store,
  defaults: StoreDefaults,
): Pick<PurchaseInput, 'badCartDeadlineMs' | 'badCartDefault'> {
  const { badCartDeadlineMs, badCartDefault } = effectiveStoreSettings(store, defaults);
  return { badCartDeadlineMs, badCartDefault };
}

export interface PurchaseDeps {
  db: Database;
  taskQueue: string;
  /** The deployment's bad-cart deadline and default decision; a store's own settings override them. */
  storeDefaults: StoreDefaults;
  /** Makes the recorded starts (the request waits for one within its budget, never longer). */
  starter: WorkflowStarter;
  findStore(storeId: string): Promise<Store | null>;
}

/** Key order is fixed by the parsed schema; requestId differs per attempt and is left out. */
export function requestFingerprint(request: CreatePurchasesRequest): string {
  const { requestId: _ignored, ...rest } = request;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

export async function createPurchase(
  deps: PurchaseDeps,
  request: CreatePurchasesRequest,
): Promise<{ status: 201; body: { purchaseId: string }; outcome: string }> {
  const store = await deps.findStore(request.storeId);
  if (!store) throw new UnknownStore(request.storeId);
  const tripId = request.idempotentShoppingTripId;
  const empty = request.cartItems.length === 0;
  const fingerprint = requestFingerprint(request);
  const purchaseId = empty ? '' : `P-${randomUUID()}`;
  // The trip and its workflow's start commit together: once answered 201, the purchase will run.
  const { record, created } = await deps.db.transaction(async (tx) => {
    const inserted = await insertPurchaseOnce(tx, {
      tripId,
      // An empty cart answers an empty purchaseId (jwo-api.md §2.2); the trip is still recorded.
      purchaseId,
      storeId: store.storeId,
      requestSha256: fingerprint,
      request,
      // Whose receipt it is comes from the shopper our gate admitted (the workflow records it), never
      // from shopperIdentity in Amazon's body.
      shopperId: null,
    });
    if (inserted.created) await enqueueWorkflowStart(tx, purchaseStart(deps, store, request, purchaseId));
    return inserted;
  });
  if (!created && record.requestSha256 !== fingerprint) {
    throw new IdempotencyConflict(
      'idempotentShoppingTripId',
      `idempotentShoppingTripId ${tripId} was already used for a different cart; its purchaseId is ${JSON.stringify(record.purchaseId)}`,
    );
  }
  const start = purchaseStart(deps, store, request, record.purchaseId);
  const started = created ? false : await workflowStarted(deps.db, start.workflowId);
  // Trips recorded before the outbox existed have no row: record their start now.
  if (started === null) await enqueueWorkflowStart(deps.db, start);
  if (!started) await deps.starter.start(start);
  return {
    status: 201,
    body: { purchaseId: record.purchaseId },
    outcome: `${created ? 'NEW' : 'REPEAT'}${empty ? '_EMPTY_CART' : ''}`,
  };
}

function purchaseStart(
  deps: PurchaseDeps,
  store: Store,
  request: CreatePurchasesRequest,
  purchaseId: string,
): WorkflowStart<'purchaseWorkflow'> {
  const tripId = request.idempotentShoppingTripId;
  const input: PurchaseInput = {
    tripId,
    purchaseId,
    storeId: store.storeId,
    request: toPurchaseCart(request),
    ...badCartSettings(store, deps.storeDefaults),
  };
  const shopperId =
    request.shopperIdentity?.id ?? request.shoppingTrip.authEvents.find((e) => e.scanResult)?.scanResult?.id;
  return {
    workflowType: 'purchaseWorkflow',
    workflowId: purchaseWorkflowId(tripId),
    taskQueue: deps.taskQueue,
    args: [input],
    searchAttributes: {
      StoreId: store.storeId,
      TripId: tripId,
      PurchaseStatus: 'RECEIVED',
      ...(shopperId ? { ShopperId: shopperId } : {}),
    },
  };
}
