/**
 * The connector as the simulator and the load test reach it: over HTTP only, with the credentials
 * each caller really has (Amazon's connector key, a shopper's app token, the operator key). A
 * shopper signs in with the app token for a session, as the app does, and reuses it until shortly
 * before it expires.
 */
export interface ConnectorAddress {
  apiUrl: string;
  operatorKey: string;
  connectorKey: string;
  /** The header Amazon sends its key in (the connector's CONNECTOR_AUTH_HEADER). */
  connectorAuthHeader: string;
}

export interface HttpAnswer {
  status: number;
  body: any;
}

export class ConnectorError extends Error {
  constructor(
    message: string,
    /** The HTTP status, or null when the connector could not be reached. */
    readonly status: number | null,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** One JSON request; network failures and timeouts throw, every HTTP status is an answer. */
export async function callJson(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: unknown; timeoutMs?: number },
): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: init.method,
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: AbortSignal.timeout(init.timeoutMs ?? 30_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy's error page): keep the text for the message.
  }
  return { status: response.status, body };
}

export interface ConnectorClient {
  /** Operator API; anything but 2xx throws, naming the call. */
  ops<T = any>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
  /**
   * A code for `storeId` (signed with that store's Customer Prefix when it has its own), asked with
   * the shopper's session; a refused sign-in is answered as it came.
   */
  issueScanKey(appToken: string, storeId?: string): Promise<HttpAnswer>;
  verifyIdentityKeys(request: unknown): Promise<HttpAnswer>;
  createPurchase(request: unknown, timeoutMs?: number): Promise<HttpAnswer>;
}

/** Sign in again this long before the session expires, so no call carries one about to lapse. */
const SESSION_RENEW_BEFORE_MS = 60_000;

export function connectorClient(address: ConnectorAddress): ConnectorClient {
  const base = address.apiUrl.replace(/\/$/, '');
  const amazon = { [address.connectorAuthHeader]: address.connectorKey };
  // Per app token: the sign-in in flight or done, so a shopper's concurrent visits sign in once.
  const sessions = new Map<string, Promise<HttpAnswer>>();
  const signIn = (appToken: string): Promise<HttpAnswer> => {
    const cached = sessions.get(appToken);
    if (cached) return cached;
    const answer = callJson(`${base}/app/v1/sessions`, { method: 'POST', body: { appToken } });
    sessions.set(appToken, answer);
    answer.then(
      (signedIn) => {
        const renewIn = Date.parse(signedIn.body?.expiresAt) - Date.now() - SESSION_RENEW_BEFORE_MS;
        // A refusal or a short session is not kept: the next visit signs in again.
        if (signedIn.status !== 201 || !(renewIn > 0)) sessions.delete(appToken);
        else setTimeout(() => sessions.delete(appToken), renewIn).unref();
      },
      () => sessions.delete(appToken),
    );
    return answer;
  };
  return {
    async ops(method, path, body) {
      let answer: HttpAnswer;
      try {
        answer = await callJson(base + path, { method, headers: { 'x-operator-key': address.operatorKey }, body });
      } catch (err) {
        throw new ConnectorError(
          `cannot reach the connector at ${base} (${(err as Error).cause ?? (err as Error).message}): is it running?`,
          null,
        );
      }
      if (answer.status < 200 || answer.status > 299)
        throw new ConnectorError(
          `${method} ${path} answered ${answer.status}: ${answer.body?.message ?? JSON.stringify(answer.body)}`,
          answer.status,
        );
      return answer.body;
    },
    async issueScanKey(appToken, storeId) {
      const signedIn = await signIn(appToken);
      if (signedIn.status !== 201) return signedIn;
      return callJson(`${base}/app/v1/scan-keys${storeId ? `?store=${encodeURIComponent(storeId)}` : ''}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${signedIn.body.sessionToken}` },
      });
    },
    verifyIdentityKeys: (request) =>
      callJson(`${base}/v1/identity/identity-keys`, { method: 'POST', headers: amazon, body: request }),
    createPurchase: (request, timeoutMs) =>
      callJson(`${base}/v1/order/purchases`, { method: 'POST', headers: amazon, body: request, timeoutMs }),
  };
}
