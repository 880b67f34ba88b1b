import { Router } from 'express';
import type { Logger } from '../../adapters/logger';
import { HttpError, toErrorResponse } from '../httpErrors';
import type { Metrics } from '../metrics';
import type { RateLimiter } from '../rateLimiter';
import { parseBody } from '../validation';
import { verifyIdentityKeysRequest } from './schema';
import { verifyIdentityKeys, type GateDeps } from './verifyIdentityKeys';

/** Resolves to 500 after ms: the gate then follows the store's default instead of waiting on us. */
function deadline(ms: number): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(500, `no decision within ${ms} ms; the gate follows the store default`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

export function identityKeysRouter(deps: GateDeps & { deadlineMs: number; limiter: RateLimiter; metrics: Metrics; logger: Logger }): Router {
  const router = Router();
  router.post('/v1/identity/identity-keys', async (req, res) => {
    const started = Date.now();
    const stopTimer = deps.metrics.gateLatency.startTimer();
    const body = req.body as Record<string, any> | undefined;
    const ids = { requestId: body?.requestId, authEventId: body?.authEvent?.id, storeId: body?.storeId };
    const timer = deadline(deps.deadlineMs);
    let status: number;
    let payload: unknown;
    let outcome: string;
    let visitorType: string | null = null;
    try {
      const request = parseBody(verifyIdentityKeysRequest, body);
      if (!deps.limiter.tryTake(request.storeId)) throw new HttpError(429, 'too many requests for this store');
      // The Temporal call gives up at the deadline too, so a request answered 500 leaves no call behind.
      const deadlineAt = started + deps.deadlineMs;
      const answer = await Promise.race([deps.temporal.connection.withDeadline(deadlineAt, () => verifyIdentityKeys(deps, request)), timer.promise]);
      ({ status, body: payload, outcome, visitorType } = answer);
    } catch (err) {
      const mapped = toErrorResponse(err);
      ({ status, body: payload } = mapped);
      outcome = status === 400 ? 'INVALID_REQUEST' : status === 429 ? 'RATE_LIMITED' : 'ERROR';
      if (status >= 500) deps.logger.error('gate decision failed', { ...ids, error: (err as Error).message });
    } finally {
      timer.cancel();
    }
    res.status(status).json(payload);
    stopTimer();
    deps.metrics.gateDecisions.inc({ status: String(status), outcome, visitor_type: visitorType ?? 'none' });
    deps.logger.info('gate decision', { ...ids, status, outcome, visitorType });
  });
  return router;
}
