/**
 * The demo's own endpoints, mounted only by the all-in-one (`npm start`) and the test stacks: the
 * retailer app's Scan Key page and receipts, and the store data the simulator reads. createApp
 * passes the operator key check (`auth`) for the /ops routes here, and the app's shopper session
 * check for the receipts.
 */
import { Router, type RequestHandler } from 'express';
import type { Database } from '../../adapters/db/database';
import type { ShopperSession } from '../../api/appBackend';
import { appPageRouter } from './appPage/appPageRouter';
import { storeDataOpsRouter } from './storeDataOps';

export function demoRouter(deps: { db: Database; auth: RequestHandler; shopperSession: ShopperSession }): Router {
  const router = Router();
  router.use(appPageRouter(deps), storeDataOpsRouter(deps));
  return router;
}
