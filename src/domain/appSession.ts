/**
 * Shopper sessions of the retailer's app: short-lived tokens the app sends as its bearer instead of
 * the long-lived app token, so a leaked request header is worth minutes, not the account.
 *
 * Stateless, so any API replica verifies any session without a table or a lookup:
 *
 *   base64url(JSON {sub: shopperId, iat, exp, kid}) "." base64url(HMAC-SHA256(secret, first part))
 *
 * iat and exp are epoch seconds. kid is a fingerprint of the signing secret: several secrets verify
 * (the first signs), so a secret is rotated by putting a new one first and dropping the old one once
 * the sessions it signed have expired; kid picks the secret without trying each.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  /** The shopper id. */
  sub: string;
  iat: number;
  exp: number;
  kid: string;
}

export type SessionRejection = 'MALFORMED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | 'EXPIRED';

export type SessionVerification =
  { ok: true; shopperId: string; expiresAt: Date } | { ok: false; reason: SessionRejection };

/**
 * Longer than any token this module signs (a shopper id is at most 255 characters, 765 bytes of
 * UTF-8: about 1,200 characters in all): refused unread.
 */
const MAX_TOKEN_LENGTH = 2048;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** The kid of a secret: 8 base64url characters of its SHA-256 (48 bits; names a secret, reveals none). */
export function secretId(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 8);
}

const signature = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/** A session for `shopperId` from `now` for `ttlSeconds`, signed with the first secret. */
export function signSession(
  secrets: readonly string[],
  shopperId: string,
  now: Date,
  ttlSeconds: number,
): { token: string; expiresAt: Date } {
  const iat = seconds(now);
  const claims: SessionClaims = { sub: shopperId, iat, exp: iat + ttlSeconds, kid: secretId(secrets[0]) };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return {
    token: `${payload}.${signature(secrets[0], payload)}`,
    expiresAt: new Date(claims.exp * 1000),
  };
}

/** The claims if the payload is a JSON object of the right shape; the signature is checked after. */
function parseClaims(payload: string): SessionClaims | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const c = value as Partial<SessionClaims> | null;
  const ok =
    typeof c === 'object' &&
    c !== null &&
    typeof c.sub === 'string' &&
    c.sub.length > 0 &&
    Number.isSafeInteger(c.iat) &&
    Number.isSafeInteger(c.exp) &&
    typeof c.kid === 'string';
  return ok ? (c as SessionClaims) : null;
}

/** Checks a session token's form, key, signature (in constant time) and expiry, in that order. */
export function verifySession(secrets: readonly string[], token: string, now: Date): SessionVerification {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  if (parts.length !== 2 || !parts.every((p) => BASE64URL.test(p))) return { ok: false, reason: 'MALFORMED' };
  const [payload, given] = parts;
  const claims = parseClaims(payload);
  if (!claims) return { ok: false, reason: 'MALFORMED' };
  const secret = secrets.find((s) => secretId(s) === claims.kid);
  if (secret === undefined) return { ok: false, reason: 'UNKNOWN_KEY' };
  // Compared as text, not decoded bytes: base64url decoding ignores a last character's spare bits, so
  // two spellings would otherwise pass. timingSafeEqual needs equal lengths; an HMAC's is public.
  const expected = Buffer.from(signature(secret, payload));
  const givenBytes = Buffer.from(given);
  if (givenBytes.length !== expected.length || !timingSafeEqual(givenBytes, expected))
    return { ok: false, reason: 'BAD_SIGNATURE' };
  if (claims.exp <= seconds(now)) return { ok: false, reason: 'EXPIRED' };
  return { ok: true, shopperId: claims.sub, expiresAt: new Date(claims.exp * 1000) };
}
