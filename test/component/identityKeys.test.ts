/**
 * The Identity Connector over real HTTP, with a real Temporal server and both databases:
 * every status code, every documented 400 case, and idempotency under concurrent duplicates.
 */
import { randomUUID } from 'node:crypto';
import { migrate } from '../../src/adapters/db/migrate';
import { MIGRATIONS } from '../../src/adapters/db/migrations';
import { findGateDecision } from '../../src/adapters/identity/identityStore';
import { gateResponse } from '../../src/api/identityKeys/verifyIdentityKeys';
import { entryWorkflowId } from '../../src/shared/workflowIds';
import { DB_KINDS, openTestDatabase, type TestDatabase } from '../support/db';
import { identityKeysRequest, post, scanKeyFor, seedShopper, seedStore } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';

const PATH = '/v1/identity/identity-keys';

describe.each(DB_KINDS)('POST /v1/identity/identity-keys (%s)', (dbKind) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ dbKind });
    await seedStore(stack.db);
  });
  afterAll(() => stack?.close());

  const flagShopper = (shopperId: string, reason: string | null) =>
    stack.db.query('UPDATE shoppers SET flagged_reason = $2 WHERE shopper_id = $1', [shopperId, reason]);

  /** The raw answer: a retry must repeat the first answer byte for byte, not just as equal JSON. */
  async function postRaw(request: unknown): Promise<{ status: number; text: string }> {
    const response = await fetch(stack.url + PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'demo-connector-key' },
      body: JSON.stringify(request),
    });
    return { status: response.status, text: await response.text() };
  }

  async function validRequest(overrides: Parameters<typeof seedShopper>[1] = {}) {
    const shopper = await seedShopper(stack.db, overrides);
    const code = await scanKeyFor(stack.db, stack.config, shopper.shopperId);
    return { shopper, request: identityKeysRequest(code) };
  }

  test('when a shopper scans a valid code, then the gate opens and one pre-auth is placed', async () => {
    const { shopper, request } = await validRequest();
    const response = await post(stack.url, PATH, request);
    expect(response).toEqual({ status: 200, body: { visitorDetails: { id: shopper.shopperId, type: 'SHOPPER' } } });
    const auths = await eventually(async () => {
      const rows = await stack.db.query<any>('SELECT * FROM payment_authorizations WHERE auth_event_id = $1', [
        request.authEvent.id,
      ]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(auths[0]).toMatchObject({
      shopper_id: shopper.shopperId,
      authorized_minor: 5000,
      status: 'AUTHORIZED',
      currency: 'USD',
    });
    const description = await stack.client.workflow.getHandle(entryWorkflowId(request.authEvent.id)).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  test('when an associate or a cash shopper scans, then the gate opens with their type and no pre-auth is placed', async () => {
    for (const visitorType of ['ASSOCIATE', 'CASH_SHOPPER'] as const) {
      const { shopper, request } = await validRequest({ visitorType, paymentToken: null, paymentExpiry: null });
      const response = await post(stack.url, PATH, request);
      expect(response).toEqual({ status: 200, body: { visitorDetails: { id: shopper.shopperId, type: visitorType } } });
      await expect(stack.client.workflow.getHandle(entryWorkflowId(request.authEvent.id)).describe()).rejects.toThrow(
        /not found/i,
      );
    }
  });

  test('when Amazon retries concurrently, then every answer is the same and one workflow places one pre-auth', async () => {
    const { request } = await validRequest();
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => post(stack.url, PATH, { ...request, requestId: randomUUID() })),
    );
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify(answers[0])]));
    expect(answers[0].status).toBe(200);
    await eventually(async () => {
      // The ledger records a call PENDING before the gateway answers: wait for its settled outcome.
      const rows = await stack.db.query('SELECT outcome FROM payment_ledger WHERE idempotency_key = $1', [
        `preauth:${request.authEvent.id}`,
      ]);
      expect(rows).toEqual([{ outcome: 'APPROVED' }]);
    });
    const later = await post(stack.url, PATH, request);
    expect(later).toEqual(answers[0]);
    const runs = await stack.db.query(
      'SELECT count(*)::int AS n FROM payment_authorizations WHERE auth_event_id = $1',
      [request.authEvent.id],
    );
    expect(runs).toEqual([{ n: 1 }]);
  });

  test('when a rejected scan is retried, then the retry gets the same 401, byte for byte', async () => {
    const { shopper, request } = await validRequest();
    await flagShopper(shopper.shopperId, 'chargeback');
    const first = await postRaw(request);
    expect(first).toEqual({
      status: 401,
      text: JSON.stringify({ message: 'identityKey: the account is flagged', reason: 'ACCOUNT_FLAGGED' }),
    });
    // Unflagged since: the retry is still answered from the recorded decision.
    await flagShopper(shopper.shopperId, null);
    expect(await postRaw({ ...request, requestId: randomUUID() })).toEqual(first);
  });

  test('when a scan is decided, then the decision is kept in columns: the reason apart, no HTTP body', async () => {
    const rejected = await validRequest();
    await flagShopper(rejected.shopper.shopperId, 'chargeback');
    expect((await post(stack.url, PATH, rejected.request)).status).toBe(401);
    const allowed = await validRequest();
    expect((await post(stack.url, PATH, allowed.request)).status).toBe(200);
    const row = async (authEventId: string) => {
      const [found] = await stack.db.query<any>('SELECT * FROM gate_decisions WHERE auth_event_id = $1', [authEventId]);
      return found;
    };
    const rejectedRow = await row(rejected.request.authEvent.id);
    expect(rejectedRow).toMatchObject({ status: 401, reason: 'ACCOUNT_FLAGGED', shopper_id: null, visitor_type: null });
    const allowedRow = await row(allowed.request.authEvent.id);
    expect(allowedRow).toMatchObject({
      status: 200,
      reason: null,
      shopper_id: allowed.shopper.shopperId,
      visitor_type: 'SHOPPER',
    });
    // The HTTP body is not stored at all (migration 15 dropped the column): answers come from the columns.
    expect(Object.keys(allowedRow)).not.toContain('body');
  });

  test('when migration 5 runs over earlier decisions, then their reason is taken from the stored body', async () => {
    // A database as the previous release left it: migrated up to 4, decisions stored with their body.
    const later = MIGRATIONS.splice(MIGRATIONS.findIndex((m) => m.version === 5));
    let db: TestDatabase;
    try {
      db = await openTestDatabase(dbKind);
    } finally {
      MIGRATIONS.push(...later);
    }
    try {
      const insert = `INSERT INTO gate_decisions
        (auth_event_id, request_id, store_id, key_sha256, status, body, shopper_id, visitor_type)
        VALUES ($1, 'r', 'STORE-001', 'k', $2, $3::jsonb, $4, $5)`;
      const body401 = { message: 'identityKey: the Scan Key Code has expired', reason: 'EXPIRED' };
      await db.query(insert, ['ae-401', 401, JSON.stringify(body401), null, null]);
      const body200 = { visitorDetails: { id: 'shopper-1', type: 'ASSOCIATE' } };
      await db.query(insert, ['ae-200', 200, JSON.stringify(body200), 'shopper-1', 'ASSOCIATE']);

      expect(await migrate(db)).toContain(5);

      const common = { requestId: 'r', storeId: 'STORE-001', keySha256: 'k' };
      expect(await findGateDecision(db, 'ae-401')).toEqual({
        ...common,
        authEventId: 'ae-401',
        allowed: false,
        reason: 'EXPIRED',
      });
      expect(await findGateDecision(db, 'ae-200')).toEqual({
        ...common,
        authEventId: 'ae-200',
        allowed: true,
        shopperId: 'shopper-1',
        visitorType: 'ASSOCIATE',
      });
      // The same answer as the body stored before, byte for byte.
      expect(JSON.stringify(gateResponse((await findGateDecision(db, 'ae-401'))!).body)).toBe(JSON.stringify(body401));
      expect(JSON.stringify(gateResponse((await findGateDecision(db, 'ae-200'))!).body)).toBe(JSON.stringify(body200));
    } finally {
      await db!.close();
    }
  });

  test('when an authEvent.id is reused with a different key, then it is refused instead of replaying the decision', async () => {
    const { request } = await validRequest();
    expect((await post(stack.url, PATH, request)).status).toBe(200);
    const other = await validRequest();
    const response = await post(stack.url, PATH, { ...other.request, authEvent: request.authEvent });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      message: 'authEvent.id: was already used with a different identityKey',
      errors: [{ field: 'authEvent.id', reason: 'was already used with a different identityKey' }],
    });
  });

  describe('401: the key does not let the shopper in', () => {
    const cases: [string, () => Promise<Record<string, any>>, string][] = [
      [
        'an expired code',
        async () => {
          const s = await seedShopper(stack.db);
          const issued = new Date(Date.now() - 5 * 60_000);
          return identityKeysRequest(await scanKeyFor(stack.db, stack.config, s.shopperId, issued));
        },
        'EXPIRED',
      ],
      [
        'a forged signature',
        async () => {
          const { request } = await validRequest();
          const code = Buffer.from(request.identityKey, 'base64').toString();
          const forged = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
          return { ...request, identityKey: Buffer.from(forged).toString('base64') };
        },
        'BAD_MAC',
      ],
      ["another retailer's prefix", async () => identityKeysRequest('XYZ123'), 'BAD_PREFIX'],
      ['non-alphanumeric content', async () => identityKeysRequest('JWO-123/45'), 'NOT_ALPHANUMERIC'],
      [
        'the documented sample key',
        async () => ({ ...identityKeysRequest(''), identityKey: 'dmFsaWRfc2hvcHBlcl9rZXk=' }),
        'NOT_ALPHANUMERIC',
      ],
      [
        'a revoked token',
        async () => {
          const { shopper, request } = await validRequest();
          const revoke = 'UPDATE recognition_tokens SET revoked_at = now() WHERE shopper_id = $1';
          await stack.db.query(revoke, [shopper.shopperId]);
          return request;
        },
        'TOKEN_REVOKED',
      ],
      [
        'an expired card',
        async () => {
          const s = await seedShopper(stack.db);
          const code = await scanKeyFor(stack.db, stack.config, s.shopperId);
          await stack.db.query("UPDATE shoppers SET payment_expiry = '2020-01' WHERE shopper_id = $1", [s.shopperId]);
          return identityKeysRequest(code);
        },
        'PAYMENT_INSTRUMENT_EXPIRED',
      ],
      [
        'an unpaid debt',
        async () => {
          const { shopper, request } = await validRequest();
          await stack.db.query(
            "INSERT INTO debts (trip_id, shopper_id, amount_minor, currency, reason) VALUES ($1, $2, 100, 'USD', 'declined')",
            [randomUUID(), shopper.shopperId],
          );
          return request;
        },
        'UNPAID_DEBT',
      ],
      [
        'a code already used for another entry',
        async () => {
          const { request } = await validRequest();
          expect((await post(stack.url, PATH, request)).status).toBe(200);
          return { ...request, requestId: randomUUID(), authEvent: { ...request.authEvent, id: randomUUID() } };
        },
        'TOKEN_ALREADY_USED',
      ],
    ];
    test.each(cases)('when the request carries %s, then 401 %s', async (_name, build, reason) => {
      const response = await post(stack.url, PATH, await build());
      expect(response.status).toBe(401);
      expect(response.body.reason).toBe(reason);
    });

    test('when the caller key is missing or wrong, then 401 before any work', async () => {
      const { request } = await validRequest();
      expect((await post(stack.url, PATH, request, {})).status).toBe(401);
      expect((await post(stack.url, PATH, request, { 'x-api-key': 'nope' })).status).toBe(401);
      expect(
        await stack.db.query('SELECT 1 FROM gate_decisions WHERE auth_event_id = $1', [request.authEvent.id]),
      ).toHaveLength(0);
    });

    test('when a shopper flagged after the code was issued scans, then 401', async () => {
      const { shopper, request } = await validRequest();
      await flagShopper(shopper.shopperId, 'unpaid');
      expect((await post(stack.url, PATH, request)).body.reason).toBe('ACCOUNT_FLAGGED');
    });
  });

  describe('400: validation (jwo-api.md §1.3), nothing recorded', () => {
    const base = () => identityKeysRequest('JWOCODE');
    const without = (path: string) => {
      const body = structuredClone(base());
      const keys = path.split('.');
      let target = body;
      for (const key of keys.slice(0, -1)) target = target[key];
      delete target[keys.at(-1)!];
      return body;
    };
    const cases: [string, unknown, string, string][] = [
      ['missing requestId', without('requestId'), 'requestId', 'is required'],
      ['invalid requestId', { ...base(), requestId: 'abc' }, 'requestId', 'must be a UUID'],
      ['missing identityKey', without('identityKey'), 'identityKey', 'is required'],
      [
        'identityKey over 1000 characters',
        { ...base(), identityKey: 'QUFB'.repeat(251) },
        'identityKey',
        'must be at most 1000 characters',
      ],
      ['identityKey not Base64', { ...base(), identityKey: 'not base64!' }, 'identityKey', 'must be Base64'],
      ['missing storeId', without('storeId'), 'storeId', 'is required'],
      [
        'storeId over 255 characters',
        { ...base(), storeId: 'S'.repeat(256) },
        'storeId',
        'must be at most 255 characters',
      ],
      ['unknown storeId', { ...base(), storeId: 'STORE-999' }, 'storeId', 'is not a store of this retailer'],
      ['missing authEvent', without('authEvent'), 'authEvent', 'is required'],
      ['missing authEvent.id', without('authEvent.id'), 'authEvent.id', 'is required'],
      [
        'invalid authEvent.id',
        { ...base(), authEvent: { ...base().authEvent, id: '123' } },
        'authEvent.id',
        'must be a UUID',
      ],
      ['missing authEvent.timestamp', without('authEvent.timestamp'), 'authEvent.timestamp', 'is required'],
      [
        'invalid authEvent.timestamp',
        { ...base(), authEvent: { ...base().authEvent, timestamp: '09/02/2024 17:53' } },
        'authEvent.timestamp',
        'must be an ISO-8601 timestamp such as 2024-02-09T17:53:57Z',
      ],
      [
        'impossible authEvent.timestamp',
        { ...base(), authEvent: { ...base().authEvent, timestamp: '2024-13-45T99:99:99Z' } },
        'authEvent.timestamp',
        'is not a real date and time',
      ],
      ['missing authEvent.location', without('authEvent.location'), 'authEvent.location', 'is required'],
      [
        'invalid authEvent.location',
        { ...base(), authEvent: { ...base().authEvent, location: 'EXIT' } },
        'authEvent.location',
        'must be one of "ENTRY", "MANUAL_IN_STORE"',
      ],
      ['invalid keyChannel', { ...base(), keyChannel: 'BLUETOOTH' }, 'keyChannel', 'must be one of "OPTICAL"'],
      ['empty body', {}, 'body', 'request body is empty'],
      ['a JSON array', [], 'body', 'must be a JSON object'],
      ['a body that is not JSON', '{"requestId":', 'body', 'not valid JSON'],
    ];
    test.each(cases)('when the request has %s, then 400 naming the field', async (_name, body, field, reason) => {
      const response = await post(stack.url, PATH, body);
      expect(response.status).toBe(400);
      expect(response.body.errors).toContainEqual({ field, reason });
      expect(
        await stack.db.query('SELECT count(*)::int AS n FROM gate_decisions WHERE store_id NOT LIKE $1', ['STORE-001']),
      ).toEqual([{ n: 0 }]);
    });

    test('when unknown fields are present, then they are ignored', async () => {
      const { shopper, request } = await validRequest();
      const response = await post(stack.url, PATH, {
        ...request,
        futureField: { a: 1 },
        authEvent: { ...request.authEvent, extra: true },
      });
      expect(response).toEqual({ status: 200, body: { visitorDetails: { id: shopper.shopperId, type: 'SHOPPER' } } });
    });

    test('when the body is over the size limit, then 413', async () => {
      const response = await post(stack.url, PATH, { ...base(), padding: 'x'.repeat(2_000_000) });
      expect(response.status).toBe(413);
    });
  });
});

