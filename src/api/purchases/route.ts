import { Router } from 'express';
import type { Logger } from '../../adapters/logger';
import { toErrorResponse } from '../httpErrors';
import type { Metrics } from '../metrics';
import { parseBody } from '../validation';
import { createPurchase, type PurchaseDeps } from './createPurchase';
import { createPurchasesRequest } from './schema';

export function purchasesRouter(deps: PurchaseDeps & { metrics: Metrics; logger: Logger }): Router {
  const router = Router();
  router.post('/v1/order/purchases', async (req, res) => {
    const stopTimer = deps.metrics.purchaseLatency.startTimer();
    const body = req.body as Record<string, any> | undefined;
    const ids = { requestId: body?.requestId, tripId: body?.idempotentShoppingTripId, storeId: body?.storeId };
    let status: number;
    let payload: unknown;
    let outcome: string;
    try {
      const answer = await createPurchase(deps, parseBody(createPurchasesRequest, body));
      ({ status, body: payload, outcome } = answer);
    } catch (err) {
      ({ status, body: payload } = toErrorResponse(err));
      outcome = status === 400 ? 'INVALID_REQUEST' : status === 409 ? 'CONFLICT' : 'ERROR';
      if (status >= 500) deps.logger.error('purchase failed', { ...ids, error: (err as Error).message });
    }
    res.status(status).json(payload);
    stopTimer();
    deps.metrics.purchases.inc({ status: String(status), outcome });
    deps.logger.info('purchase request', { ...ids, status, outcome });
  });
  return router;
}
