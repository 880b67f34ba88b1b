/**
 * Hostile input (issue 13), over real HTTP against a running stack on PostgreSQL (the database that
 * refuses NUL): generated bodies, headers and path ids on the Amazon endpoints, the app and the
 * operator API. Whatever arrives: no 5xx, an unauthenticated caller gets 401, a refused request
 * writes no row, and the server still answers afterwards. Then the three reported cases, explicitly.
 */
import { randomUUID } from 'node:crypto';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { MAX_AUTH_EVENTS, MAX_CART_LINES } from '../../src/api/purchases/schema';
import { UNSAFE_TEXT_REASON } from '../../src/api/validation';
import { appSession, identityKeysRequest, item, post, purchaseRequest, scanKeyFor } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

const GATE = '/v1/identity/identity-keys';
const PURCHASES = '/v1/order/purchases';
const CONNECTOR_KEY = 'demo-connector-key';
const OPERATOR_KEY = 'demo-operator-key';
/** Tables a request may write to; only an accepted request (or a recorded gate decision) may add rows. */
const TABLES = ['gate_decisions', 'purchases', 'recognition_tokens', 'load_test_runs', 'shoppers'] as const;

let stack: TestStack;
const objectPrototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  stack = await startTestStack({ dbKind: 'postgres', env: { GATE_RATE_LIMIT_PER_STORE: '100000' } });
  await seedDemoStore(stack.db);
});
afterAll(() => stack?.close());

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/** An object with `entries` as own enumerable properties, "__proto__" included (JSON.stringify sends it). */
function own(entries: [string, unknown][]): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const hostileString = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\uD800',
    '\uDC00',
    'x\uDFFF\uD800y',
    '\uD83D',
    '\uFEFF',
    '\uFFFF',
    '__proto__',
    'constructor',
    '',
    ' ',
    "'; DROP TABLE purchases; --",
    '${jndi:ldap://x}',
    '1.0',
    '0',
    '-1',
    'NaN',
  ),
  fc.string({ unit: anyCodeUnit, maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 250, max: 5000 }).map((n) => 'x'.repeat(n)),
);
const hostileNumber = fc.oneof(
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 5e-324, 0, -1, 1.5, 1e21),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const prototypeKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty');
const pollution = fc
  .array(fc.tuple(prototypeKeys, fc.constantFrom<unknown>({ polluted: 'yes' }, own([['polluted', 'yes']]), 'yes', 1)), {
    minLength: 1,
    maxLength: 3,
  })
  .map(own);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 6 },
  { arbitrary: hostileNumber, weight: 2 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}), weight: 2 },
  { arbitrary: pollution, weight: 2 },
  { arbitrary: fc.integer({ min: 2, max: 3000 }).map(nested), weight: 1 },
  { arbitrary: fc.array(hostileString, { maxLength: 4 }), weight: 1 },
);

type Json = Record<string, any>;
type Mutation = { at: number; op: 'set' | 'delete' | 'addKey' | 'repeat'; value: unknown; key: string; times: number };

