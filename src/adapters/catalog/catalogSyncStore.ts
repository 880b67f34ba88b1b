/**
 * Catalog sync as the connector records it: the baseline (what Amazon holds per store and SKU,
 * fed by every upload's result report), each sync with its delta, the stores' relevant fields and
 * their schedules. Like uploads, items travel through these tables, never through workflow history.
 */
import type { Database, Queryable } from '../db/database';
import type { CatalogItem } from '../../domain/catalog/catalogItem';
import type { RejectedRow } from '../../domain/catalog/import';
import {
  DEFAULT_SYNC_SETTINGS,
  type BaselineEntry,
  type DeltaChange,
  type SyncField,
  type SyncFieldSettings,
} from '../../domain/catalog/delta';
import type { CatalogUploadSummary } from '../../shared/catalogMessages';
import type { CatalogSyncCounts, CatalogSyncRecord, CatalogSyncStatus } from '../../shared/catalogSyncMessages';

/** Rows per INSERT: keeps each JSON parameter well under a megabyte. */
const INSERT_BATCH = 2_000;

// ---------------------------------------------------------------- baseline

/**
 * Records an upload's per-item results in the baseline: a SUCCESS item becomes what Amazon holds
 * (and leaves the archive list if it was there); any other result keeps what Amazon held and marks
 * the SKU for a retry. Idempotent, and an older upload never overwrites a newer one's results.
 */
export async function recordUploadInBaseline(db: Queryable, uploadId: string): Promise<void> {
  await db.query(
    `INSERT INTO catalog_baseline AS b (store_id, sku, accepted_item, accepted_at, accepted_upload_id, last_status, last_errors,
                                        last_upload_id, last_upload_created_at)
     SELECT u.store_id, i.sku,
            CASE WHEN i.status = 'SUCCESS' THEN i.item END,
            CASE WHEN i.status = 'SUCCESS' THEN now() END,
            CASE WHEN i.status = 'SUCCESS' THEN u.upload_id END,
            i.status, i.errors, u.upload_id, u.created_at
       FROM catalog_upload_items i JOIN catalog_uploads u ON u.upload_id = i.upload_id
      WHERE i.upload_id = $1 AND i.status <> 'PENDING'
     ON CONFLICT (store_id, sku) DO UPDATE SET
       accepted_item = CASE WHEN excluded.last_status = 'SUCCESS' THEN excluded.accepted_item ELSE b.accepted_item END,
       accepted_at = CASE WHEN excluded.last_status = 'SUCCESS' THEN excluded.accepted_at ELSE b.accepted_at END,
       accepted_upload_id = CASE WHEN excluded.last_status = 'SUCCESS' THEN excluded.accepted_upload_id ELSE b.accepted_upload_id END,
       archived_at = CASE WHEN excluded.last_status = 'SUCCESS' THEN NULL ELSE b.archived_at END,
       removed_at = CASE WHEN excluded.last_status = 'SUCCESS' THEN NULL ELSE b.removed_at END,
       last_status = excluded.last_status, last_errors = excluded.last_errors,
       last_upload_id = excluded.last_upload_id, last_upload_created_at = excluded.last_upload_created_at
     WHERE b.last_upload_created_at <= excluded.last_upload_created_at`,
    [uploadId],
  );
}

export interface StoredBaselineEntry extends BaselineEntry {
  removedAt: Date | null;
}

/** The store's baseline, without the SKUs already written to an archive list (Amazon no longer holds them). */
export async function loadBaseline(db: Queryable, storeId: string): Promise<Map<string, StoredBaselineEntry>> {
  const rows = await db.query<any>(
    'SELECT sku, accepted_item, last_status, removed_at FROM catalog_baseline WHERE store_id = $1 AND archived_at IS NULL',
    [storeId],
  );
  return new Map(
    rows.map((row) => [
      row.sku,
      { sku: row.sku, accepted: row.accepted_item, lastStatus: row.last_status, removedAt: row.removed_at },
    ]),
  );
}

