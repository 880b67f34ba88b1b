/**
 * Replay moves money only for a purchase recorded as FAILED (issue 11 §3.1): two operators replaying
 * at once start it once; a purchase whose history is gone (retention) or whose workflow Temporal
 * cannot describe is not replayed on a guess; `force` with a reason is the audited override.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { insertPurchaseOnce } from '../../src/adapters/purchases/purchaseStore';
import { listAudit } from '../../src/adapters/audit/auditLog';
import { replayPurchase } from '../../src/application/replayPurchase';
import { purchaseWorkflowId } from '../../src/shared/workflowIds';
import { enterStore, item, post, purchaseRequest, seedShopper, STORE_ID } from '../support/fixtures';
import { ledger, preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';

const ops = { 'x-operator-key': 'demo-operator-key' };

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  await seedDemoStore(stack.db);
});
afterAll(() => stack?.close());

/**
 * A purchase recorded with `status` whose workflow Temporal no longer has (history gone at
 * retention): an admitted shopper, a placed pre-auth, a cart of one sandwich.
 */
async function recordedPurchase(status: string) {
  const shopper = await seedShopper(stack.db);
  const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
  await preAuthPlaced(stack.db, authEvent.id);
  const request = purchaseRequest([authEvent], [item('SKU-003')]);
  const tripId = request.idempotentShoppingTripId as string;
  await insertPurchaseOnce(stack.db, {
    tripId,
    purchaseId: `P-${randomUUID()}`,
    storeId: STORE_ID,
    requestSha256: createHash('sha256').update(JSON.stringify(request)).digest('hex'),
    request,
    shopperId: null,
  });
  await stack.db.query('UPDATE purchases SET status = $2 WHERE trip_id = $1', [tripId, status]);
  return tripId;
}

const replay = (tripId: string, body: Record<string, unknown> = {}) =>
  post(stack.url, `/ops/v1/purchases/${tripId}/replay`, body, ops);

const replayDeps = (temporal: Client) => ({
  db: stack.db,
  temporal,
  taskQueue: stack.taskQueue,
  storeDefaults: { badCartDeadlineMs: 3_600_000, badCartDefault: 'WRITE_OFF' as const, scanKeyPrefix: 'JWO' },
});

/** Temporal answering every describe with an outage; starts go through to the real server. */
function describeFails(): Client {
  const real = stack.client;
  const workflow = {
    getHandle: (id: string) => ({
      ...real.workflow.getHandle(id),
      describe: () =>
        Promise.reject(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { name: 'ServiceError' })),
    }),
    start: real.workflow.start.bind(real.workflow),
  };
  return { workflow } as unknown as Client;
}

async function runs(tripId: string): Promise<number> {
  let n = 0;
  for await (const _ of stack.client.workflow.list({ query: `WorkflowId = '${purchaseWorkflowId(tripId)}'` })) n++;
  return n;
}

test('when two operators replay the same failed purchase at once, then exactly one replay starts and the card is captured once', async () => {
  const tripId = await recordedPurchase('FAILED');
  const answers = await Promise.all([replay(tripId), replay(tripId), replay(tripId)]);
  expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409]);
  for (const refused of answers.filter((a) => a.status === 409))
    expect(refused.body.message).toMatch(/already being replayed|changed meanwhile|still running|not failed/);

  expect(await purchaseSettled(stack.db, tripId, ['CAPTURED'])).toMatchObject({ total_minor: 599 });
  const [row] = await stack.db.query<any>('SELECT replays FROM purchases WHERE trip_id = $1', [tripId]);
  expect(row.replays).toHaveLength(1);
  expect((await ledger(stack.db, tripId)).map((e) => e.operation)).toEqual(['CAPTURE']);
  expect(await listAudit(stack.db, { subjectType: 'trip', subjectId: tripId })).toEqual([
    expect.objectContaining({ action: 'purchase.replay', details: expect.objectContaining({ force: false }) }),
  ]);
});

test.each(['WRITTEN_OFF', 'CAPTURED', 'BAD_CART'])(
  'when a %s purchase’s history is gone, then it is not replayed (no charge of a written-off cart, no second capture)',
  async (status) => {
    const tripId = await recordedPurchase(status);
    const answer = await replay(tripId);
    expect(answer.status).toBe(409);
    expect(answer.body.message).toBe(`purchase ${tripId} is ${status}, not failed: nothing to replay`);
    expect(await runs(tripId)).toBe(0);
    expect((await purchaseSettled(stack.db, tripId, [status])).status).toBe(status);
    expect(await ledger(stack.db, tripId)).toEqual([]);
  },
);

test('when Temporal cannot describe the workflow, then even a FAILED purchase is not replayed; force with a reason overrides, audited', async () => {
  const tripId = await recordedPurchase('FAILED');
  const actor = { name: 'alice', role: 'operator' };
  await expect(replayPurchase(replayDeps(describeFails()), tripId, actor)).rejects.toMatchObject({
    name: 'StateConflict',
    message: expect.stringMatching(/cannot tell whether purchase .* is still running \(Temporal: 14 UNAVAILABLE/),
  });
  expect((await purchaseSettled(stack.db, tripId, ['FAILED'])).status).toBe('FAILED');
  expect(await runs(tripId)).toBe(0);

  await expect(replayPurchase(replayDeps(describeFails()), tripId, actor, { force: true })).rejects.toMatchObject({
    name: 'InvalidRequest',
  });
  const forced = await replayPurchase(replayDeps(describeFails()), tripId, actor, {
    force: true,
    reason: 'Temporal visibility down; checked the UI by hand',
  });
  expect(forced.runId).toBeTruthy();
  expect(await purchaseSettled(stack.db, tripId, ['CAPTURED'])).toMatchObject({ total_minor: 599 });
  const [entry] = await listAudit(stack.db, { subjectType: 'trip', subjectId: tripId });
  expect(entry).toMatchObject({
    actor,
    action: 'purchase.replay',
    reason: 'Temporal visibility down; checked the UI by hand',
    details: expect.objectContaining({
      force: true,
      previousStatus: 'FAILED',
      temporal: expect.stringMatching(/UNAVAILABLE/),
    }),
  });
});

test('when an operator forces the replay of a purchase that did not fail, then it needs a reason, and it is recorded', async () => {
  const tripId = await recordedPurchase('WRITTEN_OFF');
  expect((await replay(tripId, { force: true })).status).toBe(400);
  const forced = await replay(tripId, { force: true, reason: 'written off by mistake (ticket OPS-12)' });
  expect(forced.status).toBe(202);
  expect(await purchaseSettled(stack.db, tripId, ['CAPTURED'])).toMatchObject({ total_minor: 599 });
  const [row] = await stack.db.query<any>('SELECT replays FROM purchases WHERE trip_id = $1', [tripId]);
  expect(row.replays).toEqual([
    expect.objectContaining({
      force: true,
      reason: 'written off by mistake (ticket OPS-12)',
      runId: forced.body.runId,
    }),
  ]);
  const [entry] = await listAudit(stack.db, { subjectType: 'trip', subjectId: tripId });
  expect(entry).toMatchObject({
    reason: 'written off by mistake (ticket OPS-12)',
    details: expect.objectContaining({ force: true, previousStatus: 'WRITTEN_OFF' }),
  });
});
