/** POST /v1/order/purchases (Ordering Connector): record the trip, answer its purchaseId, within PURCHASE_DEADLINE_MS. */
import type { Router, RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from '../../adapters/logger';
import { amazonEndpoint } from '../amazonEndpoint';
import type { Metrics } from '../metrics';
import { parseBody } from '../validation';
import { createPurchase, type PurchaseDeps } from './createPurchase';
import { createPurchasesRequest } from './schema';

export interface PurchasesRouteDeps extends PurchaseDeps {
  auth: RequestHandler;
  temporal: Client;
  deadlineMs: number;
  metrics: Metrics;
  logger: Logger;
}

export function purchasesRouter(deps: PurchasesRouteDeps): Router {
  return amazonEndpoint({
    path: '/v1/order/purchases',
    auth: deps.auth,
    deadlineMs: deps.deadlineMs,
    deadlineMessage: `no answer within ${deps.deadlineMs} ms; retry the same request`,
    temporal: deps.temporal,
    logger: deps.logger,
    logName: 'purchase request',
    ids: (body) => ({ requestId: body?.requestId, tripId: body?.idempotentShoppingTripId, storeId: body?.storeId }),
    handle: (body) => createPurchase(deps, parseBody(createPurchasesRequest, body)),
    observe(status, outcome, _answer, seconds) {
      deps.metrics.purchaseLatency.observe(seconds);
      deps.metrics.purchases.inc({ status: String(status), outcome });
    },
  });
}
