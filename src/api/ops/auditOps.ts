/**
 * GET /ops/v1/audit?since=&operator=&trip=&limit= (role viewer): the audit log, newest first.
 * `jwo audit list` calls it. The log is append-only: there is no way to change it over the API.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Database } from '../../adapters/db/database';
import { listAudit } from '../../adapters/audit/auditLog';
import { requireRole } from '../operatorAuth';
import { isoTimestamp, parseInput, text } from '../validation';

export const AUDIT_PATH = '/ops/v1/audit';

export const auditQuery = z.object({
  since: isoTimestamp().optional(),
  operator: text(255).optional(),
  trip: text(255).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

export function auditOpsRouter(deps: { db: Database; auth: RequestHandler }): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  router.use(AUDIT_PATH, deps.auth);
  router.get(AUDIT_PATH, requireRole('viewer'), async (req, res) => {
    const query = parseInput(auditQuery, req.query);
    const entries = await listAudit(deps.db, {
      since: query.since ? new Date(query.since) : undefined,
      actor: query.operator,
      ...(query.trip ? { subjectType: 'trip', subjectId: query.trip } : {}),
      limit: query.limit ?? 100,
    });
    res.json({ entries: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) });
  });
  return router;
}
