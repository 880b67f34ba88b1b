/** Amazon Catalog API client: SigV4 calls, credentials (env, the SDK's default chain, an assumed role), report download and parsing. */
export { createAmazonCatalogClient, type AmazonCatalogClient, type AmazonCatalogClientOptions } from './client';
export {
  baseCredentials,
  envCredentials,
  CredentialsError,
  type AwsCredentials,
  type CredentialsProvider,
} from './credentials';
export { defaultChainCredentials, type SdkCredentialsProvider } from './defaultChain';
export {
  assumeRoleCredentials,
  parseAssumeRoleResponse,
  type AssumeRoleOptions,
  type TemporaryCredentials,
} from './assumeRole';
export { isNoRetryServerError, defaultIsFinalServerError, type FinalServerErrorRule } from './errorClassification';
export { presignedUrlExpiry } from './reportDownload';
export { parseReport } from './reportParser';
export { regionFromEndpoint } from './region';
export type {
  CatalogApiError,
  ParsedReport,
  ProcessingStatus,
  ReportEntry,
  ReportFetchResult,
  StatusResult,
  UploadResult,
} from './types';
