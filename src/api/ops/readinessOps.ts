/**
 * GET /ops/v1/readiness: what the live readiness checklist (`jwo checklist --live`) cannot see over
 * plain HTTP: Temporal's registered search attributes, each store's catalog and its last upload,
 * the last load test's gate p99, and secrets still at their demo values.
 */
import { Router, type RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import type { Database } from '../../adapters/db/database';
import { latestLoadTestRun } from '../../adapters/loadTests/loadTestRuns';
import { secretsAtDemoValues, type Config } from '../../config';
import { READINESS_PATH, type ReadinessReport } from './readinessReport';
import { requireRole } from '../operatorAuth';

/** Our upload statuses in Amazon's words: a COMPLETED upload is one whose every ingestion is DONE. */
const AS_AMAZON_STATUS: Record<string, string> = { COMPLETED: 'DONE' };

async function temporalState(temporal: Client, namespace: string): Promise<ReadinessReport['temporal']> {
  try {
    const { customAttributes } = await temporal.connection.operatorService.listSearchAttributes({ namespace });
    return { reachable: true, searchAttributes: Object.keys(customAttributes ?? {}).sort() };
  } catch {
    return { reachable: false, searchAttributes: [] };
  }
}

export function readinessRouter(deps: {
  db: Database;
  temporal: Client;
  config: Config;
  auth: RequestHandler;
}): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  router.use(READINESS_PATH, deps.auth);
  router.get(READINESS_PATH, requireRole('viewer'), async (_req, res) => {
    const [temporal, stores, lastRun] = await Promise.all([
      temporalState(deps.temporal, deps.config.TEMPORAL_NAMESPACE),
      deps.db.query<{ store_id: string; items: number; status: string | null; finished_at: Date | null }>(
        `SELECT s.store_id,
                (SELECT count(*)::int FROM catalog_items i WHERE i.store_id = s.store_id) AS items,
                u.status, u.finished_at
           FROM stores s
           LEFT JOIN LATERAL (SELECT status, finished_at FROM catalog_uploads WHERE store_id = s.store_id ORDER BY created_at DESC LIMIT 1) u ON true
          ORDER BY s.store_id`,
      ),
      latestLoadTestRun(deps.db),
    ]);
    const report: ReadinessReport = {
      temporal,
      stores: stores.map((s) => ({
        storeId: s.store_id,
        catalogItems: s.items,
        lastCatalogUpload: {
          status: s.status === null ? null : (AS_AMAZON_STATUS[s.status] ?? s.status),
          finishedAt: s.finished_at?.toISOString() ?? null,
        },
      })),
      lastLoadTest: lastRun ? { gateP99Ms: lastRun.gateP99Ms, at: lastRun.recordedAt.toISOString() } : null,
      secretsAtDemoValues: secretsAtDemoValues(deps.config),
    };
    res.json(report);
  });
  return router;
}
