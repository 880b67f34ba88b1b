/**
 * Operator endpoints on money (operator credential; role per route):
 *   POST /ops/v1/purchases/:tripId/refunds  operator  { lines?: [{lineId, quantity}], amount?, reason, requestId? }
 *                                                     refund lines, an amount, or (neither) the whole purchase
 *   GET  /ops/v1/ledger/audit?store=&since=&graceMinutes=   viewer   the ledger audit
 * Refunds are idempotent (the same request refunds once: application/refundPurchase.ts) and
 * recorded in the audit log under the credential's name.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Database } from '../../adapters/db/database';
import type { Payments } from '../../adapters/payments/ledger';
import { refundPurchase } from '../../application/refundPurchase';
import { auditLedger } from '../../application/auditLedger';
import { auditActor, requireRole } from '../operatorAuth';
import { isoTimestamp, jsonBody, parseBody, parseInput, storableParam, text } from '../validation';

export const REFUNDS_PATH = '/ops/v1/purchases/:tripId/refunds';
export const LEDGER_AUDIT_PATH = '/ops/v1/ledger/audit';

const positiveDecimal = z.string().regex(/^\d{1,12}(\.\d{1,6})?$/, 'must be a positive decimal such as 2 or 0.5');

export const refundRequest = z.object({
  lines: z
    .array(
      z.object({ lineId: text(255), quantity: positiveDecimal.describe('How much of the line to refund (its unit).') }),
    )
    .max(1000)
    .optional()
    .describe('Lines of the receipt to refund; with neither lines nor amount, the whole purchase is refunded.'),
  amount: positiveDecimal.optional().describe('An amount in major units of the purchase currency, e.g. "12.50".'),
  reason: text(1000).describe('Why: recorded on the receipt and in the audit log.'),
  requestId: text(255)
    .optional()
    .describe('Only to refund the same lines or amount again on purpose: the same request otherwise refunds once.'),
});

export const ledgerAuditQuery = z.object({
  store: text(255).optional(),
  since: isoTimestamp().optional(),
  graceMinutes: z.coerce.number().int().min(0).max(100_000).optional(),
});

export function paymentOpsRouter(deps: { db: Database; payments: Payments; auth: RequestHandler }): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  router.use([REFUNDS_PATH, LEDGER_AUDIT_PATH], deps.auth);
  router.param('tripId', storableParam);
  const operatorWithBody = [requireRole('operator'), jsonBody() as RequestHandler<any>];
  router.post(REFUNDS_PATH, ...operatorWithBody, async (req, res) => {
    const request = parseBody(refundRequest, req.body);
    const result = await refundPurchase(deps, req.params.tripId, request, auditActor(res));
    res.status(result.repeated ? 200 : 201).json(result);
  });
  router.get(LEDGER_AUDIT_PATH, requireRole('viewer'), async (req, res) => {
    const query = parseInput(ledgerAuditQuery, req.query);
    const audit = await auditLedger(deps.db, {
      storeId: query.store,
      since: query.since ? new Date(query.since) : undefined,
      graceMs: query.graceMinutes === undefined ? undefined : query.graceMinutes * 60_000,
    });
    res.json({ ...audit, clean: audit.violations.length === 0 });
  });
  return router;
}
