/**
 * Where `jwo loadtest` records its result (operator credential; recording needs the operator role):
 *   POST /ops/v1/loadtests          { startedAt, ratePerSecond, durationSeconds, gateP99Ms, budgetHeld, result }
 *   GET  /ops/v1/loadtests/latest   the last recorded run (404 before the first)
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Database } from '../../adapters/db/database';
import { latestLoadTestRun, recordLoadTestRun } from '../../adapters/loadTests/loadTestRuns';
import { NotFound } from '../../application/errors';
import { isoTimestamp, jsonBody, jsonObject, parseBody } from '../validation';
import { requireRole } from '../operatorAuth';

export const loadTestRunRequest = z.object({
  startedAt: isoTimestamp(),
  ratePerSecond: z.number().positive(),
  durationSeconds: z.number().positive(),
  /** null when no gate request was answered at all. */
  gateP99Ms: z.number().nonnegative().nullable(),
  budgetHeld: z.boolean(),
  result: jsonObject(),
});

export function loadTestOpsRouter(deps: { db: Database; auth: RequestHandler }): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  router.use('/ops/v1/loadtests', deps.auth, jsonBody());
  router.post('/ops/v1/loadtests', requireRole('operator'), async (req, res) => {
    const run = parseBody(loadTestRunRequest, req.body);
    res.status(201).json(await recordLoadTestRun(deps.db, { ...run, startedAt: new Date(run.startedAt) }));
  });
  router.get('/ops/v1/loadtests/latest', requireRole('viewer'), async (_req, res) => {
    const run = await latestLoadTestRun(deps.db);
    if (!run) throw new NotFound('no load test has been recorded yet: run `jwo loadtest`');
    res.json(run);
  });
  return router;
}
