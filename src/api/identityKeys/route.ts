/** POST /v1/identity/identity-keys (Identity Connector): the gate's decision, within GATE_DEADLINE_MS. */
import type { Router, RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from '../../adapters/logger';
import { amazonEndpoint } from '../amazonEndpoint';
import { HttpError } from '../httpErrors';
import type { Metrics } from '../metrics';
import type { RateLimiter } from '../rateLimiter';
import { parseBody } from '../validation';
import { verifyIdentityKeysRequest } from './schema';
import { recordedGateAnswer, verifyIdentityKeys, type GateDeps } from './verifyIdentityKeys';
import { UnknownStore } from '../../application/errors';

export interface IdentityKeysRouteDeps extends GateDeps {
  auth: RequestHandler;
  temporal: Client;
  deadlineMs: number;
  limiter: RateLimiter;
  metrics: Metrics;
  logger: Logger;
}

export function identityKeysRouter(deps: IdentityKeysRouteDeps): Router {
  return amazonEndpoint({
    path: '/v1/identity/identity-keys',
    auth: deps.auth,
    deadlineMs: deps.deadlineMs,
    deadlineMessage: `no decision within ${deps.deadlineMs} ms; the gate follows the store default`,
    temporal: deps.temporal,
    logger: deps.logger,
    logName: 'gate decision',
    ids: (body) => ({ requestId: body?.requestId, authEventId: body?.authEvent?.id, storeId: body?.storeId }),
    async handle(body) {
      const request = parseBody(verifyIdentityKeysRequest, body);
      // Only a store this retailer serves takes a bucket: made-up store ids cannot grow the limiter.
      if (!(await deps.findStore(request.storeId))) throw new UnknownStore(request.storeId);
      if (!deps.limiter.tryTake(request.storeId)) {
        // A retry of a decision already made gets that decision, never a 429 (Amazon retries on errors).
        const recorded = await recordedGateAnswer(deps, request);
        if (recorded) return recorded;
        throw new HttpError(429, 'too many requests for this store');
      }
      return verifyIdentityKeys(deps, request);
    },
    observe(status, outcome, answer, seconds) {
      deps.metrics.gateLatency.observe(seconds);
      const visitorType = answer?.visitorType ?? 'none';
      deps.metrics.gateDecisions.inc({ status: String(status), outcome, visitor_type: visitorType });
    },
  });
}
