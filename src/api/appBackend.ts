/**
 * The retailer's app backend, the part this product needs: a signed-in shopper asks for a Scan
 * Key Code to show at the gate. Shoppers authenticate with their app bearer token.
 */
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import type { Database } from '../adapters/db/database';
import { findShopperByAppToken, type Shopper } from '../adapters/identity/identityStore';
import { issueScanKeyFor } from '../application/issueScanKey';
import type { ScanKeySettings } from '../domain/scanKey';
import { HttpError } from './httpErrors';

export async function signedInShopper(db: Database, req: Request): Promise<Shopper> {
  const token = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1];
  if (!token) throw new HttpError(401, 'sign in first: send Authorization: Bearer <app token>');
  const shopper = await findShopperByAppToken(db, token);
  if (!shopper) throw new HttpError(401, 'unknown app token');
  return shopper;
}

export function appBackendRouter(deps: { db: Database; scanKeys: ScanKeySettings }): Router {
  const router = Router();
  router.get('/app/v1/me', async (req, res) => {
    const shopper = await signedInShopper(deps.db, req);
    res.json({ id: shopper.shopperId, name: shopper.displayName, type: shopper.visitorType });
  });
  router.post('/app/v1/scan-keys', async (req, res) => {
    const shopper = await signedInShopper(deps.db, req);
    const issued = await issueScanKeyFor(deps.db, deps.scanKeys, shopper.shopperId);
    // QR alphanumeric mode fits the code (upper-case letters and digits) in a small symbol.
    const qrSvg = await QRCode.toString(issued.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.status(201).json({ code: issued.code, qrSvg, issuedAt: issued.issuedAt, expiresAt: issued.expiresAt });
  });
  return router;
}
