/**
 * Catalog uploads as the connector records them: one row per upload, one per chunk (the Upload
 * Catalog request and the ingestion Amazon made of it), and one per item with the item exactly as
 * sent and its result from Amazon's report. Items travel through these tables, never through
 * workflow history: 10,000 items are about 2 MB, Temporal's limit for one payload.
 */
import type { Queryable, Database } from '../db/database';
import type { CatalogItem } from '../../domain/catalog/catalogItem';
import type { ReportEntry } from '../amazonCatalog/types';
import type {
  CatalogUploadSummary,
  FinalProcessingStatus,
  ItemCounts,
  UploadOutcome,
} from '../../shared/catalogMessages';

export type ItemStatus = 'PENDING' | 'SUCCESS' | 'FAILED' | 'INVALID' | 'UNKNOWN';

export interface CatalogUpload {
  uploadId: string;
  storeId: string;
  retryOf: string | null;
  status: 'RUNNING' | UploadOutcome;
  summary: CatalogUploadSummary | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export interface PreparedItem {
  sku: string;
  item: CatalogItem;
  /** Null when validation refused the item. */
  chunkNo: number | null;
  problems: string[];
}

export interface PreparedChunk {
  chunkNo: number;
  itemCount: number;
}

export interface PreparedUpload {
  toSend: number;
  invalid: number;
  chunks: PreparedChunk[];
}

export interface UploadItemResult {
  sku: string;
  status: ItemStatus;
  errors: string[];
  chunkNo: number | null;
  ingestionId: string | null;
}

/** Rows per INSERT: keeps each JSON parameter well under a megabyte. */
const INSERT_BATCH = 2_000;

export async function createUpload(
  db: Queryable,
  upload: { uploadId: string; storeId: string; retryOf: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO catalog_uploads (upload_id, store_id, retry_of, status) VALUES ($1, $2, $3, 'RUNNING')
     ON CONFLICT (upload_id) DO NOTHING`,
    [upload.uploadId, upload.storeId, upload.retryOf],
  );
}

export async function findUpload(db: Queryable, uploadId: string): Promise<CatalogUpload | null> {
  const [row] = await db.query<any>('SELECT * FROM catalog_uploads WHERE upload_id = $1', [uploadId]);
  if (!row) return null;
  return {
    uploadId: row.upload_id,
    storeId: row.store_id,
    retryOf: row.retry_of,
    status: row.status,
    summary: row.summary,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

/** The store's whole catalog, or only the items that FAILED in `retryOf` (as the catalog has them now, fixes included). */
export async function loadItemsToUpload(
  db: Queryable,
  storeId: string,
  retryOf: string | null,
): Promise<{ sku: string; item: CatalogItem }[]> {
  const rows = retryOf
    ? await db.query<any>(
        `SELECT c.sku, c.amazon_item FROM catalog_upload_items f
         JOIN catalog_items c ON c.store_id = $1 AND c.sku = f.sku
         WHERE f.upload_id = $2 AND f.status = 'FAILED' ORDER BY c.sku`,
        [storeId, retryOf],
      )
    : await db.query<any>('SELECT sku, amazon_item FROM catalog_items WHERE store_id = $1 ORDER BY sku', [storeId]);
  return rows.map((row) => ({ sku: row.sku, item: row.amazon_item }));
}

/** What an earlier run of prepare recorded, or null if it has not run (activities may be retried). */
export async function findPreparedUpload(db: Queryable, uploadId: string): Promise<PreparedUpload | null> {
  const counts = await db.query<{ invalid: number; to_send: number }>(
    `SELECT count(*) FILTER (WHERE status = 'INVALID')::int AS invalid, count(*) FILTER (WHERE status <> 'INVALID')::int AS to_send
     FROM catalog_upload_items WHERE upload_id = $1`,
    [uploadId],
  );
  const { invalid, to_send } = counts[0];
  if (invalid + to_send === 0) return null;
  const chunks = await db.query<{ chunk_no: number; item_count: number }>(
    'SELECT chunk_no, item_count FROM catalog_upload_chunks WHERE upload_id = $1 ORDER BY chunk_no',
    [uploadId],
  );
  return {
    toSend: to_send,
    invalid,
    chunks: chunks.map((chunk) => ({ chunkNo: chunk.chunk_no, itemCount: chunk.item_count })),
  };
}

/** Records the items and chunks of an upload in one transaction, so a retried prepare finds all or nothing. */
export async function savePreparedUpload(
  db: Database,
  uploadId: string,
  items: PreparedItem[],
): Promise<PreparedUpload> {
  const itemCounts = new Map<number, number>();
  for (const { chunkNo } of items) if (chunkNo !== null) itemCounts.set(chunkNo, (itemCounts.get(chunkNo) ?? 0) + 1);
  const chunks = [...itemCounts]
    .map(([chunkNo, itemCount]) => ({ chunkNo, itemCount }))
    .sort((a, b) => a.chunkNo - b.chunkNo);
  await db.transaction(async (tx) => {
    for (let start = 0; start < items.length; start += INSERT_BATCH) {
      const rows = items.slice(start, start + INSERT_BATCH).map((prepared, offset) => ({
        sku: prepared.sku,
        position: start + offset,
        chunk_no: prepared.chunkNo,
        item: prepared.item,
        status: prepared.chunkNo === null ? 'INVALID' : 'PENDING',
        errors: prepared.problems,
      }));
      await tx.query(
        `INSERT INTO catalog_upload_items (upload_id, sku, position, chunk_no, item, status, errors)
         SELECT $1, r.sku, r.position, r.chunk_no, r.item, r.status, r.errors
         FROM jsonb_to_recordset($2::jsonb) AS r(sku text, position int, chunk_no int, item jsonb, status text, errors jsonb)`,
        [uploadId, JSON.stringify(rows)],
      );
    }
    if (chunks.length > 0) {
      await tx.query(
        `INSERT INTO catalog_upload_chunks (upload_id, chunk_no, item_count, status)
         SELECT $1, r.chunk_no, r.item_count, 'PENDING' FROM jsonb_to_recordset($2::jsonb) AS r(chunk_no int, item_count int)`,
        [uploadId, JSON.stringify(chunks.map((chunk) => ({ chunk_no: chunk.chunkNo, item_count: chunk.itemCount })))],
      );
    }
  });
  const invalid = items.filter((item) => item.chunkNo === null).length;
  return { toSend: items.length - invalid, invalid, chunks };
}

/** The items of one chunk, in the order they were prepared. */
export async function loadChunkItems(db: Queryable, uploadId: string, chunkNo: number): Promise<CatalogItem[]> {
  const rows = await db.query<{ item: CatalogItem }>(
    'SELECT item FROM catalog_upload_items WHERE upload_id = $1 AND chunk_no = $2 ORDER BY position',
    [uploadId, chunkNo],
  );
  return rows.map((row) => row.item);
}

export async function recordIngestion(
  db: Queryable,
  uploadId: string,
  chunkNo: number,
  ingestionId: string,
): Promise<void> {
  await db.query(
    `UPDATE catalog_upload_chunks SET ingestion_id = $3, status = 'PROCESSING' WHERE upload_id = $1 AND chunk_no = $2`,
    [uploadId, chunkNo, ingestionId],
  );
}

/** The upload an ingestion belongs to, for routing Amazon's notifications; null when it is not ours. */
export async function findUploadIdByIngestion(db: Queryable, ingestionId: string): Promise<string | null> {
  const [row] = await db.query<{ upload_id: string }>(
    'SELECT upload_id FROM catalog_upload_chunks WHERE ingestion_id = $1',
    [ingestionId],
  );
  return row?.upload_id ?? null;
}

/** A chunk that failed as a whole: each of its items failed for the same reason. */
export async function recordChunkFailure(
  db: Database,
  failure: { uploadId: string; chunkNo: number; error: string; processingStatus: FinalProcessingStatus | null },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE catalog_upload_chunks SET status = 'FAILED', error = $3, processing_status = $4 WHERE upload_id = $1 AND chunk_no = $2`,
      [failure.uploadId, failure.chunkNo, failure.error, failure.processingStatus],
    );
    await tx.query(
      `UPDATE catalog_upload_items SET status = 'FAILED', errors = $3::jsonb WHERE upload_id = $1 AND chunk_no = $2 AND status = 'PENDING'`,
      [failure.uploadId, failure.chunkNo, JSON.stringify([failure.error])],
    );
  });
}

