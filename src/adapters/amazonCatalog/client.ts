/**
 * Client of Amazon's Catalog API (jwo-api.md §3 and §4): SigV4-signed calls (service
 * `execute-api`) that return typed outcomes. 429s, "retry recommended" 500s and network failures
 * come back as retryable errors; 400s, 403s and "no retry" 500s as final ones. Throttling to
 * 10 requests/second and splitting into 10,000-item requests are the caller's job.
 */
import type { z } from 'zod';
import { CredentialsError, type AwsCredentials, type CredentialsProvider } from './credentials';
import {
  classifyHttpError,
  defaultIsFinalServerError,
  networkError,
  parseJson,
  type FinalServerErrorRule,
} from './errorClassification';
import { regionFromEndpoint } from './region';
import { fetchReport } from './reportDownload';
import { parseReport } from './reportParser';
import { uploadAcceptedSchema, uploadStatusSchema } from './responseSchemas';
import { sendSigned, type FetchSettings } from './signedFetch';
import type { CatalogApiError, ReportFetchResult, StatusResult, UploadResult } from './types';

export interface AmazonCatalogClientOptions {
  /** Base URL from onboarding, stage included, e.g. https://abc.execute-api.us-east-1.amazonaws.com/prod */
  endpoint: string;
  /** Default: parsed from an `execute-api.<region>.amazonaws.com` host; required for any other host. */
  region?: string;
  credentials: CredentialsProvider;
  fetchImpl?: typeof fetch;
  /** Per call, including reading the body. Default 30 s (API Gateway gives up at 29 s). */
  timeoutMs?: number;
  /**
   * Origins report links may also come from besides Amazon S3's https hosts: the simulator's only
   * (CATALOG_REPORT_HOSTS). Default none.
   */
  reportOrigins?: readonly string[];
  /** Clock used to spot an expired report link before downloading it. */
  now?: () => number;
  /** Which 5xx answers mean "do not retry" (INFERRED wire format). Default: defaultIsFinalServerError. */
  isFinalServerError?: FinalServerErrorRule;
}

export interface AmazonCatalogClient {
  readonly region: string;
  uploadCatalog(items: readonly object[]): Promise<UploadResult>;
  getUploadStatus(ingestionId: string): Promise<StatusResult>;
  /** GETs a presigned report link (unsigned). */
  fetchReport(url: string): Promise<ReportFetchResult>;
  parseReport: typeof parseReport;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export function createAmazonCatalogClient(options: AmazonCatalogClientOptions): AmazonCatalogClient {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const region = options.region ?? requireRegionFromEndpoint(endpoint);
  const settings: FetchSettings = {
    fetchImpl: options.fetchImpl ?? fetch,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const isFinalServerError = options.isFinalServerError ?? defaultIsFinalServerError;
  const now = options.now ?? Date.now;

  /** POSTs a signed JSON body; a 2xx body is parsed with `schema`, anything else becomes a CatalogApiError. */
  async function postJson<T>(path: string, payload: unknown, schema: z.ZodType<T>): Promise<T | CatalogApiError> {
    const credentials = await resolveCredentials(options.credentials);
    if ('kind' in credentials) return credentials;
    const outcome = await sendSigned(
      {
        url: `${endpoint}${path}`,
        method: 'POST',
        body: JSON.stringify(payload),
        contentType: 'application/json',
        service: 'execute-api',
        region,
        credentials,
      },
      settings,
    );
    if (outcome.kind === 'network-error') return networkError(`${path}: ${outcome.message}`);
    if (outcome.status < 200 || outcome.status >= 300)
      return classifyHttpError(outcome.status, outcome.text, isFinalServerError);
    const parsed = schema.safeParse(parseJson(outcome.text));
    if (!parsed.success) {
      // Not retried: an upload that was perhaps accepted should not be sent twice blindly.
      return {
        kind: 'error',
        status: outcome.status,
        errorMsg: `${path}: unexpected response body ${outcome.text.slice(0, 200)} (${parsed.error.issues[0]?.message})`,
        retryable: false,
      };
    }
    return parsed.data;
  }

  return {
    region,
    async uploadCatalog(items) {
      const result = await postJson('/v1/catalog/upload', { catalogItems: items }, uploadAcceptedSchema);
      return 'kind' in result ? result : { kind: 'ok', ingestionId: result.ingestionId };
    },
    async getUploadStatus(ingestionId) {
      const result = await postJson('/v1/catalog/getCatalogUploadStatus', { ingestionId }, uploadStatusSchema);
      return 'kind' in result ? result : { kind: 'ok', ...result };
    },
    fetchReport: (url) => fetchReport(url, { ...settings, now, allowedOrigins: options.reportOrigins ?? [] }),
    parseReport,
  };
}

function requireRegionFromEndpoint(endpoint: string): string {
  const region = regionFromEndpoint(endpoint);
  if (region) return region;
  throw new Error(
    `Cannot tell the AWS region of the Catalog API endpoint ${endpoint}: its host is not ` +
      '"<id>.execute-api.<region>.amazonaws.com", so pass the region option',
  );
}

async function resolveCredentials(provider: CredentialsProvider): Promise<AwsCredentials | CatalogApiError> {
  try {
    return await provider();
  } catch (err) {
    const retryable = err instanceof CredentialsError ? err.retryable : false;
    return { kind: 'error', status: null, errorMsg: `no AWS credentials: ${(err as Error).message}`, retryable };
  }
}
