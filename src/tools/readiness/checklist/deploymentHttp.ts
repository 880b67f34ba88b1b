/** Plain HTTP to the deployment under check; any failure to get an answer becomes one readable error. */

export interface Deployment {
  /** e.g. http://localhost:3000 */
  apiUrl: string;
  operatorKey: string;
  /** Per request; a deployment that hangs must not hang the checklist. */
  timeoutMs?: number;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export class DeploymentUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentUnreachableError';
  }
}

export async function callDeployment(
  deployment: Deployment,
  request: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; json?: unknown },
): Promise<HttpAnswer> {
  const url = deployment.apiUrl.replace(/\/$/, '') + request.path;
  const timeoutMs = deployment.timeoutMs ?? 5000;
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: { ...(request.json === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: response.status, body: await response.text() };
  } catch (err) {
    const error = err as Error & { cause?: Error };
    const why =
      error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (error.cause?.message ?? error.message);
    throw new DeploymentUnreachableError(`cannot reach ${url}: ${why}`);
  }
}

/** The parsed JSON body, or undefined when the body is not JSON. */
export function jsonBody(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.body);
  } catch {
    return undefined;
  }
}
