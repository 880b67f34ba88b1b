/**
 * Operator commands talk to the running connector's operator API (never to its database
 * directly: the embedded database belongs to one process). JWO_API_URL and JWO_OPERATOR_KEY say
 * where and how; the defaults fit `npm start`.
 */
import { StartupError } from '../../startup';

export interface OpsClient {
  get<T = any>(path: string): Promise<T>;
  post<T = any>(path: string, body?: unknown): Promise<T>;
}

export class OpsError extends StartupError {
  constructor(message: string) {
    super(message);
    this.name = 'OpsError';
  }
}

export function opsClient(env: NodeJS.ProcessEnv = process.env): OpsClient {
  const base = (env.JWO_API_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const key = env.JWO_OPERATOR_KEY ?? 'demo-operator-key';
  const call = async (method: string, path: string, body?: unknown) => {
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { 'x-operator-key': key, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new OpsError(
        `cannot reach the connector at ${base} (${(err as Error).cause ?? (err as Error).message}): is it running? Set JWO_API_URL to its address.`,
      );
    }
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new OpsError(`${method} ${path} answered ${response.status}: ${parsed?.message ?? text}`);
    return parsed;
  };
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}
