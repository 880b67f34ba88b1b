/** Messages of CatalogUploadWorkflow, shared by the workflow, the API, the CLI and the SQS consumer (no Node imports). */
import { defineQuery, defineSignal } from '@temporalio/workflow';

export interface CatalogUploadInput {
  uploadId: string;
  storeId: string;
  /** Re-send only the items that FAILED in this earlier upload of the same store. */
  retryFailedOf: string | null;
  /** Items per Upload Catalog request (at most 10,000). */
  chunkSize: number;
  /** Pause between getCatalogUploadStatus calls for one ingestion. */
  pollIntervalMs: number;
}

export type FinalProcessingStatus = 'DONE' | 'CANCELLED' | 'FATAL';

export const isFinalProcessingStatus = (status: string): status is FinalProcessingStatus =>
  status === 'DONE' || status === 'CANCELLED' || status === 'FATAL';

/** Where an ingestion ended, from a status poll or from the SNS notification. */
export interface IngestionOutcome {
  ingestionId: string;
  processingStatus: FinalProcessingStatus;
  /** Presigned report link; may be empty or expired, the report activity then asks for a fresh one. */
  reportDownloadLink: string;
}

/**
 * PENDING: not accepted yet (queued behind the rate limit, or being retried). PROCESSING: Amazon
 * accepted it and is ingesting. DONE: the report is stored. FAILED: the request was refused, the
 * ingestion ended FATAL or CANCELLED, or its report could not be read.
 */
export type ChunkState = 'PENDING' | 'PROCESSING' | 'DONE' | 'FAILED';

export interface ChunkProgress {
  chunkNo: number;
  itemCount: number;
  state: ChunkState;
  ingestionId: string | null;
  /** Amazon's final processingStatus, once known. */
  processingStatus: FinalProcessingStatus | null;
  /** Amazon's errorMsg, or why the chunk failed. */
  error: string | null;
}

export type UploadOutcome = 'COMPLETED' | 'COMPLETED_WITH_FAILURES' | 'FAILED';

export interface ItemCounts {
  total: number;
  /** Refused by our validation, never sent. */
  invalid: number;
  succeeded: number;
  failed: number;
  /** Sent and DONE, but the report does not mention them. */
  unknown: number;
}

export interface CatalogUploadSummary {
  uploadId: string;
  storeId: string;
  retryFailedOf: string | null;
  status: UploadOutcome;
  items: ItemCounts;
  chunks: { total: number; done: number; failed: number };
}

export interface ChunkCounts {
  total: number;
  /** Accepted by Amazon (an ingestionId was given), whatever happened next. */
  sent: number;
  processing: number;
  done: number;
  failed: number;
}

export interface CatalogUploadProgress {
  uploadId: string;
  storeId: string;
  phase: 'PREPARING' | 'UPLOADING' | 'FINISHED';
  /** Items to send and items refused by validation; null until prepared. */
  items: { toSend: number; invalid: number } | null;
  counts: ChunkCounts;
  chunks: ChunkProgress[];
  summary: CatalogUploadSummary | null;
}

export function countChunks(chunks: readonly ChunkProgress[]): ChunkCounts {
  const count = (predicate: (chunk: ChunkProgress) => boolean) => chunks.filter(predicate).length;
  return {
    total: chunks.length,
    sent: count((chunk) => chunk.ingestionId !== null),
    processing: count((chunk) => chunk.state === 'PROCESSING'),
    done: count((chunk) => chunk.state === 'DONE'),
    failed: count((chunk) => chunk.state === 'FAILED'),
  };
}

/** Failure types thrown by the catalog activities, named in the workflow's retry policies. */
export const CATALOG_FAILURES = {
  /** Benign: the ingestion is still INQUEUE or INPROGRESS. */
  notFinal: 'IngestionNotFinal',
  /** Throttling, "retry recommended" 500s, network trouble. */
  retryable: 'CatalogApiRetryable',
  /** A refusal no retry can fix. */
  refused: 'CatalogApiRefused',
} as const;

export const catalogUploadProgressQuery = defineQuery<CatalogUploadProgress>('catalogUploadProgress');
/** Sent by the SQS notification consumer when Amazon reports an ingestion of this upload final. */
export const ingestionFinishedSignal = defineSignal<[IngestionOutcome]>('ingestionFinished');
