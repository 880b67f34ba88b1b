/**
 * Presigned-looking report links. Amazon hands out an S3 presigned URL valid for 60 minutes
 * (jwo-api.md §4); the simulator serves the report itself and signs the link with an HMAC over
 * the ingestion id, X-Amz-Date and X-Amz-Expires, so a tampered or stretched link is refused
 * just as S3 would refuse it.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { formatAmzDate, parseAmzDate } from './sigv4Verifier';

export const REPORT_PATH_PREFIX = '/__reports/';

export type LinkCheck = { ok: true } | { ok: false; reason: 'bad-signature' | 'expired'; expiredAt?: number };

export class ReportLinkSigner {
  private readonly key = randomBytes(32);

  /** `ttlMs` is rounded up to whole seconds, the unit of X-Amz-Expires. */
  constructor(private readonly ttlMs: number) {}

  link(baseUrl: string, ingestionId: string, now: number): string {
    const amzDate = formatAmzDate(now);
    const expires = String(Math.ceil(this.ttlMs / 1000));
    const query = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Date': amzDate,
      'X-Amz-Expires': expires,
      'X-Amz-Signature': this.signature(ingestionId, amzDate, expires),
    });
    return `${baseUrl}${REPORT_PATH_PREFIX}${encodeURIComponent(ingestionId)}?${query}`;
  }

  check(ingestionId: string, query: URLSearchParams, now: number): LinkCheck {
    const amzDate = query.get('X-Amz-Date') ?? '';
    const expires = query.get('X-Amz-Expires') ?? '';
    const given = Buffer.from(query.get('X-Amz-Signature') ?? '');
    const expected = Buffer.from(this.signature(ingestionId, amzDate, expires));
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return { ok: false, reason: 'bad-signature' };
    // Both values are covered by the signature, so they are the ones this simulator wrote.
    const expiredAt = (parseAmzDate(amzDate) ?? 0) + Number(expires) * 1000;
    return now >= expiredAt ? { ok: false, reason: 'expired', expiredAt } : { ok: true };
  }

  private signature(ingestionId: string, amzDate: string, expires: string): string {
    return createHmac('sha256', this.key).update(`${ingestionId}\n${amzDate}\n${expires}`).digest('hex');
  }
}
