/**
 * Operator endpoints of the catalog (header x-operator-key, under /ops): import a catalog file,
 * start an upload to Amazon, follow its progress, read its per-item report. `jwo catalog …`
 * commands call these.
 */
import express, { Router, type RequestHandler } from 'express';
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
import { parseBody, text } from '../validation';
import { startCatalogUpload, type CatalogUploadDeps } from '../../application/startCatalogUpload';

export const CATALOG_IMPORT_PATH = '/ops/v1/catalog/imports';
/** A catalog file is far larger than any Amazon request: 100,000 rows are about 10 MB. */
const MAX_CATALOG_FILE_BYTES = '64mb';
export const ITEM_STATUSES: ItemStatus[] = ['PENDING', 'SUCCESS', 'FAILED', 'INVALID', 'UNKNOWN'];

export const importRequest = z.object({ storeId: text(255), format: z.enum(['csv', 'json']), content: z.string() });
export const uploadRequest = z.object({ storeId: text(255), retryFailedOf: text(255).optional() });

/**
 * Reads the body of catalog imports with a limit fit for catalog files. Mounted before the app's
 * own JSON parser (which then leaves the request alone); operators are authenticated before the
 * body is read, so nobody else can make the server read a large body.
 */
export function catalogImportBody(auth: RequestHandler): Router {
  const router = Router();
  router.post(CATALOG_IMPORT_PATH, auth, express.json({ limit: MAX_CATALOG_FILE_BYTES, type: () => true }));
  return router;
}

export function catalogOpsRouter(
  deps: CatalogUploadDeps & { db: Database; temporal: Client; auth: RequestHandler },
): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  router.use('/ops/v1/catalog', deps.auth);

  router.post(CATALOG_IMPORT_PATH, async (req, res) => {
    const request = parseBody(importRequest, req.body);
    if (!(await findStore(deps.db, request.storeId))) throw new NotFound(`store ${request.storeId} does not exist`);
    const parsed = parseCatalogFile(request.content, request.format, request.storeId);
    await upsertCatalogItems(deps.db, request.storeId, parsed.items);
    res.status(200).json({ storeId: request.storeId, imported: parsed.items.length, rejected: parsed.rejected });
  });

  router.post('/ops/v1/catalog/uploads', async (req, res) => {
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

  return router;
}
