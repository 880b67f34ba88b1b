/**
 * The retailer's app backend, the part this product needs: a signed-in shopper asks for a Scan
 * Key Code to show at the gate. Shoppers authenticate with their app bearer token.
 */
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import type { Database } from '../adapters/db/database';
import { findShopperByAppToken, findStore, type Shopper } from '../adapters/identity/identityStore';
import { UnknownStore } from '../application/errors';
import { issueScanKeyFor, purgeAfterIssue } from '../application/issueScanKey';
import type { ScanKeySettings } from '../domain/scanKey';
import { HttpError } from './httpErrors';

/** The demo shoppers' app tokens (`demo-alice`, …) are published in the repository: demo mode only. */
export const DEMO_APP_TOKEN_PREFIX = 'demo-';

export async function signedInShopper(db: Database, req: Request, mode: { demoMode: boolean }): Promise<Shopper> {
  const token = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1];
  if (!token) throw new HttpError(401, 'sign in first: send Authorization: Bearer <app token>');
  if (!mode.demoMode && token.startsWith(DEMO_APP_TOKEN_PREFIX))
    throw new HttpError(401, 'demo app tokens sign in only in demo mode (DEMO_MODE=true)');
  const shopper = await findShopperByAppToken(db, token);
  if (!shopper) throw new HttpError(401, 'unknown app token');
  return shopper;
}

export function appBackendRouter(deps: { db: Database; scanKeys: ScanKeySettings; demoMode: boolean }): Router {
  const router = Router();
  router.get('/app/v1/me', async (req, res) => {
    const shopper = await signedInShopper(deps.db, req, deps);
    res.json({ id: shopper.shopperId, name: shopper.displayName, type: shopper.visitorType });
  });
  router.post('/app/v1/scan-keys', async (req, res) => {
    const shopper = await signedInShopper(deps.db, req, deps);
    // ?store=<id>: a code for a store with its own Customer Prefix (an unknown store is a 400 naming it).
    const storeId = typeof req.query.store === 'string' ? req.query.store : undefined;
    const store = storeId === undefined ? null : await findStore(deps.db, storeId);
    if (storeId !== undefined && !store) throw new UnknownStore(storeId);
    const settings = store?.scanKeyPrefix ? { ...deps.scanKeys, prefix: store.scanKeyPrefix } : deps.scanKeys;
    const issued = await issueScanKeyFor(deps.db, settings, shopper.shopperId);
    await purgeAfterIssue(deps.db);
    // QR alphanumeric mode fits the code (upper-case letters and digits) in a small symbol.
    const qrSvg = await QRCode.toString(issued.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.status(201).json({ code: issued.code, qrSvg, issuedAt: issued.issuedAt, expiresAt: issued.expiresAt });
  });
  return router;
}
