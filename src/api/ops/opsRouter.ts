/**
 * The operator API (x-operator-key or an identity-provider token): what `jwo` commands and on-call
 * engineers use. Minting a Scan Key Code for any shopper is demo-only: in a real store shoppers get
 * their codes from the app (POST /app/v1/scan-keys), never from an operator.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Database } from '../../adapters/db/database';
import { issueScanKeyAsOperator } from '../../application/issueScanKey';
import { Forbidden } from '../../application/errors';
import type { ScanKeySettings } from '../../domain/scanKey';
import { auditActor, requireRole } from '../operatorAuth';
import { isoTimestamp, jsonBody, parseBody, text } from '../validation';

export const issueScanKeyRequest = z.object({ shopperId: text(255), at: isoTimestamp().optional() });

export function opsRouter(deps: {
  db: Database;
  scanKeys: ScanKeySettings;
  auth: RequestHandler;
  demoMode: boolean;
}): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  router.use('/ops/v1/scan-keys', deps.auth, jsonBody());
  router.post('/ops/v1/scan-keys', requireRole('admin'), async (req, res) => {
    if (!deps.demoMode)
      throw new Forbidden(
        'operators mint Scan Key Codes in demo mode only (DEMO_MODE=true): shoppers get theirs from the app',
      );
    const request = parseBody(issueScanKeyRequest, req.body);
    const issued = await issueScanKeyAsOperator(
      deps.db,
      deps.scanKeys,
      request.shopperId,
      auditActor(res),
      request.at ? new Date(request.at) : new Date(),
    );
    res.status(201).json({ ...issued, identityKey: Buffer.from(issued.code).toString('base64') });
  });
  return router;
}
