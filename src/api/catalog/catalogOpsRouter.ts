/**
 * Operator endpoints of the catalog (operator credential, under /ops): import a catalog file,
 * start an upload to Amazon, follow its progress, read its per-item report. `jwo catalog …`
 * commands call these. Reading needs the viewer role; changing the catalog (imports, uploads,
 * syncs, schedules, settings) needs admin and is recorded in the audit log under the operator.
 */
import { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Database } from '../../adapters/db/database';
import { findStore } from '../../adapters/identity/identityStore';
import { upsertCatalogItems } from '../../adapters/catalog/catalogStore';
import { findUpload, listUploadItems, type ItemStatus } from '../../adapters/catalog/catalogUploadStore';
import { parseCatalogFile } from '../../domain/catalog/import';
import { InvalidRequest, NotFound } from '../../application/errors';
import { jsonBody, parseBody, storableParam, string, text } from '../validation';
import {
  catalogUploadProgress,
  startCatalogUpload,
  type CatalogUploadDeps,
} from '../../application/startCatalogUpload';
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
import { recordAudit, type AuditEntry } from '../../adapters/audit/auditLog';
import { auditActor, requireRole } from '../operatorAuth';

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
  const viewer = requireRole('viewer');
  const admin = requireRole('admin');
  // Catalog changes live in Temporal or take their own transaction: recorded once they are made.
  const audit = (res: Response, action: string, storeId: string, details: AuditEntry['details'] = {}) =>
    recordAudit(deps.db, { actor: auditActor(res), action, subject: { type: 'store', id: storeId }, details });
  router.param('uploadId', storableParam);
  router.param('syncId', storableParam);
  router.param('storeId', storableParam);

  // Bodies are read after the credential check; only a catalog file may be larger than 1 MB.
  router.post(CATALOG_IMPORT_PATH, admin, jsonBody(MAX_CATALOG_FILE_BYTES), async (req, res) => {
    const request = parseBody(importRequest, req.body);
    if (!(await findStore(deps.db, request.storeId))) throw new NotFound(`store ${request.storeId} does not exist`);
    const parsed = parseCatalogFile(request.content, request.format, request.storeId);
    await upsertCatalogItems(deps.db, request.storeId, parsed.items);
    await audit(res, 'catalog.import', request.storeId, {
      format: request.format,
      imported: parsed.items.length,
      rejected: parsed.rejected.length,
    });
    res.status(200).json({ storeId: request.storeId, imported: parsed.items.length, rejected: parsed.rejected });
  });

  router.post('/ops/v1/catalog/uploads', admin, jsonBody(), async (req, res) => {
    const request = parseBody(uploadRequest, req.body);
    const started = await startCatalogUpload(deps, request);
    await audit(res, 'catalog.upload', started.storeId, {
      uploadId: started.uploadId,
      retryFailedOf: started.retryFailedOf,
    });
    res.status(202).json(started);
  });

  router.get('/ops/v1/catalog/uploads/:uploadId', viewer, async (req, res) => {
    res.json(await catalogUploadProgress(deps.temporal, req.params.uploadId));
  });

  router.get('/ops/v1/catalog/uploads/:uploadId/report', viewer, async (req, res) => {
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

  router.post('/ops/v1/catalog/syncs', admin, jsonBody(MAX_CATALOG_FILE_BYTES), async (req, res) => {
    const request = parseBody(syncRequest, req.body);
    const started = await startCatalogSync(deps, request);
    await audit(res, 'catalog.sync', started.storeId, {
      syncId: started.syncId,
      dryRun: started.dryRun,
      source: request.source ?? (request.content !== undefined ? `inline ${request.format}` : null),
    });
    res.status(202).json(started);
  });

  router.get('/ops/v1/catalog/syncs/:syncId', viewer, async (req, res) => {
    res.json(await getCatalogSync(deps, req.params.syncId));
  });

  router.get('/ops/v1/catalog/syncs/:syncId/delta', viewer, async (req, res) => {
    const change = typeof req.query.change === 'string' ? req.query.change.toUpperCase() : undefined;
    const items = await getCatalogSyncDelta(deps.db, req.params.syncId, change);
    res.json({ syncId: req.params.syncId, items });
  });

  router.get('/ops/v1/catalog/stores/:storeId/syncs', viewer, async (req, res) => {
    const { storeId } = req.params;
    if (!(await findStore(deps.db, storeId))) throw new NotFound(`store ${storeId} does not exist`);
    res.json({ storeId, syncs: await listSyncs(deps.db, storeId, MAX_LISTED_SYNCS) });
  });

  router.post('/ops/v1/catalog/stores/:storeId/archive-list', admin, jsonBody(), async (req, res) => {
    const request = parseBody(archiveListRequest, req.body);
    const storeId = String(req.params.storeId);
    const items = await catalogArchiveList(deps.db, storeId, request.markArchived);
    if (request.markArchived) await audit(res, 'catalog.archive', storeId, { items: items.length });
    res.json({ storeId, items });
  });

  router.get('/ops/v1/catalog/stores/:storeId/sync-settings', viewer, async (req, res) => {
    res.json({ storeId: req.params.storeId, ...(await getSyncSettings(deps.db, String(req.params.storeId))) });
  });

  router.post('/ops/v1/catalog/stores/:storeId/sync-settings', admin, jsonBody(), async (req, res) => {
    const request = parseBody(syncSettingsRequest, req.body);
    const settings = await updateSyncSettings(deps.db, String(req.params.storeId), request);
    await audit(res, 'catalog.settings', String(req.params.storeId), { change: request });
    res.json({ storeId: req.params.storeId, ...settings });
  });

  router.post('/ops/v1/catalog/schedules', admin, jsonBody(), async (req, res) => {
    const request = parseBody(scheduleRequest, req.body);
    const schedule = await scheduleCatalogSync(deps, request);
    await audit(res, 'catalog.schedule', request.storeId, { source: request.source, cron: request.cron });
    res.status(201).json(schedule);
  });

  router.get('/ops/v1/catalog/schedules', viewer, async (_req, res) => {
    res.json({ schedules: await listCatalogSyncSchedules(deps) });
  });

  router.post('/ops/v1/catalog/schedules/:storeId/pause', admin, async (req, res) => {
    const paused = await pauseCatalogSyncSchedule(deps, req.params.storeId, true);
    await audit(res, 'catalog.schedule.pause', String(req.params.storeId));
    res.json(paused);
  });

  router.post('/ops/v1/catalog/schedules/:storeId/unpause', admin, async (req, res) => {
    const unpaused = await pauseCatalogSyncSchedule(deps, req.params.storeId, false);
    await audit(res, 'catalog.schedule.unpause', String(req.params.storeId));
    res.json(unpaused);
  });

  // A POST, like every operator action the CLI takes (its client speaks GET and POST).
  router.post('/ops/v1/catalog/schedules/:storeId/delete', admin, async (req, res) => {
    await deleteCatalogSyncSchedule(deps, req.params.storeId);
    await audit(res, 'catalog.schedule.delete', String(req.params.storeId));
    res.json({ storeId: req.params.storeId, deleted: true });
  });

  return router;
}
