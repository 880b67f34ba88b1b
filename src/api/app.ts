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
import { appBackendRouter, shopperSessionCheck, type ShopperSession } from './appBackend';
import { loadTestOpsRouter } from './ops/loadTestOps';
import { opsRouter } from './ops/opsRouter';
import { catalogOpsRouter } from './catalog/catalogOpsRouter';
import { purchaseOpsRouter } from './ops/purchaseOps';
import { readinessRouter } from './ops/readinessOps';
import { keyMatches, requireApiKey } from './callerAuth';
import { operatorAuthentication } from './operatorAuth';
import { auditOpsRouter } from './ops/auditOps';
import { paymentOpsRouter } from './ops/paymentOps';
import { createLedgeredPayments } from '../adapters/payments/ledger';
import { gatewayFromConfig, paymentMethodFlowFromConfig } from '../adapters/payments/fromConfig';
import { healthRouter } from './health';
import { storeAdminRouter } from './admin/storeAdminRouter';
import { APP_BACKEND_KEY_HEADER, enrollmentRouter } from './shoppers/enrollmentRouter';
import { DEMO_APP_BACKEND_KEY } from '../config';
import { openApiRouter } from './openapi';
import { codecRouter } from './codecRouter';
import { temporalCodecs } from '../adapters/temporal/connection';
import { HttpError, toErrorResponse } from './httpErrors';
import { identityKeysRouter } from './identityKeys/route';
import { purchasesRouter } from './purchases/route';
import { createMetrics, type Metrics } from './metrics';
import { RateLimiter } from './rateLimiter';
import { WorkflowStarter } from '../adapters/temporal/workflowOutbox';

export interface AppDeps {
  config: Config;
  db: Database;
  temporal: Client;
  logger: Logger;
  metrics?: Metrics;
  /** For links to workflows in operator answers. */
  temporalUiUrl?: string | null;
  /**
   * The demo's own routes (app page, simulator store data): only the all-in-one passes them, mounted
   * in DEMO_MODE only, with the operator credential check and the app's shopper session check.
   */
  demoRoutes?: (operatorAuth: RequestHandler, shopperSession: ShopperSession) => Router;
}

/**
 * Stores change rarely and every gate scan needs one: cache them briefly. Only stores that exist
 * are kept, so a flood of made-up store ids cannot grow the cache.
 */
function cachedStoreLookup(
  db: Database,
  ttlMs = STORE_CACHE_TTL_MS,
): ((storeId: string) => Promise<Store | null>) & { invalidate(storeId: string): void } {
  const cache = new Map<string, { store: Store; at: number }>();
  const lookup = async (storeId: string) => {
    const hit = cache.get(storeId);
    if (hit && Date.now() - hit.at < ttlMs) return hit.store;
    const store = await findStore(db, storeId);
    if (store) cache.set(storeId, { store, at: Date.now() });
    else cache.delete(storeId);
    return store;
  };
  // A change made through this replica's admin API is seen at once; other replicas see it within ttlMs.
  return Object.assign(lookup, { invalidate: (storeId: string) => void cache.delete(storeId) });
}

/** How long an API replica keeps a store's settings: the bound on a change made through another replica. */
export const STORE_CACHE_TTL_MS = 30_000;

/**
 * /metrics: with METRICS_TOKEN, only for `Authorization: Bearer <METRICS_TOKEN>`; without it, open
 * in demo mode and off (404) outside it, so a deployment never publishes its numbers by accident.
 */
function metricsAccess(config: Config): RequestHandler {
  const token = config.METRICS_TOKEN;
  return (req, _res, next) => {
    if (token === undefined) {
      if (config.DEMO_MODE) return next();
      return next(new HttpError(404, 'metrics are off: set METRICS_TOKEN and scrape with Authorization: Bearer <it>'));
    }
    const given = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1]?.trim();
    if (!given) return next(new HttpError(401, 'missing credentials: send Authorization: Bearer <METRICS_TOKEN>'));
    if (!keyMatches(given, [token])) return next(new HttpError(401, 'invalid credentials'));
    next();
  };
}

