/**
 * The retailer's app backend, the part this product needs: a shopper signs in and asks for a Scan
 * Key Code to show at the gate.
 *
 *   POST /app/v1/sessions    { appToken } or { idToken } → 201 { sessionToken, shopperId, expiresAt }
 *   GET  /app/v1/me          Authorization: Bearer <sessionToken>
 *   POST /app/v1/scan-keys   Authorization: Bearer <sessionToken>
 *
 * The app token (enrolled by the retailer's app backend) is sent only to sign in; every other call
 * carries a short-lived session (src/domain/appSession.ts), so a leaked header is worth minutes.
 * With APP_OIDC_ISSUER, a token of the retailer's identity provider signs the shopper in instead,
 * the shopper id in one of its claims.
 */
import { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Database } from '../adapters/db/database';
import { findShopper, findShopperByAppToken, findStore, type Shopper } from '../adapters/identity/identityStore';
import { UnknownStore } from '../application/errors';
import { issueScanKeyFor, purgeAfterIssue } from '../application/issueScanKey';
import { signSession, verifySession, type SessionRejection } from '../domain/appSession';
import type { ScanKeySettings } from '../domain/scanKey';
import { clientAddress, FailureLimiter, SIGN_IN_LIMITS } from './failureLimiter';
import { badRequest, HttpError, toErrorResponse } from './httpErrors';
import type { Metrics } from './metrics';
import { oidcTokenVerifier, type OidcIssuer } from './oidc';
import { jsonBody, parseBody, text } from './validation';

/** The demo shoppers' app tokens (`demo-alice`, …) are published in the repository: demo mode only. */
export const DEMO_APP_TOKEN_PREFIX = 'demo-';

export const SIGN_IN_PATH = '/app/v1/sessions';

export const signInRequest = z
  .object({
    appToken: text(255).optional().describe("The shopper's app token, enrolled by the retailer's app backend."),
    idToken: text(8192)
      .optional()
      .describe("Instead of appToken: a token of the retailer's identity provider (APP_OIDC_ISSUER)."),
  })
  .superRefine((request, ctx) => {
    if (request.appToken !== undefined && request.idToken !== undefined)
      ctx.addIssue({ code: 'custom', path: ['idToken'], message: 'send appToken or idToken, not both' });
    // Neither: answered as the missing appToken.
    else if (request.appToken === undefined && request.idToken === undefined)
      ctx.addIssue({ code: 'custom', path: ['appToken'], message: 'is required' });
  });

/** The `reason` label of jwo_app_signin_failures_total. */
export type SignInFailure =
  | 'unknown_token'
  | 'demo_token_outside_demo'
  | 'invalid_id_token'
  | 'unknown_shopper'
  | 'invalid_body'
  | 'rate_limited';

/** Sign-in with the retailer's identity provider: its issuer, and the claim holding the shopper id. */
export interface AppOidc extends OidcIssuer {
  shopperClaim: string;
}

/** A refused sign-in, with the reason it is counted under. */
class SignInRefused extends HttpError {
  constructor(
    readonly reason: SignInFailure,
    status: number,
    message: string,
  ) {
    super(status, message);
  }
}

const SIGN_IN_AGAIN = `sign in again with POST ${SIGN_IN_PATH}`;
const SESSION_REFUSALS: Record<SessionRejection, string> = {
  MALFORMED: `not a session token: sign in with POST ${SIGN_IN_PATH} and send its sessionToken`,
  UNKNOWN_KEY: `session signed with a key no longer accepted: ${SIGN_IN_AGAIN}`,
  BAD_SIGNATURE: `invalid session token: ${SIGN_IN_AGAIN}`,
  EXPIRED: `session expired: ${SIGN_IN_AGAIN}`,
};

/** The shopper a request's session belongs to; anything else is a 401 saying what to do. */
export type ShopperSession = (req: Request) => Promise<Shopper>;

export function shopperSessionCheck(db: Database, secrets: readonly string[]): ShopperSession {
  return async (req) => {
    const token = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1]?.trim();
    if (!token)
      throw new HttpError(401, `sign in first: POST ${SIGN_IN_PATH}, then send Authorization: Bearer <sessionToken>`);
    const session = verifySession(secrets, token, new Date());
    if (!session.ok) throw new HttpError(401, SESSION_REFUSALS[session.reason]);
    // Loaded on every call, so a shopper removed since sign-in is refused at once.
    const shopper = await findShopper(db, session.shopperId);
    if (!shopper) throw new HttpError(401, `the shopper of this session no longer exists: ${SIGN_IN_AGAIN}`);
    return shopper;
  };
}