export type ChunkResultCounts = Pick<ItemCounts, 'succeeded' | 'failed' | 'unknown'>;

/** Stores a DONE chunk's report; items of the chunk the report does not mention become UNKNOWN. */
export async function recordChunkReport(
  db: Database,
  uploadId: string,
  chunkNo: number,
  entries: ReportEntry[],
): Promise<ChunkResultCounts> {
  // One row per SKU: a report that lists a SKU twice keeps its last line.
  const bySku = new Map(entries.map((entry) => [entry.sku, entry]));
  const results = [...bySku.values()].map((entry) => ({ sku: entry.sku, status: entry.status, errors: entry.errors }));
  return db.transaction(async (tx) => {
    await tx.query(
      `UPDATE catalog_upload_items AS i SET status = r.status, errors = r.errors
       FROM jsonb_to_recordset($3::jsonb) AS r(sku text, status text, errors jsonb)
       WHERE i.upload_id = $1 AND i.chunk_no = $2 AND i.sku = r.sku`,
      [uploadId, chunkNo, JSON.stringify(results)],
    );
    await tx.query(
      `UPDATE catalog_upload_items SET status = 'UNKNOWN', errors = '["not in the result report"]'
       WHERE upload_id = $1 AND chunk_no = $2 AND status = 'PENDING'`,
      [uploadId, chunkNo],
    );
    await tx.query(
      `UPDATE catalog_upload_chunks SET status = 'DONE', processing_status = 'DONE', error = NULL WHERE upload_id = $1 AND chunk_no = $2`,
      [uploadId, chunkNo],
    );
    const counts = await countItems(tx, uploadId, chunkNo);
    return { succeeded: counts.succeeded, failed: counts.failed, unknown: counts.unknown };
  });
}

