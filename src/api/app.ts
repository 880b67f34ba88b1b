/**
 * createApp(deps) builds the Express app from injected dependencies; server.ts only listens.
 * Amazon-facing routes: /v1/identity/identity-keys, /v1/order/purchases (caller key).
 */
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Config } from '../config';
import type { Database } from '../adapters/db/database';
import { findStore, type Store } from '../adapters/identity/identityStore';
import type { Logger } from '../adapters/logger';
import { parseMacKeys } from '../domain/scanKey';
import { durationMs } from '../config';
import { appBackendRouter } from './appBackend';
import { loadTestOpsRouter } from './ops/loadTestOps';
import { opsRouter } from './ops/opsRouter';
import { catalogOpsRouter } from './catalog/catalogOpsRouter';
import { purchaseOpsRouter } from './ops/purchaseOps';
import { readinessRouter } from './ops/readinessOps';
import { requireApiKey } from './callerAuth';
import { healthRouter } from './health';
import { openApiRouter } from './openapi';
import { codecRouter } from './codecRouter';
import { temporalCodecs } from '../adapters/temporal/connection';
import { toErrorResponse } from './httpErrors';
import { identityKeysRouter } from './identityKeys/route';
import { purchasesRouter } from './purchases/route';
import { createMetrics, type Metrics } from './metrics';
import { RateLimiter } from './rateLimiter';

export interface AppDeps {
  config: Config;
  db: Database;
  temporal: Client;
  logger: Logger;
  metrics?: Metrics;
  /** For links to workflows in operator answers. */
  temporalUiUrl?: string | null;
  /** The demo's own routes (app page, simulator store data): only the all-in-one passes them. */
  demoRoutes?: (operatorAuth: RequestHandler) => Router;
}

/** Stores change rarely and every gate scan needs one: cache them briefly. */
function cachedStoreLookup(db: Database, ttlMs = 30_000): (storeId: string) => Promise<Store | null> {
  const cache = new Map<string, { store: Store | null; at: number }>();
  return async (storeId) => {
    const hit = cache.get(storeId);
    if (hit && Date.now() - hit.at < ttlMs && hit.store) return hit.store;
    const store = await findStore(db, storeId);
    cache.set(storeId, { store, at: Date.now() });
    return store;
  };
}

export function createApp(deps: AppDeps) {
  const { config, db, temporal, logger } = deps;
  const metrics = deps.metrics ?? createMetrics(db);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  const operatorAuth = requireApiKey('x-operator-key', config.OPERATOR_API_KEYS);
  // No body parser here: each router reads its JSON body after its own authentication (jsonBody in
  // validation.ts), so an unauthenticated request is a 401 whatever its body.

  const amazonAuth = (endpoint: string) =>
    requireApiKey(config.CONNECTOR_AUTH_HEADER, config.CONNECTOR_API_KEYS, (reason) => {
      metrics.callerAuthFailures.inc({ endpoint, reason });
      logger.warn('caller authentication failed', { endpoint, reason });
    });

  app.use(healthRouter({ db, temporal, namespace: config.TEMPORAL_NAMESPACE }));
  app.use(openApiRouter({ connectorAuthHeader: config.CONNECTOR_AUTH_HEADER }));
  const codecs = temporalCodecs(config);
  if (codecs.length) app.use(codecRouter({ codecs, auth: operatorAuth, allowedOrigins: config.TEMPORAL_UI_ORIGINS }));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const scanKeys = {
    prefix: config.SCAN_KEY_PREFIX,
    keys: parseMacKeys(config.SCAN_KEY_MAC_KEYS),
    windowSeconds: config.SCAN_KEY_WINDOW_SECONDS,
  };
  app.use(appBackendRouter({ db, scanKeys }));
  app.use(opsRouter({ db, scanKeys, auth: operatorAuth }));
  app.use(readinessRouter({ db, temporal, config, auth: operatorAuth }));
  app.use(
    catalogOpsRouter({
      db,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      chunkSize: config.CATALOG_CHUNK_SIZE,
      pollIntervalMs: durationMs(config.CATALOG_POLL_INTERVAL),
      auth: operatorAuth,
    }),
  );
  app.use(loadTestOpsRouter({ db, auth: operatorAuth }));
  if (deps.demoRoutes) app.use(deps.demoRoutes(operatorAuth));
  app.use(
    purchaseOpsRouter({
      db,
      temporal,
      temporalUiUrl: deps.temporalUiUrl ?? null,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      badCartDeadlineMs: durationMs(config.BAD_CART_DEADLINE),
      badCartDefault: config.BAD_CART_DEFAULT_DECISION,
      auth: operatorAuth,
    }),
  );

  const findStoreCached = cachedStoreLookup(db);
  app.use(
    identityKeysRouter({
      auth: amazonAuth('identity-keys'),
      db,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      scanKeys,
      preauthHorizonMs: durationMs(config.PREAUTH_HORIZON),
      startBudgetMs: config.TEMPORAL_START_BUDGET_MS,
      findStore: findStoreCached,
      deadlineMs: config.GATE_DEADLINE_MS,
      limiter: new RateLimiter(config.GATE_RATE_LIMIT_PER_STORE),
      metrics,
      logger,
    }),
  );

  app.use(
    purchasesRouter({
      auth: amazonAuth('purchases'),
      deadlineMs: config.PURCHASE_DEADLINE_MS,
      startBudgetMs: config.TEMPORAL_START_BUDGET_MS,
      db,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      badCartDeadlineMs: durationMs(config.BAD_CART_DEADLINE),
      badCartDefault: config.BAD_CART_DEFAULT_DECISION,
      findStore: findStoreCached,
      metrics,
      logger,
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ message: 'not found' });
  });
  const onError: ErrorRequestHandler = (err, req, res, _next) => {
    const { status, body } = toErrorResponse(err);
    if (status >= 500) logger.error('request failed', { path: req.path, error: (err as Error).message });
    res.status(status).json(body);
  };
  app.use(onError);
  return { app, metrics };
}