/** Every path (objects and leaves) of a template, so a mutation can hit any field. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, Array.isArray(value) ? +k : k]));
  return [prefix, ...children];
}

function mutate(template: Json, mutations: Mutation[]): unknown {
  let body: any = structuredClone(template);
  const paths = pathsOf(template);
  for (const generated of mutations) {
    // A fresh copy (JSON.parse keeps "__proto__" as an own key): generated values may be shared.
    const m = { ...generated, value: JSON.parse(JSON.stringify(generated.value) ?? 'null') as unknown };
    const path = paths[m.at % paths.length];
    if (path.length === 0) {
      if (m.op === 'set') body = m.value;
      else if (m.op === 'addKey' && body !== null && typeof body === 'object')
        Object.defineProperty(body, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      continue;
    }
    let parent = body;
    for (const key of path.slice(0, -1)) {
      if (parent === null || typeof parent !== 'object') break;
      parent = parent[key];
    }
    if (parent === null || typeof parent !== 'object') continue;
    const last = path[path.length - 1];
    if (m.op === 'set') parent[last] = m.value;
    else if (m.op === 'delete') delete parent[last];
    else if (m.op === 'repeat' && Array.isArray(parent[last]))
      parent[last] = Array.from({ length: m.times }, (_, i) => parent[last][i % Math.max(1, parent[last].length)]);
    else if (parent[last] !== null && typeof parent[last] === 'object')
      Object.defineProperty(parent[last], m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return body;
}

const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Mutation['op']>('set', 'set', 'set', 'delete', 'addKey', 'repeat'),
  value: hostileValue,
  key: fc.oneof(prototypeKeys, hostileString),
  times: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom(51, 501, 3000)),
});

type Encoding =
  'none' | 'gzip' | 'br' | 'gzip-lie' | 'deflate-lie' | 'br-lie' | 'gzip-truncated' | 'unknown' | 'identity';
type Credentials = 'valid' | 'missing' | 'wrong';
interface HostileRequest {
  credentials: Credentials;
  contentType: string | null;
  encoding: Encoding;
  body: string | Buffer;
}

/** The body: mostly the endpoint's valid request with hostile mutations, then every other shape. */
function bodies(template: fc.Arbitrary<Json>): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(template, fc.array(mutation, { minLength: 0, maxLength: 3 }))
        .map(([t, ms]) => JSON.stringify(mutate(t, ms)) ?? ''),
      weight: 70,
    },
    { arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''), weight: 6 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 5 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)), weight: 3 },
    {
      arbitrary: fc
        .tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.boolean())
        .map(([n, arrays]) => (arrays ? '['.repeat(n) + ']'.repeat(n) : '{"a":'.repeat(n) + '1' + '}'.repeat(n))),
      weight: 3,
    },
    {
      arbitrary: template.map((t) =>
        JSON.stringify(t).replace(
          /^\{/,
          '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},',
        ),
      ),
      weight: 5,
    },
    { arbitrary: template.map((t) => JSON.stringify({ ...t, padding: 'x'.repeat(1_100_000) })), weight: 2 },
  );
}

function requests(template: fc.Arbitrary<Json>): fc.Arbitrary<HostileRequest> {
  return fc.record({
    credentials: fc.constantFrom<Credentials>('valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'missing', 'wrong'),
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      null,
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=bogus',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
    ),
    encoding: fc.constantFrom<Encoding>(
      'none',
      'none',
      'none',
      'none',
      'gzip',
      'br',
      'gzip-lie',
      'deflate-lie',
      'br-lie',
      'gzip-truncated',
      'unknown',
      'identity',
    ),
    body: bodies(template),
  });
}

function encode(request: HostileRequest): { body: Buffer; encoding: string | null } {
  const raw = Buffer.from(request.body);
  switch (request.encoding) {
    case 'none':
      return { body: raw, encoding: null };
    case 'identity':
      return { body: raw, encoding: 'identity' };
    case 'gzip':
      return { body: gzipSync(raw), encoding: 'gzip' };
    case 'br':
      return { body: brotliCompressSync(raw), encoding: 'br' };
    case 'gzip-truncated': {
      const gz = gzipSync(raw);
      return { body: gz.subarray(0, Math.max(1, gz.length >> 1)), encoding: 'gzip' };
    }
    case 'gzip-lie':
      return { body: raw, encoding: 'gzip' };
    case 'deflate-lie':
      return { body: raw, encoding: 'deflate' };
    case 'br-lie':
      return { body: raw, encoding: 'br' };
    case 'unknown':
      return { body: raw, encoding: 'x-compress-9000' };
  }
}

// ---------------------------------------------------------------------------------------------
// Sending, and what must hold of every answer
// ---------------------------------------------------------------------------------------------

async function rowCounts(): Promise<Record<string, number>> {
  const [row] = await stack.db.query<Record<string, number>>(
    `SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`,
  );
  return row;
}