/** Counts the results, decides the outcome and closes the upload. */
export async function finishUpload(db: Queryable, uploadId: string): Promise<CatalogUploadSummary> {
  const upload = await findUpload(db, uploadId);
  if (!upload) throw new Error(`catalog upload ${uploadId} does not exist`);
  const items = await countItems(db, uploadId, null);
  const [chunks] = await db.query<{ total: number; done: number; failed: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'DONE')::int AS done, count(*) FILTER (WHERE status = 'FAILED')::int AS failed
     FROM catalog_upload_chunks WHERE upload_id = $1`,
    [uploadId],
  );
  const summary: CatalogUploadSummary = {
    uploadId,
    storeId: upload.storeId,
    retryFailedOf: upload.retryOf,
    status: outcomeOf(items),
    items,
    chunks,
  };
  await db.query(
    `UPDATE catalog_uploads SET status = $2, summary = $3::jsonb, finished_at = now() WHERE upload_id = $1`,
    [uploadId, summary.status, JSON.stringify(summary)],
  );
  return summary;
}

function outcomeOf(items: ItemCounts): UploadOutcome {
  if (items.total > 0 && items.succeeded === 0) return 'FAILED';
  return items.succeeded === items.total ? 'COMPLETED' : 'COMPLETED_WITH_FAILURES';
}

async function countItems(db: Queryable, uploadId: string, chunkNo: number | null): Promise<ItemCounts> {
  const rows = await db.query<{ status: ItemStatus; n: number }>(
    `SELECT status, count(*)::int AS n FROM catalog_upload_items
     WHERE upload_id = $1 AND ($2::int IS NULL OR chunk_no = $2) GROUP BY status`,
    [uploadId, chunkNo],
  );
  const by = (status: ItemStatus) => rows.find((row) => row.status === status)?.n ?? 0;
  return {
    total: rows.reduce((sum, row) => sum + row.n, 0),
    invalid: by('INVALID'),
    succeeded: by('SUCCESS'),
    failed: by('FAILED'),
    unknown: by('UNKNOWN'),
  };
}

/** Per-item results, in the order the items were prepared; optionally only one status. */
export async function listUploadItems(
  db: Queryable,
  uploadId: string,
  status?: ItemStatus,
): Promise<UploadItemResult[]> {
  const rows = await db.query<any>(
    `SELECT i.sku, i.status, i.errors, i.chunk_no, c.ingestion_id FROM catalog_upload_items i
     LEFT JOIN catalog_upload_chunks c ON c.upload_id = i.upload_id AND c.chunk_no = i.chunk_no
     WHERE i.upload_id = $1 AND ($2::text IS NULL OR i.status = $2) ORDER BY i.position`,
    [uploadId, status ?? null],
  );
  return rows.map((row) => ({
    sku: row.sku,
    status: row.status,
    errors: row.errors,
    chunkNo: row.chunk_no,
    ingestionId: row.ingestion_id,
  }));
}

export async function countItemsWithStatus(db: Queryable, uploadId: string, status: ItemStatus): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM catalog_upload_items WHERE upload_id = $1 AND status = $2',
    [uploadId, status],
  );
  return row.n;
}
