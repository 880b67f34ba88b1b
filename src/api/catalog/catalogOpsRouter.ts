/**
 * Operator endpoints of the catalog (header x-operator-key, under /ops): import a catalog file,
 * start an upload to Amazon, follow its progress, read its per-item report. `jwo catalog …`
 * commands call these.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Database } from '../../adapters/db/database';
import { findStore } from '../../adapters/identity/identityStore';
import { upsertCatalogItems } from '../../adapters/catalog/catalogStore';
import { findUpload, listUploadItems, type ItemStatus } from '../../adapters/catalog/catalogUploadStore';
import { parseCatalogFile } from '../../domain/catalog/import';
import { InvalidRequest, NotFound } from '../../application/errors';
import { catalogUploadProgressQuery } from '../../shared/catalogMessages';
import { catalogUploadWorkflowId } from '../../shared/workflowIds';
import { jsonBody, parseBody, storableParam, string, text } from '../validation';
import { startCatalogUpload, type CatalogUploadDeps } from '../../application/startCatalogUpload';
import {
  DELTA_CHANGES,
  catalogArchiveList,
  deleteCatalogSyncSchedule,
  getCatalogSync,
  getCatalogSyncDelta,
  getSyncSettings,
  listCatalogSyncSchedules,
  pauseCatalogSyncSchedule,
  scheduleCatalogSync,
  startCatalogSync,
  updateSyncSettings,
} from '../../application/catalogSync';
import { listSyncs } from '../../adapters/catalog/catalogSyncStore';
import { SYNC_FIELDS } from '../../domain/catalog/delta';

export const CATALOG_IMPORT_PATH = '/ops/v1/catalog/imports';
/** A catalog file is far larger than any Amazon request: 100,000 rows are about 10 MB. */
const MAX_CATALOG_FILE_BYTES = '64mb';
export const ITEM_STATUSES: ItemStatus[] = ['PENDING', 'SUCCESS', 'FAILED', 'INVALID', 'UNKNOWN'];

export const importRequest = z.object({ storeId: text(255), format: z.enum(['csv', 'json']), content: string() });
export const uploadRequest = z.object({ storeId: text(255), retryFailedOf: text(255).optional() });
export const syncRequest = z.object({
  storeId: text(255),
  format: z.enum(['csv', 'json']).optional(),
  content: string().optional().describe('The catalog file, as for an import; or give `source`.'),
  source: text(2048).optional().describe('An http(s) URL, or an absolute path the worker can read.'),
  dryRun: z.boolean().optional().describe('Compute and record the delta, send nothing.'),
});
export const archiveListRequest = z.object({
  markArchived: z.boolean().describe('Take the listed SKUs out of the baseline (they are being archived).'),
});
export const syncSettingsRequest = z.object({
  fields: z.array(z.enum(SYNC_FIELDS)).optional(),
  priceOnReceipts: z
    .boolean()
    .optional()
    .describe("Amazon's receipts show this store's prices: a price change is sent."),
});
export const scheduleRequest = z.object({
  storeId: text(255),
  source: text(2048).describe('An http(s) URL, or an absolute path the worker can read.'),
  cron: text(255).describe('A cron expression in UTC, e.g. "0 5 * * *" (05:00 every day).'),
});
export { DELTA_CHANGES };
const MAX_LISTED_SYNCS = 100;

