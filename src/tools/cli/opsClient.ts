/**
 * Operator commands talk to the running connector's operator API (never to its database
 * directly: the embedded database belongs to one process). JWO_API_URL says where; the credential
 * is JWO_OPERATOR_KEY (a key of OPERATOR_KEYS) or JWO_OPERATOR_TOKEN (an identity-provider token,
 * sent as a bearer token). With neither, the demo operator key is used only if the connector says
 * it runs in demo mode (GET /readyz answers `demoMode: true`); otherwise the command stops and
 * says what to set. The acting operator is whoever the credential names: JWO_OPERATOR is not needed.
 */
import { DEMO_SECRETS } from '../../config';
import { StartupError } from '../../startup';

export interface OpsClient {
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
  put<T = any>(path: string, body?: unknown): Promise<T>;
  patch<T = any>(path: string, body?: unknown): Promise<T>;
  delete<T = any>(path: string): Promise<T>;
}

export class OpsError extends StartupError {
  constructor(message: string) {
    super(message);
    this.name = 'OpsError';
  }
}

/** A secret for display: all but its last 4 characters masked. */
export function maskSecret(secret: string | undefined): string {
  if (!secret) return '(none)';
  const shown = secret.length > 8 ? secret.slice(-4) : '';
  return `${'*'.repeat(Math.max(4, secret.length - shown.length))}${shown}`;
}

export const apiUrlOf = (env: NodeJS.ProcessEnv) => (env.JWO_API_URL ?? 'http://localhost:3000').replace(/\/$/, '');

const unreachable = (base: string, err: unknown) =>
  new OpsError(
    `cannot reach the connector at ${base} (${(err as Error).cause ?? (err as Error).message}): is it running? Set JWO_API_URL to its address.`,
  );

/** Whether the connector at `base` runs in demo mode (its /readyz says so; 503 still carries the field). */
export async function connectorInDemoMode(base: string): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) });
  } catch (err) {
    throw unreachable(base, err);
  }
  const body = (await response.json().catch(() => null)) as { demoMode?: unknown } | null;
  return body?.demoMode === true;
}

/** The headers carrying the operator credential: from the environment, or the demo key against a demo. */
export async function operatorHeaders(
  base: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Record<string, string>> {
  if (env.JWO_OPERATOR_KEY) return { 'x-operator-key': env.JWO_OPERATOR_KEY };
  if (env.JWO_OPERATOR_TOKEN) return { authorization: `Bearer ${env.JWO_OPERATOR_TOKEN}` };
  if (await connectorInDemoMode(base)) return { 'x-operator-key': DEMO_SECRETS.OPERATOR_API_KEYS };
  throw new OpsError(
    `no operator credential: set JWO_OPERATOR_KEY (your key from OPERATOR_KEYS) or JWO_OPERATOR_TOKEN (a token of your identity provider); the connector at ${base} is not in demo mode, so the demo key is not tried`,
  );
}

/** The operator key for tools that only speak x-operator-key (checklist, simulator). */
export async function operatorKey(base: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const headers = await operatorHeaders(base, env);
  return headers['x-operator-key'] ?? headers.authorization.replace(/^Bearer /, '');
}

export function opsClient(env: NodeJS.ProcessEnv = process.env): OpsClient {
  const base = apiUrlOf(env);
  let credential: Promise<Record<string, string>> | null = null;
  const call = async (method: string, path: string, body?: unknown) => {
    const headers = await (credential ??= operatorHeaders(base, env));
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw unreachable(base, err);
    }
    const text = await response.text();
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw new OpsError(`${method} ${path} answered ${response.status}: ${parsed?.message ?? text}`);
    return parsed;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
    patch: (path, body) => call('PATCH', path, body),
    delete: (path) => call('DELETE', path),
  };
}
