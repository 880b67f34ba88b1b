/**
 * The endpoints the whole journey needs beyond the connectors themselves: the app's Scan Key page
 * and receipts, the store data the simulator reads, and the load test's record. Mounted after the
 * operator-key check on /ops, so the /ops routes here are protected by it.
 */
import { Router } from 'express';
import type { Database } from '../adapters/db/database';
import { appPageRouter } from './appPage/appPageRouter';
import { loadTestOpsRouter } from './ops/loadTestOps';
import { storeDataOpsRouter } from './ops/storeDataOps';

export function journeyRouter(deps: { db: Database }): Router {
  const router = Router();
  router.use(appPageRouter(deps), storeDataOpsRouter(deps), loadTestOpsRouter(deps));
  return router;
}
