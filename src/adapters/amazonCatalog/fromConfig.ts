/**
 * The Catalog API client the configuration describes: Amazon's endpoint (CATALOG_API_ENDPOINT),
 * signed with the base credentials (the AWS_* keys of the environment when set, else the AWS SDK's
 * default chain: an ECS task role, an instance profile, a profile), or with an assumed role when
 * CATALOG_API_ROLE_ARN is set (the base credentials then only have to be allowed to assume it).
 */
import { assumeRoleCredentials } from './assumeRole';
import { createAmazonCatalogClient, type AmazonCatalogClient } from './client';
import { baseCredentials, type CredentialsProvider } from './credentials';
import { defaultChainCredentials } from './defaultChain';
import { regionFromEndpoint } from './region';
import { parseReport } from './reportParser';
import type { CatalogApiError } from './types';

export interface CatalogApiConfig {
  CATALOG_API_ENDPOINT?: string;
  CATALOG_API_REGION?: string;
  CATALOG_API_ROLE_ARN?: string;
  /** Origins report links may come from besides S3 (the simulator's; tools and tests only). */
  CATALOG_REPORT_HOSTS?: string[];
}

/**
 * `env` is where the AWS_* keys are read; the default chain (used when they are unset) reads the
 * process's own environment and the host, so tests can replace it with `defaultChain`.
 */
export function catalogApiFromConfig(
  config: CatalogApiConfig,
  env: NodeJS.ProcessEnv = process.env,
  options: { defaultChain?: () => CredentialsProvider } = {},
): AmazonCatalogClient {
  const endpoint = config.CATALOG_API_ENDPOINT;
  if (!endpoint) return catalogApiNotConfigured();
  const region = config.CATALOG_API_REGION ?? regionFromEndpoint(endpoint);
  const keys = baseCredentials(env, options.defaultChain ?? (() => defaultChainCredentials()));
  const credentials = config.CATALOG_API_ROLE_ARN
    ? assumeRoleCredentials({
        roleArn: config.CATALOG_API_ROLE_ARN,
        sessionName: 'jwo-connector-catalog',
        base: keys,
        // STS is regional; without a region of our own the endpoint's is the natural choice.
        region: region ?? 'us-east-1',
      })
    : keys;
  return createAmazonCatalogClient({
    endpoint,
    region,
    credentials,
    reportOrigins: (config.CATALOG_REPORT_HOSTS ?? []).map((host) => new URL(host).origin),
  });
}

/**
 * Stands in when no endpoint is configured (a standalone worker without CATALOG_API_ENDPOINT):
 * every call fails at once, without retries, saying what to set.
 */
export function catalogApiNotConfigured(): AmazonCatalogClient {
  const error: CatalogApiError = {
    kind: 'error',
    status: null,
    errorMsg:
      'the Catalog API is not configured: set CATALOG_API_ENDPOINT (npm start runs a simulator when it is unset)',
    retryable: false,
  };
  return {
    region: 'none',
    uploadCatalog: async () => error,
    getUploadStatus: async () => error,
    fetchReport: async () => error,
    parseReport,
  };
}