interface Endpoint {
  name: string;
  method?: 'POST';
  /** Already percent-encoded. */
  path: string;
  /** The credential headers; none for an endpoint whose credential is in the body (sign-in). */
  auth?: Record<Credentials, Record<string, string>>;
  /** Headers of each request besides the credentials. */
  headers?: () => Record<string, string>;
  /** May this answer have written rows (beyond 2xx, which always may)? */
  mayWrite?: (status: number, body: any) => boolean;
}

const amazonAuth = (): Endpoint['auth'] => ({
  valid: { 'x-api-key': CONNECTOR_KEY },
  missing: {},
  wrong: { 'x-api-key': 'not-the-key' },
});
const operatorAuth = (): Endpoint['auth'] => ({
  valid: { 'x-operator-key': OPERATOR_KEY },
  missing: {},
  wrong: { 'x-operator-key': 'not-the-key' },
});

const sent = new Map<string, { total: number; byStatus: Record<number, number> }>();
/** The row counts after the last generated request. */
let counted: Record<string, number> | undefined;

async function send(endpoint: Endpoint, request: HostileRequest): Promise<void> {
  const { body, encoding } = encode(request);
  const headers: Record<string, string> = { ...endpoint.headers?.(), ...endpoint.auth?.[request.credentials] };
  if (request.contentType) headers['content-type'] = request.contentType;
  if (encoding) headers['content-encoding'] = encoding;
  // Only these requests write to the counted tables (no workflow does), so the last count is "before".
  const before = (counted ??= await rowCounts());
  const response = await fetch(stack.url + endpoint.path, { method: endpoint.method ?? 'POST', headers, body });
  const text = await response.text();
  const status = response.status;
  const stats = sent.get(endpoint.name) ?? { total: 0, byStatus: {} };
  stats.total++;
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  sent.set(endpoint.name, stats);

  const what = `${endpoint.name} ${request.credentials} credentials, ${request.contentType} ${request.encoding}, answered ${status} ${text.slice(0, 300)}`;
  if (status >= 500) throw new Error(`5xx: ${what}`);
  if (endpoint.auth && request.credentials !== 'valid' && status !== 401)
    throw new Error(`not 401 without credentials: ${what}`);
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`not a JSON answer: ${what}`);
  }
  if (status >= 400 && typeof parsed?.message !== 'string') throw new Error(`an error without a message: ${what}`);
  const accepted = (status >= 200 && status < 300) || (endpoint.mayWrite?.(status, parsed) ?? false);
  const after = (counted = await rowCounts());
  if (!accepted && JSON.stringify(after) !== JSON.stringify(before))
    throw new Error(`a refused request wrote rows (${JSON.stringify(before)} → ${JSON.stringify(after)}): ${what}`);
}

async function fuzz(endpoint: Endpoint, template: fc.Arbitrary<Json>, numRuns: number): Promise<void> {
  counted = undefined; // the test itself may have written since (scan keys for the gate)
  await fc.assert(
    fc.asyncProperty(requests(template), (request) => send(endpoint, request)),
    { numRuns, endOnFailure: true },
  );
  expect(sent.get(endpoint.name)!.total).toBeGreaterThanOrEqual(numRuns);
}

async function healthy(): Promise<void> {
  const response = await fetch(`${stack.url}/healthz`);
  expect(response.status).toBe(200);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(objectPrototypeKeys);
  expect(({} as any).polluted).toBeUndefined();
}

const timestamp = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

