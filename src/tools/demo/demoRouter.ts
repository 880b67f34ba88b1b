/**
 * The demo's own endpoints, mounted only by the all-in-one (`npm start`) and the test stacks: the
 * retailer app's Scan Key page and receipts, and the store data the simulator reads. createApp
 * mounts them after the operator-key check on /ops, so the /ops routes here are protected by it.
 */
import { Router } from 'express';
import type { Database } from '../../adapters/db/database';
import { appPageRouter } from './appPage/appPageRouter';
import { storeDataOpsRouter } from './storeDataOps';

export function demoRouter(deps: { db: Database }): Router {
  const router = Router();
  router.use(appPageRouter(deps), storeDataOpsRouter(deps));
  return router;
}
