/**
 * Activities of CatalogSyncWorkflow: read and validate the source, compute the delta against what
 * Amazon holds, record it (items to send, SKUs gone from the source), and record the outcome.
 * A source that cannot be used (a file error, a 404) is a result, not a failure worth retrying.
 */
import { log } from '@temporalio/activity';
import type { Database } from '../adapters/db/database';
import { upsertCatalogItems } from '../adapters/catalog/catalogStore';
import { CatalogSourceError, readCatalogSource } from '../adapters/catalog/catalogSource';
import {
  attachSyncUpload,
  createSync,
  findSyncSource,
  finishSync,
  loadBaseline,
  loadSyncSettings,
  saveSyncDelta,
  uploadSummaryOf,
  type SyncDeltaRow,
} from '../adapters/catalog/catalogSyncStore';
import { computeCatalogDelta, effectiveSyncFields } from '../domain/catalog/delta';
import { CatalogFileError, parseCatalogFile, type CatalogImport } from '../domain/catalog/import';
import type {
  CatalogSyncCounts,
  CatalogSyncRecord,
  CatalogSyncStatus,
  PreparedSync,
} from '../shared/catalogSyncMessages';

export function createCatalogSyncActivities(deps: { db: Database }) {
  const { db } = deps;

  return {
    /** Idempotent: a retried attempt finds the delta an earlier one recorded. */
    async prepareCatalogSync(input: {
      syncId: string;
      workflowId: string;
      storeId: string;
      source: string | null;
      dryRun: boolean;
    }): Promise<PreparedSync> {
      await createSync(db, {
        syncId: input.syncId,
        storeId: input.storeId,
        workflowId: input.workflowId,
        trigger: 'SCHEDULE',
        dryRun: input.dryRun,
        source: input.source,
        sourceFormat: null,
        sourceContent: null,
      });
      const sync = await findSyncSource(db, input.syncId);
      if (!sync) throw new Error(`catalog sync ${input.syncId} vanished`);
      if (sync.counts) return { kind: 'prepared', counts: sync.counts };

      let parsed: CatalogImport;
      try {
        const { content, format } =
          sync.sourceContent !== null
            ? { content: sync.sourceContent, format: sync.sourceFormat ?? 'csv' }
            : await readCatalogSource(sync.source ?? '');
        parsed = parseCatalogFile(content, format, sync.storeId);
      } catch (error) {
        if (error instanceof CatalogSourceError || error instanceof CatalogFileError)
          return { kind: 'unusable', error: error.message };
        throw error;
      }
      if (parsed.items.length === 0 && parsed.rejected.length === 0) {
        // An empty export would list the whole catalog as removed: more likely a broken export than a closed store.
        return { kind: 'unusable', error: 'the source has no items' };
      }
      // The price book follows the source, as `jwo catalog import` does (not on a dry run).
      if (!sync.dryRun) await upsertCatalogItems(db, sync.storeId, parsed.items);

      const baseline = await loadBaseline(db, sync.storeId);
      const fields = effectiveSyncFields(await loadSyncSettings(db, sync.storeId));
      const rejectedSkus = new Set(parsed.rejected.flatMap((row) => (row.sku ? [row.sku] : [])));
      const source = parsed.items.map((item) => item.amazon);
      const delta = computeCatalogDelta(source, baseline, fields, rejectedSkus);

      const rows: SyncDeltaRow[] = [
        ...delta.toSend.map((entry) => ({
          sku: entry.item.item_sku,
          change: entry.change,
          item: entry.item,
          fields: entry.fields ?? null,
        })),
        ...delta.removed.map((sku) => ({
          sku,
          change: 'REMOVED' as const,
          item: baseline.get(sku)?.accepted ?? null,
          fields: null,
        })),
      ];
      const count = (change: string) => delta.toSend.filter((entry) => entry.change === change).length;
      const counts: CatalogSyncCounts = {
        unchanged: delta.unchanged,
        new: count('NEW'),
        changed: count('CHANGED'),
        retried: count('RETRY'),
        removed: delta.removed.length,
        rejected: parsed.rejected.length,
        toSend: delta.toSend.length,
      };
      const returned = source.filter((item) => baseline.get(item.item_sku)?.removedAt).map((item) => item.item_sku);
      await saveSyncDelta(
        db,
        input.syncId,
        { rows, counts, rejected: parsed.rejected },
        sync.dryRun ? null : { storeId: sync.storeId, removed: delta.removed, returned },
      );
      log.info('catalog sync delta computed', { syncId: input.syncId, ...counts });
      return { kind: 'prepared', counts };
    },

    async attachCatalogSyncUpload(input: { syncId: string; uploadId: string; storeId: string }): Promise<void> {
      await attachSyncUpload(db, input);
    },

    /** Closes the sync: FAILED with an error, else the outcome of its upload (COMPLETED when nothing was sent). */
    async finishCatalogSync(input: { syncId: string; error: string | null }): Promise<CatalogSyncRecord> {
      let status: CatalogSyncStatus = input.error ? 'FAILED' : 'COMPLETED';
      if (!input.error) {
        const [row] = await db.query<{ upload_id: string | null }>(
          'SELECT upload_id FROM catalog_syncs WHERE sync_id = $1',
          [input.syncId],
        );
        const summary = row?.upload_id ? await uploadSummaryOf(db, row.upload_id) : null;
        if (summary) status = summary.status;
      }
      return finishSync(db, input.syncId, { status, error: input.error });
    },
  };
}
