/**
 * Downloads the per-item result report from the presigned S3 link that getCatalogUploadStatus
 * returns once an ingestion is DONE. The link is valid for 60 minutes (jwo-api.md §4); an
 * expired link is its own outcome so the caller knows to ask getCatalogUploadStatus for a fresh
 * one instead of retrying the same URL.
 *
 * Links are fetched only from Amazon S3's https hosts (`<bucket>.s3.amazonaws.com`,
 * `s3.<region>.amazonaws.com`, `<bucket>.s3.<region>.amazonaws.com`), and redirects are refused:
 * a link (from a status call, or a notification) cannot make the worker call anywhere else. The
 * simulator's local links are allowed only through `allowedOrigins` (CATALOG_REPORT_HOSTS, set by
 * the tools and tests that run the simulator).
 */
import { classifyHttpError, defaultIsFinalServerError, networkError } from './errorClassification';
import { sendWithDeadline, type FetchSettings } from './signedFetch';
import type { ReportFetchResult } from './types';

/** S3 answers an expired or revoked presigned URL with 403, and a deleted object with 404 (410 from some proxies). */
const EXPIRED_LINK_STATUSES = new Set([403, 404, 410]);

const S3_HOST = [
  /^[a-z0-9][a-z0-9.-]*\.s3\.amazonaws\.com$/,
  /^s3\.[a-z0-9-]+\.amazonaws\.com$/,
  /^[a-z0-9][a-z0-9.-]*\.s3\.[a-z0-9-]+\.amazonaws\.com$/,
];

/** Why a report link may not be fetched, or null when it may: https S3 hosts, or an origin explicitly allowed. */
export function reportLinkProblem(link: string, allowedOrigins: readonly string[] = []): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return 'not a URL';
  }
  if (allowedOrigins.includes(url.origin)) return null;
  if (url.protocol !== 'https:') return `${url.protocol} is not https`;
  if (url.username || url.password || url.port) return 'an S3 link carries no credentials or port';
  if (!S3_HOST.some((host) => host.test(url.hostname))) return `${url.hostname} is not an Amazon S3 host`;
  return null;
}

export async function fetchReport(
  url: string,
  settings: FetchSettings & { now: () => number; allowedOrigins?: readonly string[] },
): Promise<ReportFetchResult> {
  const problem = reportLinkProblem(url, settings.allowedOrigins);
  if (problem) return { kind: 'error', status: null, errorMsg: `report link refused: ${problem}`, retryable: false };
  const expiresAt = presignedUrlExpiry(url);
  if (expiresAt !== undefined && settings.now() >= expiresAt) {
    return { kind: 'expired', reason: `link expired at ${new Date(expiresAt).toISOString()}` };
  }
  // Presigned: the signature is in the query string, so the request itself must not be signed.
  // Redirects are not followed: the host check above would not see where they lead.
  const outcome = await sendWithDeadline(url, { method: 'GET', redirect: 'manual' }, settings);
  if (outcome.kind === 'network-error') return networkError(`report download failed: ${outcome.message}`);
  if (outcome.status >= 300 && outcome.status < 400)
    return {
      kind: 'error',
      status: outcome.status,
      errorMsg: `report link refused: it redirects (HTTP ${outcome.status})`,
      retryable: false,
    };
  if (outcome.status >= 200 && outcome.status < 300) return { kind: 'ok', body: outcome.text };
  if (EXPIRED_LINK_STATUSES.has(outcome.status)) {
    return { kind: 'expired', reason: `HTTP ${outcome.status}: ${s3ErrorSummary(outcome.text)}` };
  }
  return classifyHttpError(outcome.status, outcome.text, defaultIsFinalServerError);
}

/**
 * When a SigV4 presigned URL stops working: X-Amz-Date (yyyyMMddTHHmmssZ) plus X-Amz-Expires
 * seconds. Undefined when the URL does not carry both.
 */
export function presignedUrlExpiry(url: string): number | undefined {
  const query = new URL(url).searchParams;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  const expires = /^\d+$/.exec(query.get('X-Amz-Expires') ?? '');
  if (!date || !expires) return undefined;
  const [, year, month, day, hour, minute, second] = date.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second) + Number(expires[0]) * 1000;
}

/** "AccessDenied: Request has expired" out of an S3 XML error document, or the start of the text. */
function s3ErrorSummary(text: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  if (code || message) return [code, message].filter(Boolean).join(': ');
  return text.trim().slice(0, 200) || 'no body';
}