/** Marks SKUs as gone from the source (kept until archived) and clears the mark of those that came back. */
export async function markRemovedFromSource(
  db: Queryable,
  storeId: string,
  removed: string[],
  returned: string[],
): Promise<void> {
  if (removed.length > 0) {
    await db.query(
      'UPDATE catalog_baseline SET removed_at = now() WHERE store_id = $1 AND sku = ANY($2::text[]) AND removed_at IS NULL',
      [storeId, removed],
    );
  }
  if (returned.length > 0) {
    await db.query('UPDATE catalog_baseline SET removed_at = NULL WHERE store_id = $1 AND sku = ANY($2::text[])', [
      storeId,
      returned,
    ]);
  }
}

export interface ArchiveCandidate {
  sku: string;
  itemName: string | null;
  removedAt: Date;
}

/** SKUs Amazon holds that left the source and are not archived yet; with `markArchived`, they leave the baseline. */
export async function takeArchiveList(
  db: Database,
  storeId: string,
  markArchived: boolean,
): Promise<ArchiveCandidate[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<any>(
      `SELECT sku, accepted_item->>'item_name' AS item_name, removed_at FROM catalog_baseline
        WHERE store_id = $1 AND removed_at IS NOT NULL AND archived_at IS NULL AND accepted_item IS NOT NULL
        ORDER BY sku ${markArchived ? 'FOR UPDATE' : ''}`,
      [storeId],
    );
    if (markArchived && rows.length > 0) {
      await tx.query('UPDATE catalog_baseline SET archived_at = now() WHERE store_id = $1 AND sku = ANY($2::text[])', [
        storeId,
        rows.map((row) => row.sku),
      ]);
    }
    return rows.map((row) => ({ sku: row.sku, itemName: row.item_name, removedAt: row.removed_at }));
  });
}

// ---------------------------------------------------------------- settings

export async function loadSyncSettings(db: Queryable, storeId: string): Promise<SyncFieldSettings> {
  const [row] = await db.query<{ fields: SyncField[]; price_on_receipts: boolean }>(
    'SELECT fields, price_on_receipts FROM catalog_sync_settings WHERE store_id = $1',
    [storeId],
  );
  return row ? { fields: row.fields, priceOnReceipts: row.price_on_receipts } : DEFAULT_SYNC_SETTINGS;
}

export async function saveSyncSettings(db: Queryable, storeId: string, settings: SyncFieldSettings): Promise<void> {
  await db.query(
    `INSERT INTO catalog_sync_settings (store_id, fields, price_on_receipts) VALUES ($1, $2::jsonb, $3)
     ON CONFLICT (store_id) DO UPDATE SET fields = excluded.fields, price_on_receipts = excluded.price_on_receipts, updated_at = now()`,
    [storeId, JSON.stringify(settings.fields), settings.priceOnReceipts],
  );
}

// ---------------------------------------------------------------- syncs

export interface NewSync {
  syncId: string;
  storeId: string;
  workflowId: string;
  trigger: 'MANUAL' | 'SCHEDULE';
  dryRun: boolean;
  source: string | null;
  sourceFormat: 'csv' | 'json' | null;
  sourceContent: string | null;
}

export async function createSync(db: Queryable, sync: NewSync): Promise<void> {
  await db.query(
    `INSERT INTO catalog_syncs (sync_id, store_id, workflow_id, trigger, dry_run, source, source_format, source_content, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'RUNNING') ON CONFLICT (sync_id) DO NOTHING`,
    [
      sync.syncId,
      sync.storeId,
      sync.workflowId,
      sync.trigger,
      sync.dryRun,
      sync.source,
      sync.sourceFormat,
      sync.sourceContent,
    ],
  );
}

export interface SyncSource {
  storeId: string;
  dryRun: boolean;
  source: string | null;
  sourceFormat: 'csv' | 'json' | null;
  sourceContent: string | null;
  counts: CatalogSyncCounts | null;
}

export async function findSyncSource(db: Queryable, syncId: string): Promise<SyncSource | null> {
  const [row] = await db.query<any>(
    'SELECT store_id, dry_run, source, source_format, source_content, counts FROM catalog_syncs WHERE sync_id = $1',
    [syncId],
  );
  if (!row) return null;
  return {
    storeId: row.store_id,
    dryRun: row.dry_run,
    source: row.source,
    sourceFormat: row.source_format,
    sourceContent: row.source_content,
    counts: row.counts,
  };
}

