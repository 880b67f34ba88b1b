/**
 * Operators are people: who is calling the operator API, and what their role lets them do.
 *
 * Credentials (any of, checked in this order):
 *   - `Authorization: Bearer <JWT>` from the retailer's identity provider (OPERATOR_OIDC_ISSUER /
 *     OPERATOR_OIDC_AUDIENCE), verified against its JWKS; the role is the OPERATOR_OIDC_ROLE_CLAIM
 *     claim, the name the `email` claim, else `sub`.
 *   - a key, in `x-operator-key` or as a bearer token: one of OPERATOR_KEYS (its name and role), or
 *     of the deprecated OPERATOR_API_KEYS (name "operator", role admin; the demo key in demo mode).
 *
 * Usage in a router (the credential check first, then the body, then each route's role):
 *
 *   router.use('/ops/v1/things', deps.auth, jsonBody());
 *   router.get('/ops/v1/things', requireRole('viewer'), handler);
 *   router.post('/ops/v1/things', requireRole('admin'), async (req, res) => {
 *     const actor = actingOperator(res); // { name, role, via }: record it, never a name from the body
 *   });
 *
 * The acting operator comes from the credential only. A role refusal is a 403 naming the role needed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { LEGACY_OPERATOR_NAME, OPERATOR_ROLES, type Config, type OperatorKey, type OperatorRole } from '../config';
import type { Actor } from '../adapters/audit/auditLog';
import { Forbidden } from '../application/errors';
import { HttpError } from './httpErrors';
import { oidcTokenVerifier, type OidcIssuer } from './oidc';

export { OPERATOR_ROLES, type OperatorRole };

export interface Operator {
  name: string;
  role: OperatorRole;
  /** How the operator authenticated: a configured key, or a token of the identity provider. */
  via: 'key' | 'oidc';
}

export const OPERATOR_KEY_HEADER = 'x-operator-key';
const LOCALS_KEY = 'jwoOperator';

const rank = (role: OperatorRole) => OPERATOR_ROLES.indexOf(role);

/** Whether `role` may do what `needed` allows (admin ⊇ operator ⊇ viewer). */
export function roleAllows(role: OperatorRole, needed: OperatorRole): boolean {
  return rank(role) >= rank(needed);
}

/** The operator the credential check authenticated on this request (throws if no check ran: a wiring bug). */
export function actingOperator(res: Response): Operator {
  const operator = res.locals[LOCALS_KEY] as Operator | undefined;
  if (!operator) throw new Error('no operator on this request: mount the operator credential check first');
  return operator;
}

/** The operator as the audit log records them. */
export function auditActor(res: Response): Actor {
  const { name, role } = actingOperator(res);
  return { name, role };
}

/**
 * After the credential check: refuses (403, naming the role needed) an operator whose role is below
 * `needed`. Typed loosely so a route's path parameters are still inferred from its path.
 */

export function requireRole(needed: OperatorRole): RequestHandler<any, any, any, any> {
  return (_req, res, next) => {
    const operator = res.locals[LOCALS_KEY] as Operator | undefined;
    if (!operator) return next(new HttpError(401, 'missing credentials: send the x-operator-key header'));
    if (!roleAllows(operator.role, needed))
      return next(
        new Forbidden(`this needs the ${needed} role (or higher); ${operator.name} has the ${operator.role} role`),
      );
    next();
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** The entry whose key is `given`, comparing against every entry in constant time per entry. */
function matchKey<T extends { key: string }>(given: string, entries: T[]): T | null {
  const givenDigest = digest(given);
  let found: T | null = null;
  for (const entry of entries) if (timingSafeEqual(givenDigest, digest(entry.key))) found ??= entry;
  return found;
}

const looksLikeJwt = (value: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);

export interface OidcSettings extends OidcIssuer {
  roleClaim: string;
}

/** Verifies identity-provider tokens (oidc.ts) and reads the operator's role and name from them. */
export function oidcVerifier(settings: OidcSettings): (token: string) => Promise<Operator> {
  const verify = oidcTokenVerifier(settings);
  return async (token) => {
    const payload = await verify(token);
    const claimed = payload[settings.roleClaim];
    const roles = (Array.isArray(claimed) ? claimed : [claimed]).filter((r): r is OperatorRole =>
      (OPERATOR_ROLES as readonly unknown[]).includes(r),
    );
    const name = typeof payload.email === 'string' ? payload.email : payload.sub;
    if (!name) throw new HttpError(401, 'invalid token: it has neither email nor sub');
    if (!roles.length)
      throw new Forbidden(
        `the token of ${name} has no ${settings.roleClaim} claim of ${OPERATOR_ROLES.join(', ')}: ask for an operator role`,
      );
    // Several roles: the strongest.
    const role = roles.reduce((a, b) => (rank(b) > rank(a) ? b : a));
    return { name, role, via: 'oidc' };
  };
}

/**
 * The operator credential check of the whole operator API: authenticates the caller and records
 * who they are for requireRole and actingOperator. `onReject` sees why a credential was refused.
 */
export function operatorAuthentication(
  config: Pick<
    Config,
    | 'OPERATOR_KEYS'
    | 'OPERATOR_API_KEYS'
    | 'OPERATOR_OIDC_ISSUER'
    | 'OPERATOR_OIDC_AUDIENCE'
    | 'OPERATOR_OIDC_ROLE_CLAIM'
    | 'OPERATOR_OIDC_JWKS_URL'
  >,
  onReject: (reason: string) => void = () => undefined,
): RequestHandler {
  const keys: OperatorKey[] = [
    ...config.OPERATOR_KEYS,
    ...config.OPERATOR_API_KEYS.map((key) => ({ name: LEGACY_OPERATOR_NAME, role: 'admin' as const, key })),
  ];
  const verifyToken =
    config.OPERATOR_OIDC_ISSUER && config.OPERATOR_OIDC_AUDIENCE
      ? oidcVerifier({
          issuer: config.OPERATOR_OIDC_ISSUER,
          audience: config.OPERATOR_OIDC_AUDIENCE,
          roleClaim: config.OPERATOR_OIDC_ROLE_CLAIM,
          jwksUrl: config.OPERATOR_OIDC_JWKS_URL,
        })
      : null;

  return (req, res, next) => {
    const headerKey = req.header(OPERATOR_KEY_HEADER);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.header('authorization') ?? '')?.[1]?.trim();
    const given = headerKey || bearer;
    if (!given) {
      onReject('missing credentials');
      return next(
        new HttpError(
          401,
          `missing credentials: send the ${OPERATOR_KEY_HEADER} header or Authorization: Bearer <token>`,
        ),
      );
    }
    const key = matchKey(given, keys);
    if (key) {
      res.locals[LOCALS_KEY] = { name: key.name, role: key.role, via: 'key' } satisfies Operator;
      return next();
    }
    if (verifyToken && looksLikeJwt(given)) {
      verifyToken(given).then(
        (operator) => {
          res.locals[LOCALS_KEY] = operator;
          next();
        },
        (err: unknown) => {
          onReject('invalid token');
          next(err);
        },
      );
      return;
    }
    onReject('wrong credentials');
    next(new HttpError(401, 'invalid credentials'));
  };
}
