/**
 * Activities of CatalogUploadWorkflow. Amazon's answers come back as values where the workflow
 * decides (accepted / refused), and as failures where Temporal's retry policy is the right tool:
 * throttling and "retry recommended" errors are retryable, "not final yet" is a benign retryable
 * failure (polling by retry policy), and refusals that no retry can fix are non-retryable.
 */
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { log } from '@temporalio/activity';
import type { Database } from '../adapters/db/database';
import type { AmazonCatalogClient, CatalogApiError } from '../adapters/amazonCatalog';
import {
  createUpload,
  finishUpload,
  findPreparedUpload,
  loadChunkItems,
  loadItemsToUpload,
  recordChunkFailure,
  recordChunkReport,
  recordIngestion,
  savePreparedUpload,
  type ChunkResultCounts,
  type PreparedItem,
  type PreparedUpload,
} from '../adapters/catalog/catalogUploadStore';
import { findSyncOfUpload, loadSyncItemsToSend, recordUploadInBaseline } from '../adapters/catalog/catalogSyncStore';
import { chunkItems } from '../domain/catalog/chunk';
import { validateCatalog } from '../domain/catalog/catalogItem';
import {
  CATALOG_FAILURES,
  isFinalProcessingStatus,
  type CatalogUploadSummary,
  type FinalProcessingStatus,
  type IngestionOutcome,
} from '../shared/catalogMessages';
import { createCatalogSyncActivities } from './catalogSyncActivities';

export interface CatalogActivityDeps {
  db: Database;
  catalogApi: AmazonCatalogClient;
}

export type ChunkSendResult =
  | { kind: 'accepted'; ingestionId: string }
  /** Amazon refused the request for good (400, 403, "no retry" 500): its errorMsg is kept. */
  | { kind: 'refused'; status: number | null; errorMsg: string };

export interface ChunkReportResult extends ChunkResultCounts {
  /** Report lines that could not be read as an item result. */
  unparsed: number;
}