const toRecord = (row: any): CatalogSyncRecord => ({
  syncId: row.sync_id,
  storeId: row.store_id,
  workflowId: row.workflow_id,
  trigger: row.trigger,
  dryRun: row.dry_run,
  source: row.source,
  status: row.status,
  counts: row.counts,
  rejected: row.rejected,
  uploadId: row.upload_id,
  sent: row.sent,
  uploadSummary: row.upload_summary,
  error: row.error,
  createdAt: new Date(row.created_at).toISOString(),
  finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
});

const SYNC_COLUMNS =
  'sync_id, store_id, workflow_id, trigger, dry_run, source, status, counts, rejected, upload_id, sent, upload_summary, error, created_at, finished_at';

export async function findSync(db: Queryable, syncId: string): Promise<CatalogSyncRecord | null> {
  const [row] = await db.query<any>(`SELECT ${SYNC_COLUMNS} FROM catalog_syncs WHERE sync_id = $1`, [syncId]);
  return row ? toRecord(row) : null;
}

export async function listSyncs(db: Queryable, storeId: string, limit: number): Promise<CatalogSyncRecord[]> {
  const rows = await db.query<any>(
    `SELECT ${SYNC_COLUMNS} FROM catalog_syncs WHERE store_id = $1 ORDER BY created_at DESC LIMIT $2`,
    [storeId, limit],
  );
  return rows.map(toRecord);
}

export interface SyncDeltaRow {
  sku: string;
  change: DeltaChange | 'REMOVED';
  item: CatalogItem | null;
  fields: SyncField[] | null;
}

/** Records a sync's delta and counts in one transaction, so a retried activity finds all or nothing. */
export async function saveSyncDelta(
  db: Database,
  syncId: string,
  delta: { rows: SyncDeltaRow[]; counts: CatalogSyncCounts; rejected: RejectedRow[] },
  baselineMarks: { storeId: string; removed: string[]; returned: string[] } | null,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM catalog_sync_items WHERE sync_id = $1', [syncId]);
    for (let start = 0; start < delta.rows.length; start += INSERT_BATCH) {
      const rows = delta.rows.slice(start, start + INSERT_BATCH).map((row, offset) => ({
        sku: row.sku,
        position: start + offset,
        change: row.change,
        item: row.item,
        fields: row.fields,
      }));
      await tx.query(
        `INSERT INTO catalog_sync_items (sync_id, sku, position, change, item, fields)
         SELECT $1, r.sku, r.position, r.change, r.item, r.fields
           FROM jsonb_to_recordset($2::jsonb) AS r(sku text, position int, change text, item jsonb, fields jsonb)`,
        [syncId, JSON.stringify(rows)],
      );
    }
    if (baselineMarks)
      await markRemovedFromSource(tx, baselineMarks.storeId, baselineMarks.removed, baselineMarks.returned);
    // The file was only needed to compute the delta; the delta is what is kept.
    await tx.query(
      'UPDATE catalog_syncs SET counts = $2::jsonb, rejected = $3::jsonb, source_content = NULL WHERE sync_id = $1',
      [syncId, JSON.stringify(delta.counts), JSON.stringify(delta.rejected)],
    );
  });
}

/** The items a sync sends, in the source's order. */
export async function loadSyncItemsToSend(
  db: Queryable,
  syncId: string,
): Promise<{ sku: string; item: CatalogItem }[]> {
  const rows = await db.query<{ sku: string; item: CatalogItem }>(
    `SELECT sku, item FROM catalog_sync_items WHERE sync_id = $1 AND change <> 'REMOVED' ORDER BY position`,
    [syncId],
  );
  return rows;
}

export async function listSyncDelta(db: Queryable, syncId: string, change?: string): Promise<SyncDeltaRow[]> {
  const rows = await db.query<any>(
    `SELECT sku, change, item, fields FROM catalog_sync_items WHERE sync_id = $1 AND ($2::text IS NULL OR change = $2)
     ORDER BY position`,
    [syncId, change ?? null],
  );
  return rows.map((row) => ({ sku: row.sku, change: row.change, item: row.item, fields: row.fields }));
}

