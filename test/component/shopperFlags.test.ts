/**
 * The gate's ACCOUNT_FLAGGED and TOKEN_REVOKED answers, reached the way operators reach them
 * (POST /ops/v1/shoppers/:id/flag|unflag|revoke-codes over HTTP, audited), and the Scan Key Code
 * rules that do not trust authEvent.timestamp alone: the server clock, one live code per shopper,
 * and the purge of expired tokens.
 */
import { randomUUID } from 'node:crypto';
import { listAudit } from '../../src/adapters/audit/auditLog';
import { identityKeysRequest, post, scanKeyFor, seedShopper, seedStore } from '../support/fixtures';
import { startTestStack, type TestStack } from '../support/stack';

const GATE = '/v1/identity/identity-keys';
const KEYS = { vic: 'v'.repeat(40), olga: 'o'.repeat(40) };
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ env: { OPERATOR_KEYS: `vic:viewer:${KEYS.vic},olga:operator:${KEYS.olga}` } });
  await seedStore(stack.db);
});
afterAll(() => stack?.close());

const asOperator = (who: keyof typeof KEYS, path: string, body: unknown = {}) =>
  post(stack.url, path, body, { 'x-operator-key': KEYS[who] });
const scan = (code: string, at = new Date()) => post(stack.url, GATE, identityKeysRequest(code, {}, at));

test('when an operator flags a shopper, then the gate answers ACCOUNT_FLAGGED until they unflag, and both are audited', async () => {
  const shopper = await seedShopper(stack.db);
  const code = await scanKeyFor(stack.db, stack.config, shopper.shopperId);

  const flagged = await asOperator('olga', `/ops/v1/shoppers/${shopper.shopperId}/flag`, { reason: 'chargeback' });
  expect(flagged).toMatchObject({ status: 200, body: { shopperId: shopper.shopperId, flaggedReason: 'chargeback' } });
  expect(await scan(code)).toMatchObject({ status: 401, body: { reason: 'ACCOUNT_FLAGGED' } });

  const unflagged = await asOperator('olga', `/ops/v1/shoppers/${shopper.shopperId}/unflag`, { reason: 'resolved' });
  expect(unflagged).toMatchObject({ status: 200, body: { flaggedReason: null } });
  const fresh = await scanKeyFor(stack.db, stack.config, shopper.shopperId);
  expect((await scan(fresh)).status).toBe(200);

  const audit = await listAudit(stack.db, { subjectType: 'shopper', subjectId: shopper.shopperId });
  expect(audit.map((e) => [e.action, e.actor.name, e.actor.role, e.reason])).toEqual([
    ['shopper.unflag', 'olga', 'operator', 'resolved'],
    ['shopper.flag', 'olga', 'operator', 'chargeback'],
  ]);
});

test("when an operator revokes a shopper's codes, then the gate answers TOKEN_REVOKED for them, audited", async () => {
  const shopper = await seedShopper(stack.db);
  const code = await scanKeyFor(stack.db, stack.config, shopper.shopperId);
  const revoked = await asOperator('olga', `/ops/v1/shoppers/${shopper.shopperId}/revoke-codes`, {
    reason: 'lost phone',
  });
  expect(revoked).toEqual({ status: 200, body: { shopperId: shopper.shopperId, revoked: 1 } });
  expect(await scan(code)).toMatchObject({ status: 401, body: { reason: 'TOKEN_REVOKED' } });
  const [entry] = await listAudit(stack.db, { subjectType: 'shopper', subjectId: shopper.shopperId });
  expect(entry).toMatchObject({ action: 'shopper.revoke-codes', reason: 'lost phone', details: { revokedCodes: 1 } });
});

test('when a viewer tries, or the reason or shopper is missing, then nothing changes', async () => {
  const shopper = await seedShopper(stack.db);
  const path = `/ops/v1/shoppers/${shopper.shopperId}`;
  expect((await asOperator('vic', `${path}/flag`, { reason: 'x' })).status).toBe(403);
  expect((await asOperator('vic', `${path}/revoke-codes`)).status).toBe(403);
  expect((await asOperator('olga', `${path}/flag`, {})).status).toBe(400);
  expect((await asOperator('olga', `/ops/v1/shoppers/nobody-${randomUUID()}/flag`, { reason: 'x' })).status).toBe(404);
  expect((await asOperator('olga', `/ops/v1/shoppers/nobody-${randomUUID()}/revoke-codes`)).status).toBe(404);
  const [row] = await stack.db.query<any>('SELECT flagged_reason FROM shoppers WHERE shopper_id = $1', [
    shopper.shopperId,
  ]);
  expect(row.flagged_reason).toBeNull();
  expect(await listAudit(stack.db, { subjectType: 'shopper', subjectId: shopper.shopperId })).toEqual([]);
});

test("when a code's issue time is outside the window of the server clock, then it is refused whatever authEvent.timestamp says", async () => {
  const shopper = await seedShopper(stack.db);
  const old = new Date(Date.now() - 5 * 60_000);
  // authEvent.timestamp agrees with the issue time: only our clock can tell the code is stale.
  expect(await scan(await scanKeyFor(stack.db, stack.config, shopper.shopperId, old), old)).toMatchObject({
    status: 401,
    body: { reason: 'EXPIRED' },
  });
  const ahead = new Date(Date.now() + 5 * 60_000);
  expect(await scan(await scanKeyFor(stack.db, stack.config, shopper.shopperId, ahead), ahead)).toMatchObject({
    status: 401,
    body: { reason: 'NOT_YET_VALID' },
  });
});

test("when a new code is issued, then the shopper's earlier unused code is revoked", async () => {
  const shopper = await seedShopper(stack.db);
  const first = await scanKeyFor(stack.db, stack.config, shopper.shopperId);
  const second = await scanKeyFor(stack.db, stack.config, shopper.shopperId);
  expect(await scan(first)).toMatchObject({ status: 401, body: { reason: 'TOKEN_REVOKED' } });
  expect((await scan(second)).status).toBe(200);
});

test('when a code is issued, then tokens expired over an hour ago are purged, a bounded batch at a time', async () => {
  const shopper = await seedShopper(stack.db);
  const longAgo = new Date(Date.now() - 2 * 3600_000);
  await stack.db.query(
    `INSERT INTO recognition_tokens (token, shopper_id, issued_at, expires_at)
     SELECT 'PURGE' || lpad(i::text, 19, '0'), $1, $2, $2 FROM generate_series(1, 150) AS i`,
    [shopper.shopperId, longAgo],
  );
  const recent = new Date(Date.now() - 10 * 60_000);
  await stack.db.query(
    `INSERT INTO recognition_tokens (token, shopper_id, issued_at, expires_at) VALUES ('KEEPRECENT00000000000000', $1, $2, $2)`,
    [shopper.shopperId, recent],
  );
  const count = async () =>
    (
      await stack.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM recognition_tokens WHERE token LIKE 'PURGE%' OR token LIKE 'KEEP%'`,
      )
    )[0].n;
  const issue = () =>
    post(stack.url, '/ops/v1/scan-keys', { shopperId: shopper.shopperId }, { 'x-operator-key': 'demo-operator-key' });
  expect((await issue()).status).toBe(201);
  expect(await count()).toBe(51); // 100 of the 150 old ones, the recent one kept
  expect((await issue()).status).toBe(201);
  expect(await count()).toBe(1);
});
