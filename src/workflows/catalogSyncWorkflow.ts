/**
 * CatalogSyncWorkflow: read the retailer's catalog source → validate it → compare it with what
 * Amazon holds (the baseline, from earlier result reports) on the store's relevant fields → send
 * only the delta (new, changed, failed last time) through CatalogUploadWorkflow as a child →
 * record the outcome. Started by `jwo catalog sync` (id catalog-sync-run-<syncId>) or by the
 * store's Temporal Schedule (catalog-sync-<storeId>, overlap policy SKIP). Items stay in the
 * database; only ids and counts pass through the workflow.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  executeChild,
  proxyActivities,
  setHandler,
  uuid4,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { CatalogUploadInput } from '../shared/catalogMessages';
import {
  catalogSyncProgressQuery,
  type CatalogSyncInput,
  type CatalogSyncProgress,
  type CatalogSyncRecord,
} from '../shared/catalogSyncMessages';
import { StoreIdKey } from '../shared/searchAttributes';
import { catalogUploadWorkflowId } from '../shared/workflowIds';
import { catalogUploadWorkflow } from './catalogUploadWorkflow';

type Activities = ReturnType<typeof createActivities>;

/** Reading the source (a download, 100,000 rows) and computing the delta: minutes at most; a few tries, then the sync fails. */
const catalogSyncCall: ActivityOptions = {
  startToCloseTimeout: '10 minutes',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
};

/** Recording the outcome: small database writes, retried until the database answers. */
const catalogSyncRecordCall: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

export async function catalogSyncWorkflow(input: CatalogSyncInput): Promise<CatalogSyncRecord> {
  const prepare = proxyActivities<Activities>(catalogSyncCall);
  const record = proxyActivities<Activities>(catalogSyncRecordCall);
  const syncId = input.syncId ?? workflowInfo().workflowId;
  const progress: CatalogSyncProgress = { syncId, phase: 'COMPARING', counts: null, uploadId: null };
  setHandler(catalogSyncProgressQuery, () => progress);

  const finish = async (error: string | null): Promise<CatalogSyncRecord> => {
    const result = await record.finishCatalogSync({ syncId, error });
    progress.phase = 'FINISHED';
    return result;
  };

  let prepared;
  try {
    prepared = await prepare.prepareCatalogSync({
      syncId,
      workflowId: workflowInfo().workflowId,
      storeId: input.storeId,
      source: input.source ?? null,
      dryRun: input.dryRun ?? false,
    });
  } catch (err) {
    return finish(`the catalog source could not be read: ${failureMessage(err)}`);
  }
  if (prepared.kind === 'unusable') return finish(prepared.error);
  progress.counts = prepared.counts;
  if (input.dryRun || prepared.counts.toSend === 0) return finish(null);

  const uploadId = uuid4();
  progress.uploadId = uploadId;
  progress.phase = 'UPLOADING';
  await record.attachCatalogSyncUpload({ syncId, uploadId, storeId: input.storeId });
  const uploadInput: CatalogUploadInput = {
    uploadId,
    storeId: input.storeId,
    retryFailedOf: null,
    chunkSize: input.chunkSize,
    pollIntervalMs: input.pollIntervalMs,
  };
  try {
    await executeChild(catalogUploadWorkflow, {
      workflowId: catalogUploadWorkflowId(uploadId),
      args: [uploadInput],
      typedSearchAttributes: [{ key: StoreIdKey, value: input.storeId }],
    });
  } catch (err) {
    return finish(`catalog upload ${uploadId} did not finish: ${failureMessage(err)}`);
  }
  return finish(null);
}

/** The innermost message of an activity or child failure. */
function failureMessage(err: unknown): string {
  let current: unknown = err;
  while ((current instanceof ActivityFailure || current instanceof ChildWorkflowFailure) && current.cause)
    current = current.cause;
  if (current instanceof ApplicationFailure || current instanceof Error) return current.message;
  return String(current);
}