export function createApp(deps: AppDeps) {
  const { config, db, temporal, logger } = deps;
  const metrics = deps.metrics ?? createMetrics(db);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  // Who the operator is (a named key or an identity-provider token) and their role; each route then
  // declares the role it needs (requireRole in operatorAuth.ts).
  const operatorAuth = operatorAuthentication(config, (reason) =>
    logger.warn('operator authentication failed', { reason }),
  );
  // No body parser here: each router reads its JSON body after its own authentication (jsonBody in
  // validation.ts), so an unauthenticated request is a 401 whatever its body.

  const amazonAuth = (endpoint: string) =>
    requireApiKey(config.CONNECTOR_AUTH_HEADER, config.CONNECTOR_API_KEYS, (reason) => {
      metrics.callerAuthFailures.inc({ endpoint, reason });
      logger.warn('caller authentication failed', { endpoint, reason });
    });

  app.use(healthRouter({ db, temporal, namespace: config.TEMPORAL_NAMESPACE, demoMode: config.DEMO_MODE, logger }));
  app.use(openApiRouter({ connectorAuthHeader: config.CONNECTOR_AUTH_HEADER }));
  const codecs = temporalCodecs(config);
  if (codecs.length) app.use(codecRouter({ codecs, auth: operatorAuth, allowedOrigins: config.TEMPORAL_UI_ORIGINS }));
  app.get('/metrics', metricsAccess(config), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const scanKeys = {
    prefix: config.SCAN_KEY_PREFIX,
    keys: parseMacKeys(config.SCAN_KEY_MAC_KEYS),
    windowSeconds: config.SCAN_KEY_WINDOW_SECONDS,
  };
  const findStoreCached = cachedStoreLookup(db);
  // A store that is not live is answered at the gate as an unknown store is.
  const findLiveStore = async (storeId: string) => {
    const store = await findStoreCached(storeId);
    return store && store.live !== false ? store : null;
  };
  const storeDefaults = {
    badCartDeadlineMs: durationMs(config.BAD_CART_DEADLINE),
    badCartDefault: config.BAD_CART_DEFAULT_DECISION,
    scanKeyPrefix: config.SCAN_KEY_PREFIX,
  };
  // The app signs in for a short-lived session (APP_SESSION_SECRETS) and sends it on every other call.
  const shopperSession = shopperSessionCheck(db, config.APP_SESSION_SECRETS);
  app.use(
    appBackendRouter({
      db,
      scanKeys,
      demoMode: config.DEMO_MODE,
      sessions: { secrets: config.APP_SESSION_SECRETS, ttlSeconds: config.APP_SESSION_TTL_SECONDS },
      shopperSession,
      metrics,
      oidc:
        config.APP_OIDC_ISSUER && config.APP_OIDC_AUDIENCE
          ? {
              issuer: config.APP_OIDC_ISSUER,
              audience: config.APP_OIDC_AUDIENCE,
              jwksUrl: config.APP_OIDC_JWKS_URL,
              shopperClaim: config.APP_OIDC_SHOPPER_CLAIM,
            }
          : undefined,
    }),
  );
  const paymentMethodFlow = paymentMethodFlowFromConfig(config);
  // The retailer's app backend enrolls shoppers with its own key (APP_BACKEND_KEYS; the demo's in demo mode).
  app.use(
    enrollmentRouter({
      db,
      paymentMethods: paymentMethodFlow,
      auth: requireApiKey(
        APP_BACKEND_KEY_HEADER,
        config.APP_BACKEND_KEYS ?? (config.DEMO_MODE ? [DEMO_APP_BACKEND_KEY] : []),
        (reason) => logger.warn('app backend authentication failed', { reason }),
      ),
    }),
  );
  app.use(
    storeAdminRouter({
      db,
      auth: operatorAuth,
      paymentMethods: paymentMethodFlow,
      onStoreChanged: (id) => findStoreCached.invalidate(id),
    }),
  );
  app.use(opsRouter({ db, scanKeys, auth: operatorAuth, demoMode: config.DEMO_MODE }));
  app.use(auditOpsRouter({ db, auth: operatorAuth }));
  // Refunds go through the configured gateway and the ledger, like the worker's payments.
  app.use(
    paymentOpsRouter({ db, payments: createLedgeredPayments(db, gatewayFromConfig(config, db)), auth: operatorAuth }),
  );
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
  if (deps.demoRoutes && config.DEMO_MODE) app.use(deps.demoRoutes(operatorAuth, shopperSession));
  app.use(
    purchaseOpsRouter({
      db,
      temporal,
      temporalUiUrl: deps.temporalUiUrl ?? null,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      storeDefaults,
      auth: operatorAuth,
    }),
  );

  // One starter for both Amazon endpoints: it bounds the starts running in the background.
  const starter = new WorkflowStarter(db, temporal, {
    budgetMs: config.TEMPORAL_START_BUDGET_MS,
    onError: (err) => logger.warn('recording a workflow start failed', { error: (err as Error).message }),
  });
  app.use(
    identityKeysRouter({
      auth: amazonAuth('identity-keys'),
      db,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      scanKeys,
      preauthHorizonMs: durationMs(config.PREAUTH_HORIZON),
      starter,
      findStore: findLiveStore,
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
      starter,
      db,
      temporal,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      storeDefaults,
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
  return { app, metrics, starter };
}
