/**
 * Authentication of callers by a shared key in a header (jwo-api.md §1.5: the scheme Amazon uses
 * for connectors is configured in the Merchant Portal and was not visible, so it is configurable).
 * Several keys are accepted so they can be rotated; comparison is constant-time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './httpErrors';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function keyMatches(given: string, accepted: string[]): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual applies and the key length is not leaked.
  const givenDigest = digest(given);
  let match = false;
  for (const key of accepted) match = timingSafeEqual(givenDigest, digest(key)) || match;
  return match;
}

export function requireApiKey(
  header: string,
  keys: string[],
  onReject: (reason: string) => void = () => undefined,
): RequestHandler {
  return (req, _res, next) => {
    const given = req.header(header) ?? (req.header('authorization')?.replace(/^Bearer\s+/i, '') || undefined);
    if (!given) {
      onReject('missing credentials');
      return next(new HttpError(401, `missing credentials: send the ${header} header`));
    }
    if (!keyMatches(given, keys)) {
      onReject('wrong credentials');
      return next(new HttpError(401, 'invalid credentials'));
    }
    next();
  };
}
