/**
 * The operator API (header x-operator-key): what `jwo` commands and on-call engineers use.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../../adapters/db/database';
import { issueScanKeyFor, PreValidationError } from '../../application/issueScanKey';
import type { ScanKeySettings } from '../../domain/scanKey';
import { HttpError } from '../httpErrors';
import { isoTimestamp, parseBody, text } from '../validation';

const issueScanKeyRequest = z.object({ shopperId: text(255), at: isoTimestamp().optional() });

export function opsRouter(deps: { db: Database; scanKeys: ScanKeySettings }): Router {
  const router = Router();
  router.post('/ops/v1/scan-keys', async (req, res) => {
    const request = parseBody(issueScanKeyRequest, req.body);
    try {
      const issued = await issueScanKeyFor(deps.db, deps.scanKeys, request.shopperId, request.at ? new Date(request.at) : new Date());
      res.status(201).json({ ...issued, identityKey: Buffer.from(issued.code).toString('base64') });
    } catch (err) {
      if (err instanceof PreValidationError) throw new HttpError(err.reason === 'UNKNOWN_SHOPPER' ? 404 : 409, err.message);
      throw err;
    }
  });
  return router;
}