export function appBackendRouter(deps: {
  db: Database;
  scanKeys: ScanKeySettings;
  demoMode: boolean;
  sessions: { secrets: readonly string[]; ttlSeconds: number };
  shopperSession: ShopperSession;
  metrics: Pick<Metrics, 'appSignInFailures'>;
  /** Unset: only app tokens sign in. */
  oidc?: AppOidc;
}): Router {
  const router = Router();
  const failures = new FailureLimiter(SIGN_IN_LIMITS);
  const idTokens = deps.oidc ? { verify: oidcTokenVerifier(deps.oidc), claim: deps.oidc.shopperClaim } : null;

  const shopperOfAppToken = async (appToken: string): Promise<Shopper> => {
    if (!deps.demoMode && appToken.startsWith(DEMO_APP_TOKEN_PREFIX))
      throw new SignInRefused(
        'demo_token_outside_demo',
        401,
        'demo app tokens sign in only in demo mode (DEMO_MODE=true)',
      );
    const shopper = await findShopperByAppToken(deps.db, appToken);
    if (!shopper) throw new SignInRefused('unknown_token', 401, 'unknown app token');
    return shopper;
  };
  const shopperOfIdToken = async (idToken: string): Promise<Shopper> => {
    if (!idTokens)
      throw badRequest([
        { field: 'idToken', reason: 'not accepted: sign-in with an identity provider is off (APP_OIDC_ISSUER)' },
      ]);
    const { verify, claim } = idTokens;
    const claims = await verify(idToken).catch((err: unknown) => {
      // A refused token is the shopper's failure; unreachable keys (503) are ours.
      if (err instanceof HttpError && err.status === 401) throw new SignInRefused('invalid_id_token', 401, err.message);
      throw err;
    });
    const shopperId = claims[claim];
    if (typeof shopperId !== 'string' || shopperId === '')
      throw new SignInRefused('invalid_id_token', 401, `invalid token: no ${claim} claim with the shopper id`);
    const shopper = await findShopper(deps.db, shopperId);
    if (!shopper)
      throw new SignInRefused('unknown_shopper', 401, `shopper ${shopperId} is not enrolled: enroll them first`);
    return shopper;
  };

  // Checked before the body is read: an address guessing tokens is refused whatever it sends next.
  const refuseThrottled: RequestHandler = (req, res, next) => {
    const wait = failures.retryAfterSeconds(clientAddress(req));
    if (wait === 0) return next();
    res.set('retry-after', String(wait));
    next(new SignInRefused('rate_limited', 429, `too many failed sign-ins from this address: retry in ${wait} s`));
  };
  // Every refusal but the rate limit's own counts against the address (an invalid body is a failure
  // too); our own faults (5xx) do not.
  const countFailure: ErrorRequestHandler = (err, req, _res, next) => {
    const reason: SignInFailure | null =
      err instanceof SignInRefused ? err.reason : toErrorResponse(err).status < 500 ? 'invalid_body' : null;
    if (reason) {
      deps.metrics.appSignInFailures.inc({ reason });
      if (reason !== 'rate_limited') failures.recordFailure(clientAddress(req));
    }
    next(err);
  };

  const signIn: RequestHandler = async (req, res) => {
    const { appToken, idToken } = parseBody(signInRequest, req.body);
    const shopper = idToken !== undefined ? await shopperOfIdToken(idToken) : await shopperOfAppToken(appToken!);
    const session = signSession(deps.sessions.secrets, shopper.shopperId, new Date(), deps.sessions.ttlSeconds);
    res.status(201).json({
      sessionToken: session.token,
      shopperId: shopper.shopperId,
      expiresAt: session.expiresAt.toISOString(),
    });
  };

  router.post(SIGN_IN_PATH, refuseThrottled, jsonBody(), signIn, countFailure);
  router.get('/app/v1/me', async (req, res) => {
    const shopper = await deps.shopperSession(req);
    res.json({ id: shopper.shopperId, name: shopper.displayName, type: shopper.visitorType });
  });
  router.post('/app/v1/scan-keys', async (req, res) => {
    const shopper = await deps.shopperSession(req);
    // ?store=<id>: a code for a store with its own Customer Prefix (an unknown store is a 400 naming it).
    const storeId = typeof req.query.store === 'string' ? req.query.store : undefined;
    const store = storeId === undefined ? null : await findStore(deps.db, storeId);
    if (storeId !== undefined && !store) throw new UnknownStore(storeId);
    const settings = store?.scanKeyPrefix ? { ...deps.scanKeys, prefix: store.scanKeyPrefix } : deps.scanKeys;
    const issued = await issueScanKeyFor(deps.db, settings, shopper.shopperId);
    await purgeAfterIssue(deps.db);
    // QR alphanumeric mode fits the code (upper-case letters and digits) in a small symbol.
    const qrSvg = await QRCode.toString(issued.code, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.status(201).json({ code: issued.code, qrSvg, issuedAt: issued.issuedAt, expiresAt: issued.expiresAt });
  });
  return router;
}
