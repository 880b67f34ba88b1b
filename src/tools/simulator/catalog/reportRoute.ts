/**
 * Serves the result reports behind the simulated presigned links. Like S3: the link's signature
 * is checked first (403 SignatureDoesNotMatch), then its lifetime (403 AccessDenied "Request has
 * expired"), then whether the object exists (404 NoSuchKey). No SigV4 header is needed.
 */
import express, { type Response, type Router } from 'express';
import type { SimulatorContext } from './context';
import { reportLines } from './ingestions';
import { REPORT_PATH_PREFIX } from './reportLinks';
import { s3ErrorXml } from './s3Errors';

export function reportRoute(ctx: SimulatorContext): Router {
  const router = express.Router();
  router.get(`${REPORT_PATH_PREFIX}:ingestionId`, (req, res) => {
    const ingestionId = String(req.params.ingestionId);
    const query = new URL(req.originalUrl, 'http://simulator').searchParams;
    const now = ctx.now();
    const check = ctx.reportLinks.check(ingestionId, query, now);
    if (!check.ok && check.reason === 'bad-signature') {
      const message = 'The request signature we calculated does not match the signature you provided.';
      return sendS3Error(res, 403, 'SignatureDoesNotMatch', message);
    }
    if (!check.ok) {
      return sendS3Error(res, 403, 'AccessDenied', 'Request has expired', {
        Expires: new Date(check.expiredAt ?? now).toISOString(),
        ServerTime: new Date(now).toISOString(),
      });
    }
    const ingestion = ctx.ingestions.get(ingestionId);
    if (!ingestion || ctx.ingestions.statusAt(ingestion, now) !== 'DONE') {
      return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    }
    res
      .status(200)
      .type('application/json')
      .send(JSON.stringify(reportLines(ingestion)));
  });
  return router;
}

function sendS3Error(
  res: Response,
  status: number,
  code: string,
  message: string,
  extra?: Record<string, string>,
): void {
  res
    .status(status)
    .type('application/xml')
    .send(s3ErrorXml(code, message, extra));
}
