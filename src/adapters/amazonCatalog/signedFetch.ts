/**
 * One SigV4-signed HTTP call with a deadline. Used for both the Catalog API (service
 * `execute-api`) and STS (service `sts`). Network failures and timeouts are returned, not
 * thrown, so callers can classify them alongside HTTP errors.
 */
import aws4 from 'aws4';
import type { AwsCredentials } from './credentials';

export interface SignedRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  contentType?: string;
  service: string;
  region: string;
  credentials: AwsCredentials;
}

export interface FetchSettings {
  fetchImpl: typeof fetch;
  timeoutMs: number;
}

export type HttpOutcome =
  { kind: 'response'; status: number; text: string } | { kind: 'network-error'; message: string };

/** Headers fetch computes itself from the URL and body; the values match what was signed. */
const HEADERS_FETCH_SETS = new Set(['host', 'content-length']);

export function signRequest(request: SignedRequest): Record<string, string> {
  const url = new URL(request.url);
  const headers: Record<string, string> = { Host: url.host };
  if (request.contentType) headers['Content-Type'] = request.contentType;
  const signed = aws4.sign(
    {
      method: request.method,
      host: url.host,
      path: url.pathname + url.search,
      headers,
      body: request.body,
      service: request.service,
      region: request.region,
    },
    request.credentials,
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers ?? {})) {
    if (value !== undefined && !HEADERS_FETCH_SETS.has(name.toLowerCase())) out[name] = String(value);
  }
  return out;
}

export async function sendSigned(request: SignedRequest, settings: FetchSettings): Promise<HttpOutcome> {
  return sendWithDeadline(
    request.url,
    { method: request.method, headers: signRequest(request), body: request.body },
    settings,
  );
}

/** A plain fetch whose failures (DNS, refused, reset, deadline) come back as a value. */
export async function sendWithDeadline(url: string, init: RequestInit, settings: FetchSettings): Promise<HttpOutcome> {
  try {
    const response = await settings.fetchImpl(url, { ...init, signal: AbortSignal.timeout(settings.timeoutMs) });
    return { kind: 'response', status: response.status, text: await response.text() };
  } catch (err) {
    return { kind: 'network-error', message: describeFetchFailure(err, settings.timeoutMs) };
  }
}

function describeFetchFailure(err: unknown, timeoutMs: number): string {
  // Duck-typed: DOMException and undici's errors may come from another realm (jest), defeating instanceof.
  const { name, message, cause } = (err ?? {}) as { name?: unknown; message?: unknown; cause?: { message?: unknown } };
  if (name === 'TimeoutError' || name === 'AbortError') return `no response within ${timeoutMs} ms`;
  // undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, ENOTFOUND, …) in `cause`.
  const detail = typeof cause?.message === 'string' ? `: ${cause.message}` : '';
  return `${typeof message === 'string' ? message : String(err)}${detail}`;
}
