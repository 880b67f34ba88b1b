/**
 * The codec endpoint of the Temporal UI (`/codec/encode`, `/codec/decode`): with payload encryption
 * on, the UI shows ciphertext until it is pointed here ("Codec Server" in its settings, or the
 * all-in-one's dev server started with it). Operators only: the UI passes the operator key as a
 * bearer token ("Pass access token"); CORS answers the UI's origins.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { PayloadCodec, Payload } from '@temporalio/common';
import { InvalidRequest } from '../application/errors';
import { jsonBody, parseBody } from './validation';
import { requireRole } from './operatorAuth';

const wirePayload = z.object({
  metadata: z.record(z.string(), z.string()).optional(),
  data: z.string().optional(),
});
export const codecRequest = z.object({ payloads: z.array(wirePayload).max(1000) });

type WirePayload = z.infer<typeof wirePayload>;

const fromWire = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

export function codecRouter(deps: { codecs: PayloadCodec[]; auth: RequestHandler; allowedOrigins: string[] }): Router {
  const router = Router();
  // CORS first: the browser's preflight carries no credential.
  router.use('/codec', (req, res, next) => {
    const origin = req.header('origin');
    if (origin && deps.allowedOrigins.includes(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
    }
    if (req.method === 'OPTIONS') return void res.sendStatus(204);
    next();
  });
  router.use('/codec', deps.auth, jsonBody());
  for (const direction of ['encode', 'decode'] as const) {
    router.post(`/codec/${direction}`, requireRole('viewer'), async (req, res) => {
      const { payloads } = parseBody(codecRequest, req.body);
      let result = payloads.map(fromWire);
      // Decoding runs the codecs in reverse order of encoding.
      const codecs = direction === 'encode' ? deps.codecs : [...deps.codecs].reverse();
      try {
        for (const codec of codecs) result = await codec[direction](result);
      } catch (err) {
        // A payload this deployment cannot open (another key, corrupt data) is the caller's to fix.
        throw new InvalidRequest([{ field: 'payloads', reason: (err as Error).message }]);
      }
      res.json({ payloads: result.map(toWire) });
    });
  }
  return router;
}
