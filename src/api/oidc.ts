/**
 * Tokens of the retailer's identity provider (OIDC), verified with jose against the issuer's JWKS:
 * the one verifier behind operators' tokens (operatorAuth.ts) and shoppers' sign-in with the
 * retailer's own accounts (appBackend.ts). What a verified token means is the caller's business.
 */
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { HttpError } from './httpErrors';

export interface OidcIssuer {
  issuer: string;
  audience: string;
  /** Unset: the jwks_uri of the issuer's discovery document. */
  jwksUrl?: string;
}

/**
 * The claims of a token signed by the issuer for the audience, not expired (30 s of clock skew);
 * anything else is a 401 naming jose's code, keys that cannot be fetched a 503. The key set is
 * fetched on first use and cached (jose refreshes it on unknown kids).
 */
export function oidcTokenVerifier(settings: OidcIssuer): (token: string) => Promise<JWTPayload> {
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | null = null;
  const jwks = () =>
    (keySet ??= (async () => {
      let url = settings.jwksUrl;
      if (!url) {
        const discovery = `${settings.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
        const response = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
        const document = (await response.json().catch(() => null)) as { jwks_uri?: unknown } | null;
        if (!response.ok || typeof document?.jwks_uri !== 'string')
          throw new Error(`no jwks_uri in ${discovery} (HTTP ${response.status})`);
        url = document.jwks_uri;
      }
      return createRemoteJWKSet(new URL(url));
    })().catch((err: unknown) => {
      keySet = null; // try discovery again on the next request
      throw err;
    }));

  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, await jwks(), {
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: 30,
      });
      return payload;
    } catch (err) {
      if (err instanceof joseErrors.JOSEError) throw new HttpError(401, `invalid token: ${err.code}`);
      throw new HttpError(503, 'cannot verify tokens: the identity provider’s keys are unavailable');
    }
  };
}