export function createCatalogActivities(deps: CatalogActivityDeps) {
  const { db, catalogApi } = deps;

  /** The current link of a DONE ingestion's report: each status call hands out a fresh one. */
  async function freshReportLink(ingestionId: string): Promise<string> {
    const status = await catalogApi.getUploadStatus(ingestionId);
    if (status.kind === 'error') throw apiFailure(status, `getCatalogUploadStatus ${ingestionId}`);
    if (status.processingStatus !== 'DONE' || !status.reportDownloadLink) {
      throw ApplicationFailure.create({
        message: `ingestion ${ingestionId} is ${status.processingStatus} without a report link`,
        type: CATALOG_FAILURES.refused,
        nonRetryable: true,
      });
    }
    return status.reportDownloadLink;
  }

  return {
    ...createCatalogSyncActivities(deps),

    /**
     * Snapshots what to send (the catalog, the failed items of an earlier upload, or a sync's
     * delta), validates it and cuts it into chunks.
     */
    async prepareCatalogUpload(input: {
      uploadId: string;
      storeId: string;
      retryFailedOf: string | null;
      chunkSize: number;
    }): Promise<PreparedUpload> {
      await createUpload(db, { uploadId: input.uploadId, storeId: input.storeId, retryOf: input.retryFailedOf });
      const already = await findPreparedUpload(db, input.uploadId);
      if (already) return already;

      // A sync created the upload's row before starting it, naming the delta to send.
      const syncId = await findSyncOfUpload(db, input.uploadId);
      const candidates = syncId
        ? await loadSyncItemsToSend(db, syncId)
        : await loadItemsToUpload(db, input.storeId, input.retryFailedOf);
      // Messages name the other item by its SKU already; its position in the store's catalog means nothing to anyone.
      const found = validateCatalog(
        candidates.map((candidate) => candidate.item),
        () => 'in this upload',
      );
      const problems = new Map(found.map((item) => [item.index, item.problems]));
      const valid = candidates.filter((_, index) => !problems.has(index));
      const chunkOf = new Map<string, number>();
      chunkItems(valid, input.chunkSize).forEach((chunk, chunkNo) =>
        chunk.forEach((candidate) => chunkOf.set(candidate.sku, chunkNo)),
      );
      const prepared: PreparedItem[] = candidates.map((candidate, index) => ({
        sku: candidate.sku,
        item: candidate.item,
        chunkNo: chunkOf.get(candidate.sku) ?? null,
        problems: problems.get(index) ?? [],
      }));
      return savePreparedUpload(db, input.uploadId, prepared);
    },

    /** Runs on the rate-limited catalog task queue: one Upload Catalog request per attempt. */
    async sendCatalogChunk(input: { uploadId: string; chunkNo: number }): Promise<ChunkSendResult> {
      const items = await loadChunkItems(db, input.uploadId, input.chunkNo);
      if (items.length === 0) {
        throw ApplicationFailure.nonRetryable(
          `chunk ${input.chunkNo} of catalog upload ${input.uploadId} has no items`,
          CATALOG_FAILURES.refused,
        );
      }
      const result = await catalogApi.uploadCatalog(items);
      if (result.kind === 'error') {
        if (result.retryable) throw apiFailure(result, 'Upload Catalog');
        return { kind: 'refused', status: result.status, errorMsg: result.errorMsg };
      }
      // Recorded before answering so the SQS notification of this ingestion finds its upload.
      await recordIngestion(db, input.uploadId, input.chunkNo, result.ingestionId);
      return { kind: 'accepted', ingestionId: result.ingestionId };
    },

    /** One status poll; the retry policy (constant interval) repeats it until the ingestion is final. */
    async pollCatalogIngestion(input: { ingestionId: string }): Promise<IngestionOutcome> {
      const status = await catalogApi.getUploadStatus(input.ingestionId);
      if (status.kind === 'error') throw apiFailure(status, `getCatalogUploadStatus ${input.ingestionId}`);
      if (!isFinalProcessingStatus(status.processingStatus)) {
        throw ApplicationFailure.create({
          message: `ingestion ${input.ingestionId} is ${status.processingStatus}`,
          type: CATALOG_FAILURES.notFinal,
          // An expected state, not an error: no error logs or failure metrics for it.
          category: ApplicationFailureCategory.BENIGN,
        });
      }
      return {
        ingestionId: input.ingestionId,
        processingStatus: status.processingStatus,
        reportDownloadLink: status.reportDownloadLink,
      };
    },

    /** Downloads a DONE ingestion's report (through a fresh link if the one given has expired) and stores each item's result. */
    async storeCatalogReport(input: {
      uploadId: string;
      chunkNo: number;
      ingestionId: string;
      reportDownloadLink: string;
    }): Promise<ChunkReportResult> {
      let download = await catalogApi.fetchReport(
        input.reportDownloadLink || (await freshReportLink(input.ingestionId)),
      );
      if (download.kind === 'expired') {
        log.info('catalog report link expired, asking for a fresh one', {
          ingestionId: input.ingestionId,
          reason: download.reason,
        });
        download = await catalogApi.fetchReport(await freshReportLink(input.ingestionId));
      }
      if (download.kind === 'expired') {
        throw ApplicationFailure.retryable(
          `the fresh report link of ingestion ${input.ingestionId} expired too: ${download.reason}`,
          CATALOG_FAILURES.retryable,
        );
      }
      if (download.kind === 'error') throw apiFailure(download, `report of ingestion ${input.ingestionId}`);
      const report = catalogApi.parseReport(download.body);
      if (report.unparsed > 0)
        log.warn('catalog report has unreadable lines', { ingestionId: input.ingestionId, unparsed: report.unparsed });
      const counts = await recordChunkReport(db, input.uploadId, input.chunkNo, report.entries);
      return { ...counts, unparsed: report.unparsed };
    },

    async failCatalogChunk(input: {
      uploadId: string;
      chunkNo: number;
      error: string;
      processingStatus: FinalProcessingStatus | null;
    }): Promise<void> {
      await recordChunkFailure(db, input);
    },

    /** Closes the upload, and records in the baseline what Amazon now holds (a FAILED or INVALID item is not accepted). */
    async finishCatalogUpload(input: { uploadId: string }): Promise<CatalogUploadSummary> {
      await recordUploadInBaseline(db, input.uploadId);
      return finishUpload(db, input.uploadId);
    },
  };
}

/** Amazon's error as a failure: retryable ones are retried by policy, the others end the activity at once. */
function apiFailure(error: CatalogApiError, call: string): ApplicationFailure {
  const message = `${call} failed${error.status === null ? '' : ` with HTTP ${error.status}`}: ${error.errorMsg}`;
  return error.retryable
    ? ApplicationFailure.retryable(message, CATALOG_FAILURES.retryable)
    : ApplicationFailure.nonRetryable(message, CATALOG_FAILURES.refused);
}
