import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Database } from '../adapters/db/database';

const within = <T>(ms: number, promise: Promise<T>) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);

/** /healthz: the process is up. /readyz: Temporal and the database answer, else 503 naming what does not. */
export function healthRouter(deps: { db: Database; temporal: Client; namespace: string }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([
      within(2000, deps.db.ping()),
      within(
        2000,
        deps.temporal.connection.withDeadline(Date.now() + 2000, () =>
          deps.temporal.connection.workflowService.describeNamespace({ namespace: deps.namespace }),
        ),
      ),
    ]);
    const [database, temporal] = checks.map((c) =>
      c.status === 'fulfilled' ? 'ok' : `unavailable: ${(c.reason as Error).message}`,
    );
    const ready = database === 'ok' && temporal === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', database, temporal });
  });
  return router;
}
