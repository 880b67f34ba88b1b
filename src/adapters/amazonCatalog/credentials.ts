/**
 * Where the SigV4 signing keys come from. A provider is a function so that short-lived keys
 * (an assumed IAM role) can be refreshed transparently between calls.
 */
import { z } from 'zod';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present for temporary credentials (STS); sent as X-Amz-Security-Token. */
  sessionToken?: string;
}

export type CredentialsProvider = () => Promise<AwsCredentials>;

/**
 * Thrown by providers that fail to produce credentials. `retryable` tells callers whether the
 * failure is worth another attempt (STS unreachable) or needs a human (role not assumable).
 */
export class CredentialsError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'CredentialsError';
  }
}

const envSchema = z.object({
  AWS_ACCESS_KEY_ID: z.string().min(1),
  AWS_SECRET_ACCESS_KEY: z.string().min(1),
  // An empty session token is treated as absent (shells often export it empty).
  AWS_SESSION_TOKEN: z.string().optional(),
});

/**
 * Static credentials from the environment, checked once when the provider is built so a missing
 * variable stops start-up with its name instead of failing the first catalog upload.
 */
export function envCredentials(env: Record<string, string | undefined> = process.env): CredentialsProvider {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new CredentialsError(`AWS credentials missing or empty in the environment: ${names}`, false);
  }
  const credentials: AwsCredentials = {
    accessKeyId: parsed.data.AWS_ACCESS_KEY_ID,
    secretAccessKey: parsed.data.AWS_SECRET_ACCESS_KEY,
    ...(parsed.data.AWS_SESSION_TOKEN ? { sessionToken: parsed.data.AWS_SESSION_TOKEN } : {}),
  };
  return async () => credentials;
}

/**
 * The credentials catalog calls start from (before the assumed role, if any): the
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY pair when either is set, checked at once as before, else
 * the AWS SDK's default chain (`fallback`), which finds an ECS task role or an instance profile.
 */
export function baseCredentials(
  env: Record<string, string | undefined>,
  fallback: () => CredentialsProvider,
): CredentialsProvider {
  return env.AWS_ACCESS_KEY_ID || env.AWS_SECRET_ACCESS_KEY ? envCredentials(env) : fallback();
}