describe('generated hostile requests', () => {
  afterAll(() => {
    // One line per endpoint: how many requests, and what they were answered.
    console.log([...sent].map(([name, s]) => `${name}: ${s.total} ${JSON.stringify(s.byStatus)}`).join('\n'));
  });

  test('the Identity Connector: never a 5xx, 401 without the key, nothing written for a refused request', async () => {
    // A few real codes so some requests get as far as a decision (200) or a recorded rejection (401).
    const codes = await Promise.all(
      Array.from({ length: 10 }, () => scanKeyFor(stack.db, stack.config, 'shopper-001')),
    );
    const template = fc
      .tuple(
        fc.constantFrom(...codes, 'JWO1700000000AAAAAAAAAAAAAAAAAAAAAAAAA0123456789ABCDEF0123'),
        fc.uuid(),
        fc.uuid(),
      )
      .map(([code, requestId, authEventId]) => {
        const request = identityKeysRequest(code, { requestId });
        request.authEvent.id = authEventId;
        return request;
      });
    await fuzz(
      {
        name: GATE,
        path: GATE,
        auth: amazonAuth(),
        // A gate rejection is a decision: recorded so a retry gets the same answer.
        mayWrite: (status, body) => status === 401 && typeof body.reason === 'string',
      },
      template,
      1000,
    );
    await healthy();
  });

  test('the Ordering Connector: never a 5xx, 401 without the key, nothing written for a refused request', async () => {
    const template = fc.tuple(fc.uuid(), fc.uuid(), fc.uuid()).map(([requestId, tripId, authEventId]) =>
      purchaseRequest(
        [
          {
            id: authEventId,
            timestamp: timestamp(new Date()),
            location: 'ENTRY',
            payloadType: 'SCAN_CODE',
            scanResult: { id: 'shopper-001', type: 'SHOPPER' },
          },
        ],
        [item('SKU-001'), item('SKU-002', '2.0', 'unit', { lineItemId: 'line-2', externalIdentifiers: [] })],
        { requestId, idempotentShoppingTripId: tripId, shopperIdentity: { id: 'shopper-001' } },
      ),
    );
    await fuzz({ name: PURCHASES, path: PURCHASES, auth: amazonAuth() }, template, 1000);
    await healthy();
  });

  test('the app backend: never a 5xx, 401 without a session (the bare app token is none)', async () => {
    await fuzz(
      {
        name: '/app/v1/scan-keys',
        path: '/app/v1/scan-keys',
        auth: {
          valid: await appSession(stack.url, 'demo-alice'),
          missing: {},
          wrong: { authorization: 'Bearer demo-alice' },
        },
      },
      fc.constant({}),
      300,
    );
    await healthy();
  });

  test('the app sign-in: never a 5xx, nothing written, whatever the body', async () => {
    // Each request from its own address (as the load balancer reports it), so the limit on failed
    // sign-ins per address does not answer them all with 429 and every body reaches validation.
    let address = 0;
    await fuzz(
      {
        name: '/app/v1/sessions',
        path: '/app/v1/sessions',
        headers: () => ({
          'x-forwarded-for': `10.${(++address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`,
        }),
      },
      fc.record({ appToken: fc.constantFrom('demo-alice', 'demo-bob', 'not-an-app-token') }),
      400,
    );
    expect(Object.keys(sent.get('/app/v1/sessions')!.byStatus).sort()).toEqual(
      expect.arrayContaining(['201', '400', '401']),
    );
    await healthy();
  });

  test('the operator API: never a 5xx, 401 without the key, hostile path ids included', async () => {
    await fuzz(
      { name: '/ops/v1/scan-keys', path: '/ops/v1/scan-keys', auth: operatorAuth() },
      fc.record({ shopperId: fc.constantFrom('shopper-001', 'shopper-404'), at: fc.constant(timestamp(new Date())) }),
      300,
    );
    await fuzz(
      { name: '/ops/v1/loadtests', path: '/ops/v1/loadtests', auth: operatorAuth() },
      fc.constant({
        startedAt: '2024-03-22T17:00:00Z',
        ratePerSecond: 50,
        durationSeconds: 10,
        gateP99Ms: 12.5,
        budgetHeld: true,
        result: { gate: { p50: 3, p99: 12.5, errors: {} } },
      }),
      300,
    );
    // Path ids: NUL, undecodable escapes, lone surrogates (CESU-8), overlong, ordinary.
    const tripIds = fc.oneof(
      fc.constantFrom('%00', 'trip%00id', '%ED%A0%80', '%ED%B0%80', '%FF', '%', '%E0%A4%A', 'x'.repeat(300), '..%2F..'),
      fc.uuid(),
      fc
        .string({ unit: 'binary', minLength: 1, maxLength: 20 })
        // "." and ".." are dot segments: the URL resolves them to another route.
        .filter((id) => id !== '.' && id !== '..')
        .map(encodeURIComponent),
    );
    const sample = fc.sample(tripIds, 50);
    for (const [i, tripId] of sample.entries()) {
      await fuzz(
        {
          name: `/ops/v1/badcarts/:tripId/resolve #${i}`,
          path: `/ops/v1/badcarts/${tripId}/resolve`,
          auth: operatorAuth(),
        },
        fc.constantFrom<Json>(
          { decision: 'WRITE_OFF', operator: 'ops' },
          { decision: 'CORRECT', operator: 'ops', corrections: [{ lineId: 'l1', sku: 'SKU-001' }] },
        ),
        6,
      );
      for (const path of [`/ops/v1/purchases/${tripId}`, `/v1/purchases/${tripId}`]) {
        const response = await fetch(stack.url + path, { headers: { 'x-operator-key': OPERATOR_KEY } });
        expect([400, 404]).toContain(response.status);
      }
    }
    await healthy();
  });
});

