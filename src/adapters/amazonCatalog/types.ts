/** Outcomes of the Catalog API calls. Expected failures are values, never exceptions. */

export type ProcessingStatus = 'DONE' | 'INQUEUE' | 'INPROGRESS' | 'CANCELLED' | 'FATAL';

export interface CatalogApiError {
  kind: 'error';
  /** HTTP status, or null when no response arrived (network failure, timeout, no credentials). */
  status: number | null;
  errorMsg: string;
  /** Whether the same call may succeed later (throttling, "retry recommended" 500s, network). */
  retryable: boolean;
}

export type UploadResult = { kind: 'ok'; ingestionId: string } | CatalogApiError;

export type StatusResult =
  { kind: 'ok'; processingStatus: ProcessingStatus; reportDownloadLink: string } | CatalogApiError;

export type ReportFetchResult =
  | { kind: 'ok'; body: string }
  /** The presigned link is past its lifetime (or S3 no longer has the object): ask for a fresh link. */
  | { kind: 'expired'; reason: string }
  | CatalogApiError;

export interface ReportEntry {
  sku: string;
  status: 'SUCCESS' | 'FAILED';
  errors: string[];
}

export interface ParsedReport {
  entries: ReportEntry[];
  /** Entries (or lines) that could not be read as a SKU result. */
  unparsed: number;
}
