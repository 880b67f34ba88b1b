/**
 * What both Amazon-facing endpoints do around their use case, in one place: the caller's key, a
 * deadline (a late answer is worse than a 500: Amazon's side falls back to the store default or
 * retries), Temporal calls bounded by the same deadline, one status per error through
 * toErrorResponse, and one metric and one log line per request.
 */
import { Router, type RequestHandler } from 'express';
import type { Client } from '@temporalio/client';
import type { Logger } from '../adapters/logger';
import { HttpError, toErrorResponse } from './httpErrors';
import { jsonBody } from './validation';

export interface EndpointAnswer {
  status: number;
  body: unknown;
  /** A stable word for metrics and logs (ALLOWED, REJECTED, CREATED, …). */
  outcome: string;
}

export interface AmazonEndpointOptions<A extends EndpointAnswer> {
  path: string;
  /** The caller's key check (src/api/callerAuth.ts), carried by the router itself rather than by mount order. */
  auth: RequestHandler;
  deadlineMs: number;
  /** What the 500 at the deadline says: the consequence for the shopper. */
  deadlineMessage: string;
  temporal: Client;
  logger: Logger;
  /** For logs: "gate decision", "purchase request". */
  logName: string;
  /** The ids that correlate this request in logs (taken from the raw body: also for invalid requests). */
  ids(body: Record<string, any> | undefined): Record<string, unknown>;
  handle(body: unknown): Promise<A>;
  /** Records the request's metrics once it is answered; `answer` is null when an error was answered. */
  observe(status: number, outcome: string, answer: A | null, seconds: number): void;
}

/** An error answered instead of a decision, in the outcome words of the metrics. */
function errorOutcome(status: number): string {
  if (status === 400 || status === 413 || status === 415) return 'INVALID_REQUEST';
  if (status === 409) return 'CONFLICT';
  if (status === 429) return 'RATE_LIMITED';
  return 'ERROR';
}

export function amazonEndpoint<A extends EndpointAnswer>(options: AmazonEndpointOptions<A>): Router {
  const router = Router();
  const parseJson = jsonBody();
  // The body is read only after the caller's key is checked; a body that cannot be read is answered
  // (and counted and logged) like any other invalid request.
  const readBody: RequestHandler = (req, res, next) =>
    parseJson(req, res, (err?: unknown) => {
      if (err) res.locals.bodyError = err;
      next();
    });
  router.post(options.path, options.auth, readBody, async (req, res) => {
    const bodyError: unknown = res.locals.bodyError;
    const body = bodyError ? undefined : (req.body as Record<string, any> | undefined);
    const ids = options.ids(body);
    const started = Date.now();
    const deadlineAt = started + options.deadlineMs;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HttpError(500, options.deadlineMessage)), options.deadlineMs);
    });
    let status: number;
    let payload: unknown;
    let outcome: string;
    let answer: A | null = null;
    try {
      if (bodyError) throw bodyError;
      // The Temporal calls give up at the deadline too, so a request answered 500 leaves no call behind.
      answer = await Promise.race([
        options.temporal.connection.withDeadline(deadlineAt, () => options.handle(body)),
        late,
      ]);
      ({ status, body: payload, outcome } = answer);
    } catch (err) {
      ({ status, body: payload } = toErrorResponse(err));
      outcome = errorOutcome(status);
      if (status >= 500) options.logger.error(`${options.logName} failed`, { ...ids, error: (err as Error).message });
    } finally {
      clearTimeout(timer);
    }
    res.status(status).json(payload);
    options.observe(status, outcome, answer, (Date.now() - started) / 1000);
    options.logger.info(options.logName, { ...ids, status, outcome });
  });
  return router;
}
