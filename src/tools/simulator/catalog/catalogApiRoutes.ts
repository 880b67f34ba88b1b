/**
 * The two Amazon endpoints: Upload Catalog and Get Catalog Upload Status (jwo-api.md §3 and §4),
 * behind SigV4 verification. Amazon's errors are `{"errorMsg": …}`; API Gateway's own (signature,
 * payload size) are `{"message": …}`, as on the real stack.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { SimulatorContext } from './context';
import { FAULT_RESPONSES, TOO_MANY_REQUESTS, type InjectedFault } from './faults';
import { verifySigV4 } from './sigv4Verifier';
import { isRecord, validateUpload } from './uploadValidation';

export const UNKNOWN_INGESTION =
  'InvalidRequestException: invalid ingestionId parameter or ingestionId not associated with any of the retailers';
export const BAD_STATUS_REQUEST = 'BadRequestException: invalid request model parameters';
const MAX_INGESTION_ID_LENGTH = 255;

export function catalogApiRoutes(ctx: SimulatorContext): Router {
  const router = express.Router();
  // Raw bytes: the body hash is part of the signature, so it must be checked before any parsing.
  router.use('/v1', express.raw({ type: () => true, limit: ctx.maxBodyBytes }), requireSignature(ctx));

  router.post('/v1/catalog/upload', (req, res) => {
    if (!ctx.uploadRateLimiter.admit(ctx.now())) return sendError(res, 429, TOO_MANY_REQUESTS);
    if (answerInjectedFault(res, ctx.faults.uploadQueue)) return;
    const validation = validateUpload(parseJsonBody(req), ctx.stores, ctx.maxItemsPerRequest);
    if (!validation.ok) return sendError(res, 400, validation.errorMsg);
    const ingestion = ctx.ingestions.add(validation.items, validation.retailerId, ctx.now());
    if (ctx.publisher) ctx.watcher.watch(ingestion.ingestionId);
    res.status(201).json({ ingestionId: ingestion.ingestionId });
  });

  router.post('/v1/catalog/getCatalogUploadStatus', (req, res) => {
    if (answerInjectedFault(res, ctx.faults.statusQueue)) return;
    const body = parseJsonBody(req);
    const ingestionId = isRecord(body) ? body.ingestionId : undefined;
    if (typeof ingestionId !== 'string' || !ingestionId || ingestionId.length > MAX_INGESTION_ID_LENGTH) {
      return sendError(res, 400, BAD_STATUS_REQUEST);
    }
    const ingestion = ctx.ingestions.get(ingestionId);
    if (!ingestion) return sendError(res, 400, UNKNOWN_INGESTION);
    const now = ctx.now();
    const processingStatus = ctx.ingestions.statusAt(ingestion, now);
    // Each call hands out a fresh link, valid for reportTtlMs from now.
    const reportDownloadLink =
      processingStatus === 'DONE' ? ctx.reportLinks.link(ctx.baseUrlFor(requestOrigin(req)), ingestionId, now) : '';
    res.status(200).json({ processingStatus, reportDownloadLink });
  });

  return router;
}

function requireSignature(ctx: SimulatorContext) {
  return (req: Request, res: Response, next: NextFunction) => {
    const verdict = verifySigV4(
      { method: req.method, url: req.originalUrl, headers: req.headers, body: rawBody(req) },
      ctx.sigv4,
    );
    if (!verdict.ok) {
      res.status(403).json({ message: verdict.message });
      return;
    }
    next();
  };
}

/** Answers with the next queued fault, if any. */
function answerInjectedFault(res: Response, queue: InjectedFault[]): boolean {
  const fault = queue.shift();
  if (!fault) return false;
  const { status, errorMsg } = FAULT_RESPONSES[fault];
  sendError(res, status, errorMsg);
  return true;
}

function rawBody(req: Request): Buffer {
  // express.raw leaves req.body undefined when the request has no body.
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** The JSON body, or undefined when it is not JSON (validation then answers "Invalid request body"). */
function parseJsonBody(req: Request): unknown {
  try {
    return JSON.parse(rawBody(req).toString('utf8'));
  } catch {
    return undefined;
  }
}

function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host')}`;
}

function sendError(res: Response, status: number, errorMsg: string): void {
  res.status(status).json({ errorMsg });
}