/** Creates the upload row a sync's upload workflow will find (prepare keeps it: ON CONFLICT DO NOTHING). */
export async function attachSyncUpload(
  db: Database,
  input: { syncId: string; uploadId: string; storeId: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO catalog_uploads (upload_id, store_id, retry_of, status, sync_id) VALUES ($1, $2, NULL, 'RUNNING', $3)
       ON CONFLICT (upload_id) DO NOTHING`,
      [input.uploadId, input.storeId, input.syncId],
    );
    await tx.query('UPDATE catalog_syncs SET upload_id = $2 WHERE sync_id = $1', [input.syncId, input.uploadId]);
  });
}

/** The sync whose delta an upload sends, or null for a whole-catalog upload or a retry. */
export async function findSyncOfUpload(db: Queryable, uploadId: string): Promise<string | null> {
  const [row] = await db.query<{ sync_id: string | null }>('SELECT sync_id FROM catalog_uploads WHERE upload_id = $1', [
    uploadId,
  ]);
  return row?.sync_id ?? null;
}

export async function finishSync(
  db: Queryable,
  syncId: string,
  result: { status: CatalogSyncStatus; error: string | null },
): Promise<CatalogSyncRecord> {
  const [row] = await db.query<{ upload_id: string | null }>('SELECT upload_id FROM catalog_syncs WHERE sync_id = $1', [
    syncId,
  ]);
  const summary = row?.upload_id ? await uploadSummaryOf(db, row.upload_id) : null;
  // Items sent to Amazon: those of the upload that our validation did not refuse.
  const sent = summary ? summary.items.total - summary.items.invalid : 0;
  await db.query(
    `UPDATE catalog_syncs SET status = $2, error = $3, finished_at = coalesce(finished_at, now()), upload_summary = $4::jsonb, sent = $5
      WHERE sync_id = $1`,
    [syncId, result.status, result.error, summary === null ? null : JSON.stringify(summary), sent],
  );
  const sync = await findSync(db, syncId);
  if (!sync) throw new Error(`catalog sync ${syncId} does not exist`);
  return sync;
}

export async function uploadSummaryOf(db: Queryable, uploadId: string): Promise<CatalogUploadSummary | null> {
  const [row] = await db.query<{ summary: CatalogUploadSummary | null }>(
    'SELECT summary FROM catalog_uploads WHERE upload_id = $1',
    [uploadId],
  );
  return row?.summary ?? null;
}

// ---------------------------------------------------------------- schedules

export interface ScheduleRecord {
  storeId: string;
  scheduleId: string;
  source: string;
  cron: string;
  paused: boolean;
  createdAt: Date;
}

export async function saveScheduleRecord(
  db: Queryable,
  schedule: Omit<ScheduleRecord, 'createdAt' | 'paused'>,
): Promise<void> {
  await db.query(
    `INSERT INTO catalog_sync_schedules (store_id, schedule_id, source, cron) VALUES ($1, $2, $3, $4)
     ON CONFLICT (store_id) DO UPDATE SET schedule_id = excluded.schedule_id, source = excluded.source, cron = excluded.cron, paused = false`,
    [schedule.storeId, schedule.scheduleId, schedule.source, schedule.cron],
  );
}

export async function setSchedulePaused(db: Queryable, storeId: string, paused: boolean): Promise<void> {
  await db.query('UPDATE catalog_sync_schedules SET paused = $2 WHERE store_id = $1', [storeId, paused]);
}

export async function deleteScheduleRecord(db: Queryable, storeId: string): Promise<void> {
  await db.query('DELETE FROM catalog_sync_schedules WHERE store_id = $1', [storeId]);
}

export async function listScheduleRecords(db: Queryable): Promise<ScheduleRecord[]> {
  const rows = await db.query<any>('SELECT * FROM catalog_sync_schedules ORDER BY store_id');
  return rows.map((row) => ({
    storeId: row.store_id,
    scheduleId: row.schedule_id,
    source: row.source,
    cron: row.cron,
    paused: row.paused,
    createdAt: row.created_at,
  }));
}
