/**
 * The app's Scan Key page and the one app-backend call only it needs:
 *   GET /app                 the page (with /app/app.js and /app/app.css)
 *   GET /app/v1/receipts     the signed-in shopper's past trips with their receipts (Bearer session token)
 */
import { Router } from 'express';
import type { Database } from '../../../adapters/db/database';
import { receiptsOfShopper } from '../../../adapters/purchases/shopperReceipts';
import type { ShopperSession } from '../../../api/appBackend';
import { APP_CSS, APP_HTML, APP_JS } from './page';

/** The page loads only its own script and style; the QR is inline SVG from our own backend. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function appPageRouter(deps: { db: Database; shopperSession: ShopperSession }): Router {
  const router = Router();
  router.use('/app', (_req, res, next) => {
    res.set({ 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' });
    next();
  });
  router.get('/app', (_req, res) => {
    res.type('html').send(APP_HTML);
  });
  router.get('/app/app.js', (_req, res) => {
    res.type('text/javascript').send(APP_JS);
  });
  router.get('/app/app.css', (_req, res) => {
    res.type('text/css').send(APP_CSS);
  });
  router.get('/app/v1/receipts', async (req, res) => {
    const shopper = await deps.shopperSession(req);
    res.json({ shopperId: shopper.shopperId, receipts: await receiptsOfShopper(deps.db, shopper.shopperId) });
  });
  return router;
}