export function catalogOpsRouter(
  deps: CatalogUploadDeps & { db: Database; temporal: Client; auth: RequestHandler },
): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  router.use('/ops/v1/catalog', deps.auth);
  router.param('uploadId', storableParam);
  router.param('syncId', storableParam);
  router.param('storeId', storableParam);

  // Bodies are read after the credential check; only a catalog file may be larger than 1 MB.
  router.post(CATALOG_IMPORT_PATH, jsonBody(MAX_CATALOG_FILE_BYTES), async (req, res) => {
    const request = parseBody(importRequest, req.body);
    if (!(await findStore(deps.db, request.storeId))) throw new NotFound(`store ${request.storeId} does not exist`);
    const parsed = parseCatalogFile(request.content, request.format, request.storeId);
    await upsertCatalogItems(deps.db, request.storeId, parsed.items);
    res.status(200).json({ storeId: request.storeId, imported: parsed.items.length, rejected: parsed.rejected });
  });

  router.post('/ops/v1/catalog/uploads', jsonBody(), async (req, res) => {
    const request = parseBody(uploadRequest, req.body);
    res.status(202).json(await startCatalogUpload(deps, request));
  });

  router.get('/ops/v1/catalog/uploads/:uploadId', async (req, res) => {
    const { uploadId } = req.params;
    const handle = deps.temporal.workflow.getHandle(catalogUploadWorkflowId(uploadId));
    let description;
    try {
      description = await handle.describe();
    } catch (err) {
      if ((err as Error).name === 'WorkflowNotFoundError')
        throw new NotFound(`catalog upload ${uploadId} does not exist`);
      throw err;
    }
    const progress = await handle.query(catalogUploadProgressQuery);
    res.json({ uploadId, workflowStatus: description.status.name, progress });
  });

  router.get('/ops/v1/catalog/uploads/:uploadId/report', async (req, res) => {
    const { uploadId } = req.params;
    const status = typeof req.query.status === 'string' ? req.query.status.toUpperCase() : undefined;
    if (status !== undefined && !ITEM_STATUSES.includes(status as ItemStatus)) {
      throw new InvalidRequest([{ field: 'status', reason: `must be one of ${ITEM_STATUSES.join(', ')}` }]);
    }
    const upload = await findUpload(deps.db, uploadId);
    if (!upload) throw new NotFound(`catalog upload ${uploadId} does not exist`);
    const items = await listUploadItems(deps.db, uploadId, status as ItemStatus | undefined);
    res.json({
      uploadId,
      storeId: upload.storeId,
      retryFailedOf: upload.retryOf,
      status: upload.status,
      summary: upload.summary,
      items,
    });
  });

  router.post('/ops/v1/catalog/syncs', jsonBody(MAX_CATALOG_FILE_BYTES), async (req, res) => {
    const request = parseBody(syncRequest, req.body);
    res.status(202).json(await startCatalogSync(deps, request));
  });

  router.get('/ops/v1/catalog/syncs/:syncId', async (req, res) => {
    res.json(await getCatalogSync(deps, req.params.syncId));
  });

  router.get('/ops/v1/catalog/syncs/:syncId/delta', async (req, res) => {
    const change = typeof req.query.change === 'string' ? req.query.change.toUpperCase() : undefined;
    const items = await getCatalogSyncDelta(deps.db, req.params.syncId, change);
    res.json({ syncId: req.params.syncId, items });
  });

  router.get('/ops/v1/catalog/stores/:storeId/syncs', async (req, res) => {
    const { storeId } = req.params;
    if (!(await findStore(deps.db, storeId))) throw new NotFound(`store ${storeId} does not exist`);
    res.json({ storeId, syncs: await listSyncs(deps.db, storeId, MAX_LISTED_SYNCS) });
  });

  router.post('/ops/v1/catalog/stores/:storeId/archive-list', jsonBody(), async (req, res) => {
    const request = parseBody(archiveListRequest, req.body);
    const storeId = String(req.params.storeId);
    res.json({ storeId, items: await catalogArchiveList(deps.db, storeId, request.markArchived) });
  });

  router.get('/ops/v1/catalog/stores/:storeId/sync-settings', async (req, res) => {
    res.json({ storeId: req.params.storeId, ...(await getSyncSettings(deps.db, String(req.params.storeId))) });
  });

  router.post('/ops/v1/catalog/stores/:storeId/sync-settings', jsonBody(), async (req, res) => {
    const request = parseBody(syncSettingsRequest, req.body);
    res.json({
      storeId: req.params.storeId,
      ...(await updateSyncSettings(deps.db, String(req.params.storeId), request)),
    });
  });

  router.post('/ops/v1/catalog/schedules', jsonBody(), async (req, res) => {
    const request = parseBody(scheduleRequest, req.body);
    res.status(201).json(await scheduleCatalogSync(deps, request));
  });

  router.get('/ops/v1/catalog/schedules', async (_req, res) => {
    res.json({ schedules: await listCatalogSyncSchedules(deps) });
  });

  router.post('/ops/v1/catalog/schedules/:storeId/pause', async (req, res) => {
    res.json(await pauseCatalogSyncSchedule(deps, req.params.storeId, true));
  });

  router.post('/ops/v1/catalog/schedules/:storeId/unpause', async (req, res) => {
    res.json(await pauseCatalogSyncSchedule(deps, req.params.storeId, false));
  });

  // A POST, like every operator action the CLI takes (its client speaks GET and POST).
  router.post('/ops/v1/catalog/schedules/:storeId/delete', async (req, res) => {
    await deleteCatalogSyncSchedule(deps, req.params.storeId);
    res.json({ storeId: req.params.storeId, deleted: true });
  });

  return router;
}
