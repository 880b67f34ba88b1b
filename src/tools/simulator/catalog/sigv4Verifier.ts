/**
 * Server-side SigV4 check, as API Gateway (IAM auth) and STS do it: parse the Authorization
 * header, look the access key up, recompute the signature with aws4 over the same method, path,
 * query, signed headers and body, and compare in constant time. Rejections carry API Gateway's
 * wording so the client sees what it would see against Amazon.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import aws4 from 'aws4';

export interface SigV4Secret {
  secretAccessKey: string;
  /** When set, the request must carry this X-Amz-Security-Token, signed. */
  sessionToken?: string;
}

export interface SigV4Expectations {
  service: string;
  region: string;
  /** The secret for an access key id, or undefined when the key is unknown. */
  secretFor(accessKeyId: string): SigV4Secret | undefined;
  now: () => number;
  /** Largest accepted difference between X-Amz-Date and now. Default 5 minutes, as AWS. */
  maxSkewMs?: number;
}

export interface IncomingSignedRequest {
  method: string;
  /** Path and query exactly as received (Express `req.originalUrl`). */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type SigV4Verdict = { ok: true; accessKeyId: string } | { ok: false; message: string };

const AUTHORIZATION = new RegExp(
  '^AWS4-HMAC-SHA256 Credential=([^/\\s]+)/(\\d{8})/([^/\\s]+)/([^/\\s]+)/aws4_request,' +
    '\\s*SignedHeaders=([a-z0-9;-]+),\\s*Signature=([0-9a-f]{64})$',
);
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const DEFAULT_MAX_SKEW_MS = 5 * 60 * 1000;

export const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN = 'The security token included in the request is invalid.';

export function verifySigV4(request: IncomingSignedRequest, expect: SigV4Expectations): SigV4Verdict {
  const header = request.headers.authorization;
  if (!header) return reject('Missing Authentication Token');
  const auth = AUTHORIZATION.exec(header.trim());
  if (!auth) return reject(`Authorization header is not a valid AWS4-HMAC-SHA256 header: ${header.slice(0, 80)}`);
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = auth;

  const secret = expect.secretFor(accessKeyId);
  if (!secret) return reject(INVALID_TOKEN);
  if (region !== expect.region) return reject(`Credential should be scoped to a valid region, not '${region}'.`);
  if (service !== expect.service) return reject(`Credential should be scoped to correct service: '${expect.service}'.`);

  const amzDate = single(request.headers['x-amz-date']);
  const signedAt = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!amzDate || signedAt === undefined) {
    return reject("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  }
  const httpDay = amzDate.slice(0, 8);
  if (scopeDate !== httpDay) {
    return reject(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${httpDay}'`,
    );
  }
  const skewMessage = checkSkew(signedAt, amzDate, expect.now(), expect.maxSkewMs ?? DEFAULT_MAX_SKEW_MS);
  if (skewMessage) return reject(skewMessage);

  const signedNames = signedHeaderList.split(';');
  if (!signedNames.includes('host')) return reject(SIGNATURE_MISMATCH);
  if (secret.sessionToken !== undefined) {
    const token = single(request.headers['x-amz-security-token']);
    if (token !== secret.sessionToken || !signedNames.includes('x-amz-security-token')) return reject(INVALID_TOKEN);
  }

  const expected = expectedSignature(request, signedNames, { amzDate, region, service, accessKeyId, secret });
  return constantTimeEqual(expected, signature) ? { ok: true, accessKeyId } : reject(SIGNATURE_MISMATCH);
}

function expectedSignature(
  request: IncomingSignedRequest,
  signedNames: string[],
  scope: { amzDate: string; region: string; service: string; accessKeyId: string; secret: SigV4Secret },
): string {
  const headers: Record<string, string> = {};
  for (const name of signedNames) headers[name] = single(request.headers[name]) ?? '';
  const signer = new aws4.RequestSigner(
    {
      method: request.method,
      host: headers.host,
      path: request.url,
      headers,
      body: request.body,
      service: scope.service,
      region: scope.region,
      // Sign exactly the headers the client listed: no defaults added.
      doNotModifyHeaders: true,
    },
    { accessKeyId: scope.accessKeyId, secretAccessKey: scope.secret.secretAccessKey },
  );
  // doNotModifyHeaders also stops aws4 reading X-Amz-Date, so hand it the signing time.
  signer.datetime = scope.amzDate;
  return signer.signature();
}

function checkSkew(signedAt: number, amzDate: string, now: number, maxSkewMs: number): string | undefined {
  const nowText = formatAmzDate(now);
  const minutes = Math.round(maxSkewMs / 60_000);
  if (signedAt < now - maxSkewMs) {
    return `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - maxSkewMs)} (${nowText} - ${minutes} min.)`;
  }
  if (signedAt > now + maxSkewMs) {
    return `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + maxSkewMs)} (${nowText} + ${minutes} min.)`;
  }
  return undefined;
}

export function parseAmzDate(text: string): number | undefined {
  const match = AMZ_DATE.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

export function formatAmzDate(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function reject(message: string): SigV4Verdict {
  return { ok: false, message };
}
