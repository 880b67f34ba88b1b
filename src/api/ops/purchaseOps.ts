/**
 * Operator endpoints for purchases, bad carts and debts (header x-operator-key):
 *   GET  /v1/purchases/:purchaseId                 the purchase and its itemized receipt
 *   GET  /ops/v1/purchases?status=&store=&since=   list
 *   GET  /ops/v1/purchases/:tripOrPurchaseId       one, with payment ledger entries and workflow address
 *   GET  /ops/v1/badcarts?status=OPEN|RESOLVED
 *   POST /ops/v1/badcarts/:tripId/resolve          { decision: CHARGE_KNOWN|WRITE_OFF|CORRECT, operator, corrections? }
 *   POST /ops/v1/purchases/:tripId/replay         { operator }: re-run a failed purchase (never charges twice)
 *   POST /ops/v1/shoppers/:shopperId/settle        marks the shopper's debts paid (the gate lets them in again)
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Database } from '../../adapters/db/database';
import { findPurchase, listBadCarts, listPurchases, settleDebts } from '../../adapters/purchases/purchaseStore';
import { purchaseWorkflowId } from '../../shared/workflowIds';
import { InvalidRequest, NotFound } from '../../application/errors';
import { replayPurchase } from '../../application/replayPurchase';
import { resolveBadCart } from '../../application/resolveBadCart';
import type { PurchaseInput } from '../../shared/purchaseMessages';
import { isoTimestamp, jsonBody, parseBody, parseInput, storableParam, string, text } from '../validation';

export const resolveRequest = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('CHARGE_KNOWN'), operator: text(255), note: string().max(1000).optional() }),
  z.object({ decision: z.literal('WRITE_OFF'), operator: text(255), note: string().max(1000).optional() }),
  z.object({
    decision: z.literal('CORRECT'),
    operator: text(255),
    note: string().max(1000).optional(),
    corrections: z.array(z.object({ lineId: text(255), sku: text(255) })).min(1, 'must correct at least one line'),
  }),
]);

export const listQuery = z.object({
  status: string()
    .regex(/^[A-Z_]+$/, 'must be a purchase status such as FAILED or BAD_CART')
    .optional(),
  store: text(255).optional(),
  since: isoTimestamp().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export interface PurchaseOpsDeps {
  /** The operator credential check, on every route of this router. */
  auth: RequestHandler;
  db: Database;
  temporal: Client;
  temporalUiUrl: string | null;
  namespace: string;
  taskQueue: string;
  badCartDeadlineMs: number;
  badCartDefault: PurchaseInput['badCartDefault'];
}

export const replayRequest = z.object({ operator: text(255) });

export function purchaseOpsRouter(deps: PurchaseOpsDeps): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  // Bodies are read after it; path ids are checked before they reach SQL or Temporal.
  router.use(['/v1/purchases', '/ops/v1/purchases', '/ops/v1/badcarts', '/ops/v1/shoppers'], deps.auth, jsonBody());
  for (const name of ['purchaseId', 'id', 'tripId', 'shopperId']) router.param(name, storableParam);
  const { db } = deps;

  const detailed = async (id: string) => {
    const purchase = await findPurchase(db, id);
    if (!purchase) throw new NotFound(`no purchase with trip id or purchase id ${id}`);
    const ledger = await db.query(
      'SELECT idempotency_key, operation, outcome, authorization_id, amount_minor, currency, decline_reason, created_at FROM payment_ledger WHERE trip_id = $1 ORDER BY entry_id',
      [purchase.tripId],
    );
    const workflowId = purchaseWorkflowId(purchase.tripId);
    return {
      ...purchase,
      ledger,
      workflowId,
      workflowUrl: deps.temporalUiUrl
        ? `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${encodeURIComponent(workflowId)}`
        : null,
    };
  };

  router.get('/v1/purchases/:purchaseId', async (req, res) => {
    res.json(await detailed(req.params.purchaseId));
  });
  router.get('/ops/v1/purchases', async (req, res) => {
    const query = parseInput(listQuery, req.query);
    res.json(
      await listPurchases(db, {
        status: query.status,
        storeId: query.store,
        since: query.since ? new Date(query.since) : undefined,
        limit: query.limit,
      }),
    );
  });
  router.get('/ops/v1/purchases/:id', async (req, res) => {
    res.json(await detailed(req.params.id));
  });
  router.get('/ops/v1/badcarts', async (req, res) => {
    const status = req.query.status === undefined ? 'OPEN' : String(req.query.status);
    if (!['OPEN', 'RESOLVED', 'ALL'].includes(status))
      throw new InvalidRequest([{ field: 'status', reason: 'must be OPEN, RESOLVED or ALL' }]);
    res.json(await listBadCarts(db, status === 'ALL' ? null : (status as 'OPEN' | 'RESOLVED')));
  });
  router.post('/ops/v1/badcarts/:tripId/resolve', async (req, res) => {
    const decision = parseBody(resolveRequest, req.body);
    res.json(await resolveBadCart(deps.temporal, req.params.tripId, decision));
  });
  router.post('/ops/v1/purchases/:tripId/replay', async (req, res) => {
    const { operator } = parseBody(replayRequest, req.body);
    res.status(202).json(await replayPurchase(deps, req.params.tripId, operator));
  });
  router.post('/ops/v1/shoppers/:shopperId/settle', async (req, res) => {
    res.json({ shopperId: req.params.shopperId, settled: await settleDebts(db, req.params.shopperId) });
  });
  return router;
}
