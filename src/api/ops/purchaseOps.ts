/**
 * Operator endpoints for purchases, bad carts and debts (operator credential; role per route):
 *   GET  /v1/purchases/:purchaseId                 viewer    the purchase and its itemized receipt
 *   GET  /ops/v1/purchases?status=&store=&since=   viewer    list
 *   GET  /ops/v1/purchases/:tripOrPurchaseId       viewer    one, with payment ledger entries and workflow address
 *   GET  /ops/v1/badcarts?status=OPEN|RESOLVED     viewer
 *   POST /ops/v1/badcarts/:tripId/resolve          operator  { decision: CHARGE_KNOWN|WRITE_OFF|CORRECT, note?, corrections? }
 *   POST /ops/v1/purchases/:tripId/replay          operator  re-run a FAILED purchase (never charges twice); { force, reason } overrides
 *   POST /ops/v1/shoppers/:shopperId/settle        operator  marks the shopper's debts paid (the gate lets them in again)
 * The acting operator is the credential's: an `operator` field in a body is ignored (older clients send one).
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Database } from '../../adapters/db/database';
import { findPurchase, listBadCarts, listPurchases } from '../../adapters/purchases/purchaseStore';
import { ledgerEntriesOfTrip } from '../../adapters/payments/ledger';
import { purchaseWorkflowId } from '../../shared/workflowIds';
import { InvalidRequest, NotFound } from '../../application/errors';
import { replayPurchase } from '../../application/replayPurchase';
import { resolveBadCart } from '../../application/resolveBadCart';
import { settleShopperDebts } from '../../application/settleShopperDebts';
import { auditActor, requireRole } from '../operatorAuth';
import type { StoreDefaults } from '../../domain/storeSettings';
import { isoTimestamp, jsonBody, parseBody, parseInput, storableParam, string, text } from '../validation';

/** Deprecated and ignored: the acting operator is the credential's. Accepted so older `jwo` versions keep working. */
const ignoredOperator = text(255)
  .optional()
  .describe('Deprecated and ignored: the decision is recorded under the name of the credential.');

export const resolveRequest = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('CHARGE_KNOWN'), operator: ignoredOperator, note: string().max(1000).optional() }),
  z.object({ decision: z.literal('WRITE_OFF'), operator: ignoredOperator, note: string().max(1000).optional() }),
  z.object({
    decision: z.literal('CORRECT'),
    operator: ignoredOperator,
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
  /** The deployment's bad-cart settings (a replay takes the store's own first). */
  storeDefaults: StoreDefaults;
}

export const replayRequest = z
  .object({
    operator: ignoredOperator,
    force: z
      .boolean()
      .optional()
      .describe(
        'Replay although the purchase is not recorded as FAILED, or Temporal could not say whether it still runs. Needs a reason; recorded in the audit log.',
      ),
    reason: text(1000).optional().describe('Why the replay is forced (required with force).'),
  })
  .refine((r) => !r.force || r.reason !== undefined, { path: ['reason'], message: 'is required with force' });

export function purchaseOpsRouter(deps: PurchaseOpsDeps): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  // Bodies are read after it and after the route's role; path ids are checked before they reach SQL or Temporal.
  router.use(['/v1/purchases', '/ops/v1/purchases', '/ops/v1/badcarts', '/ops/v1/shoppers'], deps.auth);
  const operatorWithBody = [requireRole('operator'), jsonBody() as RequestHandler<any>];
  for (const name of ['purchaseId', 'id', 'tripId', 'shopperId']) router.param(name, storableParam);
  const { db } = deps;

  const detailed = async (id: string) => {
    const purchase = await findPurchase(db, id);
    if (!purchase) throw new NotFound(`no purchase with trip id or purchase id ${id}`);
    const ledger = (await ledgerEntriesOfTrip(db, purchase.tripId)).map((e) => ({
      idempotency_key: e.idempotencyKey,
      operation: e.operation,
      outcome: e.outcome,
      authorization_id: e.authorizationId,
      amount_minor: e.amountMinor,
      currency: e.currency,
      decline_code: e.declineCode,
      decline_reason: e.declineReason,
      created_at: e.createdAt,
    }));
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

  router.get('/v1/purchases/:purchaseId', requireRole('viewer'), async (req, res) => {
    res.json(await detailed(req.params.purchaseId));
  });
  router.get('/ops/v1/purchases', requireRole('viewer'), async (req, res) => {
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
  router.get('/ops/v1/purchases/:id', requireRole('viewer'), async (req, res) => {
    res.json(await detailed(req.params.id));
  });
  router.get('/ops/v1/badcarts', requireRole('viewer'), async (req, res) => {
    const status = req.query.status === undefined ? 'OPEN' : String(req.query.status);
    if (!['OPEN', 'RESOLVED', 'ALL'].includes(status))
      throw new InvalidRequest([{ field: 'status', reason: 'must be OPEN, RESOLVED or ALL' }]);
    res.json(await listBadCarts(db, status === 'ALL' ? null : (status as 'OPEN' | 'RESOLVED')));
  });
  router.post('/ops/v1/badcarts/:tripId/resolve', ...operatorWithBody, async (req, res) => {
    const { operator: _ignored, ...decision } = parseBody(resolveRequest, req.body);
    res.json(await resolveBadCart(deps, req.params.tripId, decision, auditActor(res)));
  });
  router.post('/ops/v1/purchases/:tripId/replay', ...operatorWithBody, async (req, res) => {
    // No body is needed (older clients send { operator }, which is checked, then ignored).
    const body: unknown = req.body;
    const { force, reason } =
      body && typeof body === 'object' && Object.keys(body).length ? parseBody(replayRequest, body) : {};
    res.status(202).json(await replayPurchase(deps, req.params.tripId, auditActor(res), { force, reason }));
  });
  router.post('/ops/v1/shoppers/:shopperId/settle', ...operatorWithBody, async (req, res) => {
    const settled = await settleShopperDebts(db, req.params.shopperId, auditActor(res));
    res.json({ shopperId: req.params.shopperId, settled });
  });
  return router;
}
