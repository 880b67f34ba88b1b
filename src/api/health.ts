import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Database } from '../adapters/db/database';
import type { Logger } from '../adapters/logger';

const TIMEOUT = 'no answer within';

const within = <T>(ms: number, promise: Promise<T>) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${TIMEOUT} ${ms} ms`)), ms).unref()),
  ]);

/**
 * /healthz: the process is up. /readyz: Temporal and the database answer, else 503 naming which
 * does not ("unavailable" or "timeout"; the error itself, which can carry hosts and user names, is
 * logged, never answered). Both say whether this is the demo (`demoMode`), which is how `jwo`
 * decides whether it may fall back to the demo operator key.
 */
export function healthRouter(deps: {
  db: Database;
  temporal: Client;
  namespace: string;
  demoMode: boolean;
  logger?: Logger;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', demoMode: deps.demoMode });
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
    const [database, temporal] = checks.map((c, i) => {
      if (c.status === 'fulfilled') return 'ok';
      const message = String((c.reason as Error)?.message ?? c.reason);
      deps.logger?.warn('not ready', { dependency: i === 0 ? 'database' : 'temporal', error: message });
      return message.startsWith(TIMEOUT) ? 'timeout' : 'unavailable';
    });
    const ready = database === 'ok' && temporal === 'ok';
    const down = [database === 'ok' ? null : 'database', temporal === 'ok' ? null : 'temporal'].filter(Boolean);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      ...(down.length ? { down } : {}),
      database,
      temporal,
      demoMode: deps.demoMode,
    });
  });
  return router;
}
