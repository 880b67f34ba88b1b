/**
 * Credentials of an assumed IAM role (the way Amazon's samples reach the Catalog API:
 * `sts.assume_role(RoleArn=CATALOG_API_ROLE_ARN)`), via the STS Query API so no AWS SDK is
 * needed. Keys are cached and refreshed five minutes before they expire; concurrent callers
 * share one STS call.
 */
import { CredentialsError, type AwsCredentials, type CredentialsProvider } from './credentials';
import { sendSigned } from './signedFetch';

export interface AssumeRoleOptions {
  roleArn: string;
  sessionName: string;
  /** Credentials allowed to call sts:AssumeRole on the role. */
  base: CredentialsProvider;
  region: string;
  /** Default `https://sts.<region>.amazonaws.com` (the regional endpoint). */
  stsEndpoint?: string;
  /** Default 3600, the largest a role allows unless its maximum session duration was raised. */
  durationSeconds?: number;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export interface TemporaryCredentials extends AwsCredentials {
  sessionToken: string;
  expiration: Date;
}

const REFRESH_BEFORE_EXPIRY_MS = 5 * 60 * 1000;
const STS_API_VERSION = '2011-06-15';

export function assumeRoleCredentials(options: AssumeRoleOptions): CredentialsProvider {
  const now = options.now ?? Date.now;
  let cached: TemporaryCredentials | undefined;
  let inFlight: Promise<TemporaryCredentials> | undefined;

  return async () => {
    if (cached && now() < cached.expiration.getTime() - REFRESH_BEFORE_EXPIRY_MS) return cached;
    inFlight ??= callAssumeRole(options).finally(() => {
      inFlight = undefined;
    });
    cached = await inFlight;
    return cached;
  };
}

async function callAssumeRole(options: AssumeRoleOptions): Promise<TemporaryCredentials> {
  const endpoint = (options.stsEndpoint ?? `https://sts.${options.region}.amazonaws.com`).replace(/\/+$/, '');
  const body = new URLSearchParams({
    Action: 'AssumeRole',
    Version: STS_API_VERSION,
    RoleArn: options.roleArn,
    RoleSessionName: options.sessionName,
    DurationSeconds: String(options.durationSeconds ?? 3600),
  }).toString();

  const outcome = await sendSigned(
    {
      url: `${endpoint}/`,
      method: 'POST',
      body,
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
      service: 'sts',
      region: options.region,
      credentials: await options.base(),
    },
    { fetchImpl: options.fetchImpl ?? fetch, timeoutMs: options.timeoutMs ?? 10_000 },
  );
  if (outcome.kind === 'network-error') {
    throw new CredentialsError(`AssumeRole ${options.roleArn} failed: ${outcome.message}`, true);
  }
  if (outcome.status !== 200) {
    const code = xmlText(outcome.text, 'Code') ?? `HTTP ${outcome.status}`;
    const message = xmlText(outcome.text, 'Message') ?? outcome.text.slice(0, 200);
    // Throttling and STS outages pass; a denied or unknown role does not fix itself.
    const retryable = outcome.status >= 500 || outcome.status === 429 || code === 'Throttling';
    throw new CredentialsError(`AssumeRole ${options.roleArn} failed: ${code}: ${message}`, retryable);
  }
  return parseAssumeRoleResponse(outcome.text);
}

/** Reads the four credential fields of an AssumeRoleResponse document; throws if one is missing. */
export function parseAssumeRoleResponse(xml: string): TemporaryCredentials {
  const credentialsBlock = xmlText(xml, 'Credentials') ?? '';
  const field = (name: string): string => {
    const value = xmlText(credentialsBlock, name);
    if (!value) throw new CredentialsError(`AssumeRole response has no Credentials/${name}`, false);
    return value;
  };
  const expiration = new Date(field('Expiration'));
  if (Number.isNaN(expiration.getTime())) {
    throw new CredentialsError(`AssumeRole response has an unreadable Expiration "${field('Expiration')}"`, false);
  }
  return {
    accessKeyId: field('AccessKeyId'),
    secretAccessKey: field('SecretAccessKey'),
    sessionToken: field('SessionToken'),
    expiration,
  };
}

/**
 * The text of the first `<name>` element (namespace prefixes allowed), with the five XML entities
 * decoded. STS documents are small and flat, which is why a regex is enough here.
 */
function xmlText(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:[\\w-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${name}>`).exec(xml);
  return match ? decodeXmlEntities(match[1].trim()) : undefined;
}

function decodeXmlEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_, entity: string) => XML_ENTITIES[entity]);
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' };
