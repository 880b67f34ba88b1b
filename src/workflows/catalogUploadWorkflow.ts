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
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
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
import { catalogReportCall, catalogStatusPolling, catalogStoreCall, catalogUploadCall } from './activityOptions';

type Activities = ReturnType<typeof createActivities>;

export async function catalogUploadWorkflow(input: CatalogUploadInput): Promise<CatalogUploadSummary> {
  const store = proxyActivities<Activities>(catalogStoreCall);
  const upload = proxyActivities<Activities>(catalogUploadCall(workflowInfo().taskQueue));
  const status = proxyActivities<Activities>(catalogStatusPolling(input.pollIntervalMs));
  const reports = proxyActivities<Activities>(catalogReportCall);

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
    if (isFinalProcessingStatus(outcome.processingStatus) && !notified.has(outcome.ingestionId))
      notified.set(outcome.ingestionId, outcome);
  });

  async function failChunk(
    chunk: ChunkProgress,
    error: string,
    processingStatus: ChunkProgress['processingStatus'] = null,
  ): Promise<void> {
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
      return failChunk(
        chunk,
        `Upload Catalog refused the request${sent.status === null ? '' : ` (HTTP ${sent.status})`}: ${sent.errorMsg}`,
      );
    }
    chunk.state = 'PROCESSING';
    chunk.ingestionId = sent.ingestionId;
    refreshCounts();

    const outcome = await finalOutcome(sent.ingestionId);
    if ('error' in outcome)
      return failChunk(chunk, `no final status for ingestion ${sent.ingestionId}: ${outcome.error}`);
    if (outcome.processingStatus !== 'DONE') {
      return failChunk(
        chunk,
        `ingestion ${sent.ingestionId} ended ${outcome.processingStatus}`,
        outcome.processingStatus,
      );
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
      return failChunk(
        chunk,
        `the report of ingestion ${sent.ingestionId} could not be read: ${failureMessage(err)}`,
        'DONE',
      );
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
  progress.chunks = prepared.chunks.map((chunk) => ({
    ...chunk,
    state: 'PENDING',
    ingestionId: null,
    processingStatus: null,
    error: null,
  }));
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
