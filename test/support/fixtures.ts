/** Shoppers, stores and requests shaped like Amazon's test cases (jwo-api.md §1 and §2). */
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../../src/adapters/db/database';
import { upsertShopper, upsertStore, type NewShopper } from '../../src/adapters/identity/identityStore';
import { issueScanKeyFor } from '../../src/application/issueScanKey';
import { createRecognitionToken } from '../../src/adapters/identity/identityStore';
import { issueScanKey, newRecognitionToken } from '../../src/domain/scanKey';
import { parseMacKeys, type ScanKeySettings } from '../../src/domain/scanKey';
import type { Config } from '../../src/config';

export const STORE_ID = 'STORE-001';

export function scanKeySettings(config: Config): ScanKeySettings {
  return {
    prefix: config.SCAN_KEY_PREFIX,
    keys: parseMacKeys(config.SCAN_KEY_MAC_KEYS),
    windowSeconds: config.SCAN_KEY_WINDOW_SECONDS,
  };
}

export async function seedStore(
  db: Queryable,
  overrides: Partial<{ storeId: string; preauthAmountMinor: number; currency: string }> = {},
): Promise<void> {
  await upsertStore(db, {
    storeId: STORE_ID,
    name: 'Test Store',
    retailerId: 'retailer-1',
    currency: 'USD',
    taxInclusive: false,
    preauthAmountMinor: 5000,
    ...overrides,
  });
}

export async function seedShopper(
  db: Queryable,
  overrides: Partial<NewShopper> = {},
): Promise<NewShopper & { shopperId: string }> {
  const shopper: NewShopper = {
    shopperId: `shopper-${randomUUID().slice(0, 8)}`,
    displayName: 'Test Shopper',
    visitorType: 'SHOPPER',
    paymentToken: 'tok_visa',
    paymentExpiry: '2099-12',
    ...overrides,
  };
  await upsertShopper(db, shopper);
  return shopper;
}

export async function scanKeyFor(db: Queryable, config: Config, shopperId: string, at = new Date()): Promise<string> {
  return (await issueScanKeyFor(db, scanKeySettings(config), shopperId, at)).code;
}

export function identityKeysRequest(
  code: string,
  overrides: Record<string, unknown> = {},
  at = new Date(),
): Record<string, any> {
  return {
    requestId: randomUUID(),
    identityKey: Buffer.from(code).toString('base64'),
    storeId: STORE_ID,
    authEvent: { id: randomUUID(), timestamp: at.toISOString().replace(/\.\d{3}Z$/, 'Z'), location: 'ENTRY' },
    keyChannel: 'OPTICAL',
    ...overrides,
  };
}

export async function post(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'x-api-key': 'demo-connector-key' },
) {
  const response = await fetch(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A shopper goes through the gate: returns the auth event Amazon will send back with the cart. */
export async function enterStore(
  url: string,
  db: Queryable,
  config: Config,
  shopperId: string,
): Promise<{
  id: string;
  timestamp: string;
  location: string;
  payloadType: string;
  scanResult: { id: string; type: string };
}> {
  const request = identityKeysRequest(await scanKeyFor(db, config, shopperId));
  const answer = await post(url, '/v1/identity/identity-keys', request);
  if (answer.status !== 200) throw new Error(`gate answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return {
    ...request.authEvent,
    payloadType: 'SCAN_CODE',
    scanResult: { id: answer.body.visitorDetails.id, type: answer.body.visitorDetails.type },
  };
}

export function purchaseRequest(
  authEvents: unknown[],
  cartItems: unknown[],
  overrides: Record<string, unknown> = {},
): Record<string, any> {
  const end = new Date();
  return {
    requestId: randomUUID(),
    idempotentShoppingTripId: randomUUID(),
    storeId: STORE_ID,
    shoppingTrip: {
      startTime: new Date(end.getTime() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      endTime: end.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      authEvents,
    },
    cartItems,
    ...overrides,
  };
}

export const item = (id: string, value = '1.0', unit = 'unit', extra: Record<string, unknown> = {}) => ({
  id,
  type: 'SKU',
  quantity: { value, unit },
  ...extra,
});

export async function getJson(
  url: string,
  path: string,
  headers: Record<string, string> = { 'x-operator-key': 'demo-operator-key' },
) {
  const response = await fetch(url + path, { headers });
  return { status: response.status, body: (await response.json()) as any };
}

/** A code issued without the app backend's pre-validation: what a shopper still holds when their account changes. */
export async function rawScanKeyFor(
  db: Queryable,
  config: Config,
  shopperId: string,
  at = new Date(),
): Promise<string> {
  const token = newRecognitionToken();
  const issuedAt = new Date(Math.floor(at.getTime() / 1000) * 1000);
  await createRecognitionToken(
    db,
    token,
    shopperId,
    issuedAt,
    new Date(issuedAt.getTime() + config.SCAN_KEY_WINDOW_SECONDS * 1000),
  );
  return issueScanKey(scanKeySettings(config), token, issuedAt);
}

/** The app's sign-in (POST /app/v1/sessions): the Authorization header of a session for `appToken`. */
export async function appSession(url: string, appToken: string): Promise<{ authorization: string }> {
  const answer = await post(url, '/app/v1/sessions', { appToken }, {});
  if (answer.status !== 201) throw new Error(`sign-in refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return { authorization: `Bearer ${answer.body.sessionToken}` };
}
