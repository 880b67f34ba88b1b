/**
 * The operator API (header x-operator-key): what `jwo` commands and on-call engineers use.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Database } from '../../adapters/db/database';
import { issueScanKeyFor } from '../../application/issueScanKey';
import type { ScanKeySettings } from '../../domain/scanKey';
import { isoTimestamp, jsonBody, parseBody, text } from '../validation';

export const issueScanKeyRequest = z.object({ shopperId: text(255), at: isoTimestamp().optional() });

export function opsRouter(deps: { db: Database; scanKeys: ScanKeySettings; auth: RequestHandler }): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  router.use('/ops/v1/scan-keys', deps.auth, jsonBody());
  router.post('/ops/v1/scan-keys', async (req, res) => {
    const request = parseBody(issueScanKeyRequest, req.body);
    const issued = await issueScanKeyFor(
      deps.db,
      deps.scanKeys,
      request.shopperId,
      request.at ? new Date(request.at) : new Date(),
    );
    res.status(201).json({ ...issued, identityKey: Buffer.from(issued.code).toString('base64') });
  });
  return router;
}
