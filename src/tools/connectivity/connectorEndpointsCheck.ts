/**
 * Our two connector endpoints through the public URL, as Amazon reaches them: each must answer a
 * deliberately invalid request carrying the connector key with 400 (reachable, TLS valid, key
 * accepted, request validated) and the same request without a key with 401. Neither request can
 * let anyone in or create a purchase; the keyless one counts in jwo_caller_auth_failures_total.
 */
import { CHECKS, messageOf, ok, problem, type CheckRow } from './checkRow';

export const CONNECTOR_ENDPOINTS = [
  { check: CHECKS.identityConnector, path: '/v1/identity/identity-keys' },
  { check: CHECKS.orderingConnector, path: '/v1/order/purchases' },
] as const;

export interface EndpointProbeInput {
  publicUrl: string;
  /** CONNECTOR_AUTH_HEADER. */
  authHeader: string;
  key: string;
  /** Where the key came from, for the fix text (JWO_CONNECTOR_KEY, CONNECTOR_API_KEYS). */
  keySource: string;
  fetchImpl?: typeof fetch;
  timeoutMs?: number;
}

type Probe = { kind: 'response'; status: number; body: string } | { kind: 'error'; message: string; code?: string };

export async function checkConnectorEndpoints(input: EndpointProbeInput): Promise<CheckRow[]> {
  let base: URL;
  try {
    base = new URL(input.publicUrl);
  } catch {
    return CONNECTOR_ENDPOINTS.map(({ check }) =>
      problem(check, `not a URL: ${input.publicUrl}`, 'pass --public-url https://<host> (or set JWO_API_URL)'),
    );
  }
  return Promise.all(
    CONNECTOR_ENDPOINTS.map(async ({ check, path }) => {
      const url = new URL(path, base).toString();
      const [withKey, withoutKey] = await Promise.all([
        probe(url, { [input.authHeader]: input.key }, input),
        probe(url, {}, input),
      ]);
      return interpretEndpointProbes(check, url, withKey, withoutKey, input);
    }),
  );
}

async function probe(url: string, headers: Record<string, string>, input: EndpointProbeInput): Promise<Probe> {
  try {
    const response = await (input.fetchImpl ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: '{}',
      signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
    });
    return { kind: 'response', status: response.status, body: (await response.text()).slice(0, 200) };
  } catch (err) {
    // undici keeps the reason (ENOTFOUND, ECONNREFUSED, CERT_HAS_EXPIRED, …) in `cause`.
    const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
    const code = typeof cause?.code === 'string' ? cause.code : undefined;
    const detail = typeof cause?.message === 'string' ? `: ${cause.message}` : '';
    return { kind: 'error', message: `${messageOf(err)}${detail}`, code };
  }
}

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/i;

/** Both answers of one endpoint, read for what to fix. Pure. */
export function interpretEndpointProbes(
  check: string,
  url: string,
  withKey: Probe,
  withoutKey: Probe,
  input: Pick<EndpointProbeInput, 'authHeader' | 'keySource'>,
): CheckRow {
  if (withKey.kind === 'error') {
    if (withKey.code && TLS_CODES.test(withKey.code)) {
      return problem(
        check,
        `TLS failed for ${url}: ${withKey.message}`,
        "the certificate (JwoConnector parameter CertificateArn) must be valid and issued for the public URL's host",
      );
    }
    if (withKey.code === 'ENOTFOUND' || withKey.code === 'EAI_AGAIN') {
      return problem(
        check,
        `host not found: ${withKey.message}`,
        'point the host name at the load balancer (JwoConnector output LoadBalancerDnsName)',
      );
    }
    return problem(
      check,
      `no answer from ${url}: ${withKey.message}`,
      "check --public-url, the load balancer's HTTPS listener and that the API service runs",
    );
  }
  if (withKey.status === 401) {
    return problem(
      check,
      `the key was refused (401 with ${input.authHeader} from ${input.keySource})`,
      `the key must be one of the connector's CONNECTOR_API_KEYS (secret ConnectorApiKeysSecretName), sent in ` +
        `CONNECTOR_AUTH_HEADER; the API reads the secret at start: restart it after a change`,
    );
  }
  if (withKey.status === 404) {
    return problem(
      check,
      `${url} answered 404`,
      "--public-url must be the connector's base URL (no path); the load balancer must route /v1/* to the API",
    );
  }
  if ([502, 503, 504].includes(withKey.status)) {
    return problem(
      check,
      `${url} answered ${withKey.status}`,
      'the load balancer has no healthy API task: look at the API service and its logs (alarm ApiUnhealthy)',
    );
  }
  if (withKey.status !== 400) {
    return problem(
      check,
      `an invalid request with the key answered ${withKey.status}, not 400: ${withKey.body}`,
      'is --public-url the connector? Its endpoints answer an invalid request with 400',
    );
  }
  if (withoutKey.kind === 'error' || withoutKey.status !== 401) {
    const seen = withoutKey.kind === 'error' ? withoutKey.message : `answered ${withoutKey.status}`;
    return problem(
      check,
      `a request without a key ${seen}, not 401`,
      'the endpoint must refuse callers without the connector key: check what sits in front of the API',
    );
  }
  return ok(check, `${url}: 400 with the key (reachable, TLS valid, key accepted), 401 without`);
}
