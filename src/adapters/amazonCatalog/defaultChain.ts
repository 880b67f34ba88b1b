/**
 * Base credentials from the AWS SDK's default provider chain, for hosts that carry no keys in the
 * environment: a shared profile (AWS_PROFILE), web identity (EKS), the ECS container credentials
 * endpoint (a Fargate task role) or the EC2 instance profile. The SDK caches what it gets and
 * fetches again five minutes before temporary keys expire.
 */
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { CredentialsError, type CredentialsProvider } from './credentials';

/** What the SDK's chain is: a function resolving to keys, with an optional expiration. */
export type SdkCredentialsProvider = () => Promise<{
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}>;

export function defaultChainCredentials(chain: SdkCredentialsProvider = defaultProvider()): CredentialsProvider {
  return async () => {
    try {
      const { accessKeyId, secretAccessKey, sessionToken } = await chain();
      return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
    } catch (err) {
      const message = (err as Error).message;
      // The end of the chain (no source at all) needs a human; a source that failed (the container
      // endpoint, the instance metadata service) may answer on the next attempt.
      const noSource = /could not load credentials from any providers/i.test(message);
      throw new CredentialsError(
        noSource
          ? `none found in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile, an ECS task role or an instance profile (${message})`
          : `AWS credentials from the default chain failed: ${message}`,
        !noSource,
      );
    }
  };
}
