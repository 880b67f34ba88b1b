/**
 * Starts a CatalogUploadWorkflow for a store: its whole catalog, or only the items that FAILED in
 * an earlier upload (`retryFailedOf`). Checks what an operator can get wrong up front, so the
 * answer is a clear 4xx instead of an upload that fails later.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Queryable } from '../adapters/db/database';
import { findStore } from '../adapters/identity/identityStore';
import { countItemsWithStatus, findUpload } from '../adapters/catalog/catalogUploadStore';
import { startOnce } from '../adapters/temporal/startOnce';
import { catalogUploadProgressQuery, type CatalogUploadInput } from '../shared/catalogMessages';
import { StoreIdKey } from '../shared/searchAttributes';
import { catalogUploadWorkflowId } from '../shared/workflowIds';
import { NotFound, StateConflict } from './errors';

export interface CatalogUploadDeps {
  db: Queryable;
  temporal: Client;
  taskQueue: string;
  chunkSize: number;
  pollIntervalMs: number;
}

export interface StartedUpload {
  uploadId: string;
  workflowId: string;
  storeId: string;
  retryFailedOf: string | null;
}

export async function startCatalogUpload(
  deps: CatalogUploadDeps,
  request: { storeId: string; retryFailedOf?: string },
): Promise<StartedUpload> {
  const { storeId } = request;
  if (!(await findStore(deps.db, storeId))) throw new NotFound(`store ${storeId} does not exist`);
  const retryFailedOf = request.retryFailedOf ?? null;
  if (retryFailedOf) await checkRetryable(deps.db, retryFailedOf, storeId);

  const uploadId = randomUUID();
  const workflowId = catalogUploadWorkflowId(uploadId);
  const input: CatalogUploadInput = {
    uploadId,
    storeId,
    retryFailedOf,
    chunkSize: deps.chunkSize,
    pollIntervalMs: deps.pollIntervalMs,
  };
  await startOnce(deps.temporal, 'catalogUploadWorkflow', {
    taskQueue: deps.taskQueue,
    workflowId,
    args: [input],
    typedSearchAttributes: [{ key: StoreIdKey, value: storeId }],
  });
  return { uploadId, workflowId, storeId, retryFailedOf };
}

async function checkRetryable(db: Queryable, uploadId: string, storeId: string): Promise<void> {
  const previous = await findUpload(db, uploadId);
  if (!previous) throw new NotFound(`catalog upload ${uploadId} does not exist`);
  if (previous.storeId !== storeId)
    throw new StateConflict(`catalog upload ${uploadId} belongs to store ${previous.storeId}, not ${storeId}`);
  if (previous.status === 'RUNNING')
    throw new StateConflict(`catalog upload ${uploadId} is still running: retry its failed items once it has finished`);
  if ((await countItemsWithStatus(db, uploadId, 'FAILED')) === 0)
    throw new StateConflict(`catalog upload ${uploadId} has no failed items to retry`);
}

/** Where an upload stands: its workflow's status and the progress it reports. */
export async function catalogUploadProgress(temporal: Client, uploadId: string) {
  const handle = temporal.workflow.getHandle(catalogUploadWorkflowId(uploadId));
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    // Compared by name: instanceof fails across module registries (jest, bundlers).
    if ((err as Error).name === 'WorkflowNotFoundError')
      throw new NotFound(`catalog upload ${uploadId} does not exist`);
    throw err;
  }
  const progress = await handle.query(catalogUploadProgressQuery);
  return { uploadId, workflowStatus: description.status.name, progress };
}
