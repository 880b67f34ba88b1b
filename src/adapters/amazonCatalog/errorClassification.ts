/**
 * Turns a failed Catalog API exchange into a CatalogApiError, deciding whether a retry can help.
 *
 * jwo-api.md §3.4: 429 and 500 "Server Error – Retry Recommended" are worth retrying; 500
 * "Server Error – No Retry" and 4xx are not. How the two 500s differ on the wire is INFERRED
 * (an errorMsg text or a retryable flag), so the rule is the `isFinalServerError` option of the
 * client, defaulting to `defaultIsFinalServerError` below.
 */
import type { CatalogApiError } from './types';

/** Decides whether a 5xx answer says "do not retry". Receives the extracted message and the parsed body. */
export type FinalServerErrorRule = (errorMsg: string, body: unknown) => boolean;

/**
 * True when an error message says not to retry: "Server Error – No Retry", "no-retry", "NO_RETRY"
 * all match (case-insensitive, any separator between the words).
 */
export function isNoRetryServerError(errorMsg: string): boolean {
  return /\bno[\s_-]*retry\b/i.test(errorMsg);
}

/** The default rule: the message says "no retry", or the body carries `"retryable": false`. */
export const defaultIsFinalServerError: FinalServerErrorRule = (errorMsg, body) =>
  isNoRetryServerError(errorMsg) || (isRecord(body) && (body.retryable === false || body.retryable === 'false'));

export function classifyHttpError(
  status: number,
  text: string,
  isFinalServerError: FinalServerErrorRule,
): CatalogApiError {
  const body = parseJson(text);
  const errorMsg = errorMessageOf(body) ?? (text.trim().slice(0, 500) || `HTTP ${status}`);
  let retryable: boolean;
  if (status === 429) retryable = true;
  else if (status >= 500) retryable = !isFinalServerError(errorMsg, body);
  else retryable = false;
  return { kind: 'error', status, errorMsg, retryable };
}

export function networkError(message: string): CatalogApiError {
  return { kind: 'error', status: null, errorMsg: message, retryable: true };
}

/** Amazon's own errors use `errorMsg`; API Gateway's (403 signature, 413, 504) use `message`. */
function errorMessageOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  for (const key of ['errorMsg', 'message', 'Message']) {
    const value = body[key];
    if (typeof value === 'string' && value) return value;
  }
  return undefined;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