describe('gate failure policy', () => {
  test('when a store sends more than its rate, then 429 keeps the gate closed', async () => {
    const stack = await startTestStack({ env: { GATE_RATE_LIMIT_PER_STORE: '3' } });
    try {
      await seedStore(stack.db);
      const shopper = await seedShopper(stack.db);
      const codes = await Promise.all(
        Array.from({ length: 6 }, () => scanKeyFor(stack.db, stack.config, shopper.shopperId)),
      );
      // Sent together, so they fall within the same second whatever the machine's load.
      const statuses = (await Promise.all(codes.map((code) => post(stack.url, PATH, identityKeysRequest(code))))).map(
        (answer) => answer.status,
      );
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    } finally {
      await stack.close();
    }
  });

  test('when a store is at its rate, then a retry of a recorded decision gets that decision, never 429, and unknown stores take no bucket', async () => {
    const stack = await startTestStack({ env: { GATE_RATE_LIMIT_PER_STORE: '1' } });
    try {
      await seedStore(stack.db);
      const shopper = await seedShopper(stack.db);
      const admitted = identityKeysRequest(await scanKeyFor(stack.db, stack.config, shopper.shopperId));
      const refused = identityKeysRequest('JWOX');
      // Made-up store ids first: each is a 400 before the limiter (no bucket is made for them).
      for (let i = 0; i < 5; i++)
        expect((await post(stack.url, PATH, { ...admitted, storeId: `NOPE-${i}` })).status).toBe(400);
      const first = await post(stack.url, PATH, admitted);
      expect(first.status).toBe(200);
      // The bucket is empty now: a new scan is shed, retries of decided scans are answered as recorded.
      expect((await post(stack.url, PATH, refused)).status).toBe(429);
      expect(await post(stack.url, PATH, admitted)).toEqual(first);
      expect(await post(stack.url, PATH, { ...admitted, requestId: randomUUID() })).toEqual(first);
      // A retry with another key under the same authEvent.id is still refused for what it is.
      const other = await post(stack.url, PATH, { ...admitted, identityKey: Buffer.from('JWOY').toString('base64') });
      expect(other.status).toBe(400);
    } finally {
      await stack.close();
    }
  });

  test('when the database is unreachable, then 500 within the deadline (the store default applies)', async () => {
    const stack = await startTestStack({ env: { GATE_DEADLINE_MS: '800' } });
    await seedStore(stack.db);
    const shopper = await seedShopper(stack.db);
    const request = identityKeysRequest(await scanKeyFor(stack.db, stack.config, shopper.shopperId));
    await post(stack.url, PATH, identityKeysRequest('JWOX')); // warms the store cache
    const query = stack.db.query.bind(stack.db);
    stack.db.query = () => new Promise(() => undefined); // a database that never answers
    const started = Date.now();
    const response = await post(stack.url, PATH, request);
    expect(response.status).toBe(500);
    expect(Date.now() - started).toBeLessThan(1900);
    stack.db.query = query;
    await stack.close();
  });
});
