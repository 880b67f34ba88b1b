/**
 * Amazon's Catalog API with our credentials: Get Catalog Upload Status for an ingestion id nobody
 * uploaded. API Gateway checks the signature, the IAM role's execute-api:Invoke permission and
 * Amazon's allow-list before the request reaches the API, so the documented 400 "ingestionId not
 * associated with any of the retailers" (jwo-api.md §4) proves all three; a 403 says which is
 * missing (jwo-api.md §3.1: "the IAM role lacks execute-api permission or onboarding is incomplete").
 */
import { randomUUID } from 'node:crypto';
import { CredentialsError, type AmazonCatalogClient, type StatusResult } from '../../adapters/amazonCatalog';
import { catalogApiFromConfig, type CatalogApiConfig } from '../../adapters/amazonCatalog/fromConfig';
import { CHECKS, messageOf, ok, problem, type CheckRow } from './checkRow';

const CHECK = CHECKS.catalogApi;

export async function checkCatalogApi(input: {
  config: CatalogApiConfig;
  env: NodeJS.ProcessEnv;
  /** Tests: a client of their own instead of the configured one. */
  client?: AmazonCatalogClient;
}): Promise<CheckRow> {
  const endpoint = input.config.CATALOG_API_ENDPOINT;
  if (!endpoint && !input.client) {
    return problem(
      CHECK,
      'CATALOG_API_ENDPOINT is not set',
      'set it to the Catalog API base URL Amazon gave at onboarding (infra: parameter CatalogApiEndpoint)',
    );
  }
  let client: AmazonCatalogClient;
  try {
    client = input.client ?? catalogApiFromConfig(input.config, input.env);
  } catch (err) {
    return problem(
      CHECK,
      messageOf(err),
      err instanceof CredentialsError
        ? 'set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither (the task role is then used)'
        : 'check CATALOG_API_ENDPOINT and CATALOG_API_REGION',
    );
  }
  const ingestionId = `jwo-connectivity-test-${randomUUID()}`;
  return interpretStatusProbe(await client.getUploadStatus(ingestionId), {
    endpoint: endpoint ?? '(test client)',
    roleArn: input.config.CATALOG_API_ROLE_ARN,
  });
}

/** What Get Catalog Upload Status for an unknown ingestion id says about the link. Pure. */
export function interpretStatusProbe(result: StatusResult, context: { endpoint: string; roleArn?: string }): CheckRow {
  const signer = context.roleArn ? `the role ${context.roleArn}` : 'the base credentials (CATALOG_API_ROLE_ARN unset)';
  if (result.kind === 'ok') {
    return ok(CHECK, `signed with ${signer}: answered 200 (${result.processingStatus}) for a random ingestion id`);
  }
  const { status, errorMsg } = result;
  if (status === 400) {
    const documented = /not associated|InvalidRequestException/i.test(errorMsg);
    return ok(
      CHECK,
      `signed with ${signer}: ${documented ? 'the documented' : 'a'} 400 for an unknown ingestion id ("${errorMsg}"): ` +
        'signing, IAM role and allow-list work',
    );
  }
  if (status === 403) return forbidden(errorMsg, context.roleArn);
  if (status === null) {
    if (/^no AWS credentials: .*AssumeRole/.test(errorMsg)) {
      return problem(
        CHECK,
        `cannot assume CATALOG_API_ROLE_ARN: ${errorMsg.replace(/^no AWS credentials: /, '')}`,
        "the onboarding role must trust this task's role (JwoOnboarding's ConnectorTaskRoleArn = JwoConnector's " +
          'WorkerTaskRoleArn) and the task role must be allowed sts:AssumeRole on it: run this in a worker task',
      );
    }
    if (/^no AWS credentials/.test(errorMsg)) {
      return problem(
        CHECK,
        errorMsg,
        'run this where the worker runs (its ECS task role), or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      );
    }
    return problem(
      CHECK,
      `no answer from ${context.endpoint}: ${errorMsg}`,
      'check CATALOG_API_ENDPOINT and that this host can reach it over HTTPS (private subnets: through the NAT gateway)',
    );
  }
  if (status === 429) return problem(CHECK, `throttled (429): ${errorMsg}`, 'run the test again in a few seconds');
  if (status === 404) {
    return problem(CHECK, `404: ${errorMsg}`, 'CATALOG_API_ENDPOINT must be the base URL Amazon gave, stage included');
  }
  return problem(
    CHECK,
    `answered ${status}: ${errorMsg}`,
    status >= 500 ? "Amazon's side failed: run again later, then ask Amazon" : 'unexpected answer: ask Amazon',
  );
}

/** A 403, read for which of the keys, the role's permission or the onboarding is missing. */
function forbidden(errorMsg: string, roleArn: string | undefined): CheckRow {
  const seen = `403: ${errorMsg}`;
  if (/signature .*does not match|security token .*invalid|UnrecognizedClient|InvalidClientTokenId/i.test(errorMsg)) {
    return problem(
      CHECK,
      `Amazon refused the signature or the keys (${seen})`,
      roleArn
        ? "the assumed role's keys were refused: check CATALOG_API_REGION and that the role is in the account onboarded with Amazon"
        : 'the keys are wrong: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or unset them to use the task role), ' +
            'and set CATALOG_API_ROLE_ARN to the onboarding role (output CatalogApiRoleArn)',
    );
  }
  if (/Credential should be scoped/i.test(errorMsg)) {
    return problem(CHECK, seen, "set CATALOG_API_REGION to the region of Amazon's endpoint");
  }
  if (/explicit deny/i.test(errorMsg)) {
    return problem(
      CHECK,
      `Amazon's API policy denies this account (${seen})`,
      'the onboarding is incomplete: register this AWS account id in the Merchant Portal (Catalog API Setup) ' +
        'and wait until Amazon has allow-listed it',
    );
  }
  if (/not authorized to perform: execute-api:Invoke/i.test(errorMsg)) {
    return problem(
      CHECK,
      `the role may not invoke Amazon's API (${seen})`,
      "the role needs execute-api:Invoke on Amazon's API ARN (JwoOnboarding parameter AmazonApiArn); if it has it, " +
        'the account is not allow-listed yet: finish the onboarding in the Merchant Portal',
    );
  }
  if (/Missing Authentication Token/i.test(errorMsg)) {
    return problem(
      CHECK,
      seen,
      'API Gateway says this for unsigned requests and unknown paths: CATALOG_API_ENDPOINT must be the base URL Amazon gave, stage included',
    );
  }
  return problem(
    CHECK,
    seen,
    roleArn
      ? "one of these is missing: the role's execute-api:Invoke permission on Amazon's API ARN (AmazonApiArn), " +
          'or the onboarding (this AWS account allow-listed in the Merchant Portal)'
      : 'CATALOG_API_ROLE_ARN is not set: set it to the onboarding role (output CatalogApiRoleArn); ' +
          "that role needs execute-api:Invoke on Amazon's API ARN and its account must be onboarded in the Merchant Portal",
  );
}
