/** Messages and ids of CatalogSyncWorkflow, shared by the workflow, the API and the CLI (no Node imports). */
import { defineQuery } from '@temporalio/workflow';
import type { CatalogUploadSummary } from './catalogMessages';

/** The Temporal Schedule of a store's sync; its runs get workflow ids starting with the same text. */
export const catalogSyncScheduleId = (storeId: string): string => `catalog-sync-${storeId}`;
/** A sync started by hand (`jwo catalog sync`). */
export const catalogSyncWorkflowId = (syncId: string): string => `catalog-sync-run-${syncId}`;

export interface CatalogSyncInput {
  storeId: string;
  /**
   * Set for a sync started by hand: its row (with the file, or the source) exists already.
   * Absent for a scheduled run: the run's workflow id is its sync id.
   */
  syncId?: string;
  /** A scheduled run's source: an http(s) URL or a path the worker can read. */
  source?: string;
  dryRun?: boolean;
  /** Items per Upload Catalog request, and the status poll interval, for the upload it starts. */
  chunkSize: number;
  pollIntervalMs: number;
}

export type CatalogSyncStatus = 'RUNNING' | 'COMPLETED' | 'COMPLETED_WITH_FAILURES' | 'FAILED';

export interface CatalogSyncCounts {
  unchanged: number;
  new: number;
  changed: number;
  retried: number;
  /** SKUs Amazon holds that the source no longer has: `jwo catalog archive-list`. */
  removed: number;
  /** Rows of the source our validation refused: not sent, not counted as removed. */
  rejected: number;
  toSend: number;
}

export interface CatalogSyncRecord {
  syncId: string;
  storeId: string;
  workflowId: string;
  trigger: 'MANUAL' | 'SCHEDULE';
  dryRun: boolean;
  source: string | null;
  status: CatalogSyncStatus;
  counts: CatalogSyncCounts | null;
  rejected: { line: number; sku?: string; problems: string[] }[];
  uploadId: string | null;
  /** Items sent to Amazon (0 for a dry run or an empty delta). */
  sent: number;
  uploadSummary: CatalogUploadSummary | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export type PreparedSync = { kind: 'prepared'; counts: CatalogSyncCounts } | { kind: 'unusable'; error: string };

export interface CatalogSyncProgress {
  syncId: string | null;
  phase: 'COMPARING' | 'UPLOADING' | 'FINISHED';
  counts: CatalogSyncCounts | null;
  uploadId: string | null;
}

export const catalogSyncProgressQuery = defineQuery<CatalogSyncProgress>('catalogSyncProgress');
