/**
 * CatalogUploadWorkflow (id catalog-upload-<uploadId>): validate → chunk (≤ 10,000 items) → send each
 * chunk on the rate-limited catalog task queue → wait for each ingestion's final status, by polling
 * getCatalogUploadStatus through a retry policy or by the SNS→SQS notification, whichever comes
 * first → on DONE store the report's per-item results → summary. Items stay in the database; only
 * ids and counts pass through the workflow.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  CATALOG_FAILURES,
  catalogUploadProgressQuery,
  countChunks,
  ingestionFinishedSignal,
  isFinalProcessingStatus,
  type CatalogUploadInput,
  type CatalogUploadProgress,
  type CatalogUploadSummary,
  type ChunkProgress,
  type IngestionOutcome,
} from '../shared/catalogMessages';
import { catalogTaskQueue } from '../shared/workflowIds';

type Activities = ReturnType<typeof createActivities>;

/** Database work of the upload; preparing 100,000 items takes seconds, not milliseconds. */
const catalogStoreCall: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};

/**
 * Upload Catalog requests. The catalog queue's workers are rate-limited server-side, so attempts
 * (retries of 429s and "retry recommended" 500s included) are paced across all workers together.
 */
const uploadCall = (mainTaskQueue: string): ActivityOptions => ({
  taskQueue: catalogTaskQueue(mainTaskQueue),
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [CATALOG_FAILURES.refused] },
});

/** Polling by retry policy: every attempt that finds the ingestion still running fails benignly and is retried after the same interval. */
const statusPolling = (pollIntervalMs: number): ActivityOptions => ({
  startToCloseTimeout: '1 minute',
  // Amazon ingests in minutes; a day without a final status is reported as a failed chunk.
  scheduleToCloseTimeout: '1 day',
  retry: {
    initialInterval: pollIntervalMs,
    backoffCoefficient: 1,
    maximumInterval: pollIntervalMs,
    nonRetryableErrorTypes: [CATALOG_FAILURES.refused],
  },
});

/** The report link may have expired; the activity then gets a fresh one through the status call. */
const reportCall: ActivityOptions = {
  startToCloseTimeout: '5 minutes',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [CATALOG_FAILURES.refused] },
};

export async function catalogUploadWorkflow(input: CatalogUploadInput): Promise<CatalogUploadSummary> {
  const store = proxyActivities<Activities>(catalogStoreCall);
  const upload = proxyActivities<Activities>(uploadCall(workflowInfo().taskQueue));
  const status = proxyActivities<Activities>(statusPolling(input.pollIntervalMs));
  const reports = proxyActivities<Activities>(reportCall);

  const progress: CatalogUploadProgress = {
    uploadId: input.uploadId,
    storeId: input.storeId,
    phase: 'PREPARING',
    items: null,
    counts: countChunks([]),
    chunks: [],
    summary: null,
  };
  const refreshCounts = () => {
    progress.counts = countChunks(progress.chunks);
  };
  // Notifications may arrive before the chunk's ingestion is awaited (even before its upload call returned).
  const notified = new Map<string, IngestionOutcome>();
  setHandler(catalogUploadProgressQuery, () => progress);
  setHandler(ingestionFinishedSignal, (outcome) => {
    if (isFinalProcessingStatus(outcome.processingStatus) && !notified.has(outcome.ingestionId)) notified.set(outcome.ingestionId, outcome);
  });

  async function failChunk(chunk: ChunkProgress, error: string, processingStatus: ChunkProgress['processingStatus'] = null): Promise<void> {
    chunk.state = 'FAILED';
    chunk.error = error;
    chunk.processingStatus = processingStatus;
    refreshCounts();
    await store.failCatalogChunk({ uploadId: input.uploadId, chunkNo: chunk.chunkNo, error, processingStatus });
  }

  /** The ingestion's final status from whichever comes first: a status poll or a notification. */
  async function finalOutcome(ingestionId: string): Promise<IngestionOutcome | { error: string }> {
    let polled: IngestionOutcome | { error: string } | undefined;
    const polling = new CancellationScope();
    const pollDone = polling
      .run(() => status.pollCatalogIngestion({ ingestionId }))
      .then(
        (outcome) => {
          polled = outcome;
        },
        (err) => {
          if (!isCancellation(err)) polled = { error: failureMessage(err) };
        },
      );
    await condition(() => polled !== undefined || notified.has(ingestionId));
    if (polled === undefined) polling.cancel();
    await pollDone;
    return notified.get(ingestionId) ?? polled!;
  }

  async function processChunk(chunk: ChunkProgress): Promise<void> {
    let sent;
    try {
      sent = await upload.sendCatalogChunk({ uploadId: input.uploadId, chunkNo: chunk.chunkNo });
    } catch (err) {
      return failChunk(chunk, `Upload Catalog kept failing: ${failureMessage(err)}`);
    }
    if (sent.kind === 'refused') {
      return failChunk(chunk, `Upload Catalog refused the request${sent.status === null ? '' : ` (HTTP ${sent.status})`}: ${sent.errorMsg}`);
    }
    chunk.state = 'PROCESSING';
    chunk.ingestionId = sent.ingestionId;
    refreshCounts();

    const outcome = await finalOutcome(sent.ingestionId);
    if ('error' in outcome) return failChunk(chunk, `no final status for ingestion ${sent.ingestionId}: ${outcome.error}`);
    if (outcome.processingStatus !== 'DONE') {
      return failChunk(chunk, `ingestion ${sent.ingestionId} ended ${outcome.processingStatus}`, outcome.processingStatus);
    }
    chunk.processingStatus = 'DONE';
    try {
      await reports.storeCatalogReport({
        uploadId: input.uploadId,
        chunkNo: chunk.chunkNo,
        ingestionId: outcome.ingestionId,
        reportDownloadLink: outcome.reportDownloadLink,
      });
    } catch (err) {
      return failChunk(chunk, `the report of ingestion ${sent.ingestionId} could not be read: ${failureMessage(err)}`, 'DONE');
    }
    chunk.state = 'DONE';
    refreshCounts();
  }

  const prepared = await store.prepareCatalogUpload({
    uploadId: input.uploadId,
    storeId: input.storeId,
    retryFailedOf: input.retryFailedOf,
    chunkSize: input.chunkSize,
  });
  progress.items = { toSend: prepared.toSend, invalid: prepared.invalid };
  progress.chunks = prepared.chunks.map((chunk) => ({ ...chunk, state: 'PENDING', ingestionId: null, processingStatus: null, error: null }));
  refreshCounts();
  progress.phase = 'UPLOADING';

  await Promise.all(progress.chunks.map(processChunk));

  progress.summary = await store.finishCatalogUpload({ uploadId: input.uploadId });
  progress.phase = 'FINISHED';
  return progress.summary;
}

/** The innermost message of an activity failure: Amazon's words rather than Temporal's wrapper. */
function failureMessage(err: unknown): string {
  let current: unknown = err;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  if (current instanceof ApplicationFailure || current instanceof Error) return current.message;
  return String(current);
}