// ---------------------------------------------------------------------------------------------
// The three reported cases
// ---------------------------------------------------------------------------------------------

describe('the reported cases', () => {
  const purchase = (overrides: Record<string, unknown> = {}, authEvents = 1, lines = 1) =>
    purchaseRequest(
      Array.from({ length: authEvents }, () => ({
        id: randomUUID(),
        timestamp: timestamp(new Date()),
        location: 'ENTRY',
        payloadType: 'SCAN_CODE',
        scanResult: { id: 'shopper-001', type: 'SHOPPER' },
      })),
      Array.from({ length: lines }, (_, i) => item('SKU-001', '1.0', 'unit', { lineItemId: `line-${i}` })),
      overrides,
    );

  test.each([
    [
      'a NUL in idempotentShoppingTripId',
      PURCHASES,
      purchase({ idempotentShoppingTripId: 'trip\u0000' }),
      'idempotentShoppingTripId',
    ],
    ['a lone surrogate in storeId', PURCHASES, purchase({ storeId: 'STORE-\uD800' }), 'storeId'],
    ['a NUL in a cart line id', PURCHASES, { ...purchase(), cartItems: [item('SKU\u0000001')] }, 'cartItems[0].id'],
    [
      'a lone surrogate in shopperIdentity.id',
      PURCHASES,
      purchase({ shopperIdentity: { id: 'shopper\uDC00' } }),
      'shopperIdentity.id',
    ],
    [
      'a NUL in scanResult.id',
      PURCHASES,
      (() => {
        const body = purchase();
        body.shoppingTrip.authEvents[0].scanResult.id = 'shopper-\u0000';
        return body;
      })(),
      'shoppingTrip.authEvents[0].scanResult.id',
    ],
    ['a NUL in the gate storeId', GATE, identityKeysRequest('JWO', { storeId: 'STORE\u0000001' }), 'storeId'],
    [
      'a NUL in authEvent.id',
      GATE,
      identityKeysRequest('JWO', { authEvent: { id: '\u0000', timestamp: '2024-03-22T17:00:00Z', location: 'ENTRY' } }),
      'authEvent.id',
    ],
  ])(
    'when a request carries %s, then 400 naming the field on every retry, and nothing is written',
    async (_name, path, body, field) => {
      const before = await rowCounts();
      for (let attempt = 0; attempt < 3; attempt++) {
        const response = await post(stack.url, path, body);
        expect(response.status).toBe(400);
        expect(response.body.errors).toContainEqual({ field, reason: UNSAFE_TEXT_REASON });
      }
      expect(await rowCounts()).toEqual(before);
    },
  );

  test('when an operator path id carries a NUL, then 400 naming it', async () => {
    for (const path of ['/ops/v1/purchases/trip%00id', '/v1/purchases/%00']) {
      const response = await fetch(stack.url + path, { headers: { 'x-operator-key': OPERATOR_KEY } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].reason).toBe(UNSAFE_TEXT_REASON);
    }
    const resolve = await post(
      stack.url,
      '/ops/v1/badcarts/%00/resolve',
      { decision: 'WRITE_OFF', operator: 'ops' },
      { 'x-operator-key': OPERATOR_KEY },
    );
    expect(resolve).toEqual({
      status: 400,
      body: expect.objectContaining({ errors: [{ field: 'tripId', reason: UNSAFE_TEXT_REASON }] }),
    });
  });

  describe.each([
    ['gzip on plain JSON', 'gzip', 400],
    ['deflate on plain JSON', 'deflate', 400],
    ['an unknown encoding', 'x-bogus', 415],
  ])('a body with %s (%s, %d with credentials)', (_name, encoding, status) => {
    test.each([GATE, PURCHASES])(
      '%s: 401 without credentials, then that status with them, nothing written',
      async (path) => {
        const before = await rowCounts();
        const body = JSON.stringify(path === GATE ? identityKeysRequest('JWO') : purchase());
        const send = (headers: Record<string, string>) =>
          fetch(stack.url + path, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-encoding': encoding, ...headers },
            body,
          });
        expect((await send({})).status).toBe(401);
        expect((await send({ 'x-api-key': 'wrong' })).status).toBe(401);
        const answered = await send({ 'x-api-key': CONNECTOR_KEY });
        expect(answered.status).toBe(status);
        const answer = (await answered.json()) as any;
        if (status === 400) expect(answer.errors).toEqual([{ field: 'body', reason: expect.any(String) }]);
        expect(await rowCounts()).toEqual(before);
      },
    );
  });

  test('a corrupt gzip body from an operator: 401 without the key, 400 naming body with it', async () => {
    const corrupt = gzipSync(JSON.stringify({ shopperId: 'shopper-001' })).subarray(0, 10);
    const send = (headers: Record<string, string>) =>
      fetch(`${stack.url}/ops/v1/scan-keys`, {
        method: 'POST',
        headers: { 'content-encoding': 'gzip', ...headers },
        body: corrupt,
      });
    expect((await send({})).status).toBe(401);
    const answered = await send({ 'x-operator-key': OPERATOR_KEY });
    expect(answered.status).toBe(400);
    expect(((await answered.json()) as any).errors).toEqual([{ field: 'body', reason: expect.any(String) }]);
  });

  test('a real gzip body is still accepted', async () => {
    const response = await fetch(stack.url + PURCHASES, {
      method: 'POST',
      headers: { 'x-api-key': CONNECTOR_KEY, 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(purchase())),
    });
    expect(response.status).toBe(201);
  });

  test.each([
    [
      `${MAX_AUTH_EVENTS + 1} auth events`,
      () => purchase({}, MAX_AUTH_EVENTS + 1),
      'shoppingTrip.authEvents',
      `must contain at most ${MAX_AUTH_EVENTS} auth events`,
    ],
    [
      '3,000 auth events',
      () => purchase({}, 3000),
      'shoppingTrip.authEvents',
      `must contain at most ${MAX_AUTH_EVENTS} auth events`,
    ],
    [
      `${MAX_CART_LINES + 1} cart lines`,
      () => purchase({}, 1, MAX_CART_LINES + 1),
      'cartItems',
      `must contain at most ${MAX_CART_LINES} cart lines`,
    ],
  ])('when a cart has %s, then 400 naming the field and nothing is written', async (_name, build, field, reason) => {
    const before = await rowCounts();
    const response = await post(stack.url, PURCHASES, build());
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field, reason }]);
    expect(await rowCounts()).toEqual(before);
  });

  test(`when a cart has ${MAX_AUTH_EVENTS} auth events and ${MAX_CART_LINES} lines, then it is accepted`, async () => {
    const response = await post(stack.url, PURCHASES, purchase({}, MAX_AUTH_EVENTS, MAX_CART_LINES));
    expect(response.status).toBe(201);
    expect(response.body.purchaseId).toMatch(/^P-/);
  });
});
