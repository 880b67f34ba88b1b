/**
 * A purchase that arrives while the entry workflow is still placing its pre-auth: it reads the
 * ledger once, asks the entry workflow (preAuthRequested) and waits for its preAuthSettled signal,
 * then captures against that pre-auth; when the answer does not come in time it charges the card
 * directly. No polling: findTripAuthorizations is never scheduled.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { createSimulatedGateway } from '../../src/adapters/payments/simulatedGateway';
import type { PaymentGateway } from '../../src/adapters/payments/paymentGateway';
import { insertPurchaseOnce } from '../../src/adapters/purchases/purchaseStore';
import { toPurchaseCart, type PurchaseInput, type PurchaseWorkflowOptions } from '../../src/shared/purchaseMessages';
import { entryWorkflowId, purchaseWorkflowId } from '../../src/shared/workflowIds';
import { enterStore, item, post, purchaseRequest, seedShopper, STORE_ID } from '../support/fixtures';
import { authorizationsOf, ledger, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';

/** Pre-auths wait at the gateway until the test lets them through. */
let releasePreAuths: () => void = () => {};
let preAuthsHeld: Promise<void> = Promise.resolve();
function holdPreAuths() {
  preAuthsHeld = new Promise((resolve) => (releasePreAuths = resolve));
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({
    payments: (db) => {
      const real = createSimulatedGateway(db);
      const slow: PaymentGateway = {
        ...real,
        async authorize(request) {
          await preAuthsHeld;
          return real.authorize(request);
        },
      };
      return slow;
    },
  });
  await seedDemoStore(stack.db);
});
afterAll(async () => {
  releasePreAuths();
  await stack?.close();
});

async function history(handle: WorkflowHandle) {
  return (await handle.fetchHistory()).events ?? [];
}
const signalsReceived = async (handle: WorkflowHandle) =>
  (await history(handle)).map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean);
const activitiesScheduled = async (handle: WorkflowHandle) =>
  (await history(handle)).map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);

async function entryStillPlacing() {
  const shopper = await seedShopper(stack.db);
  holdPreAuths();
  const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
  const entry = stack.client.workflow.getHandle(entryWorkflowId(authEvent.id));
  await eventually(async () => expect(await activitiesScheduled(entry)).toEqual(['placePreAuth']));
  expect(await authorizationsOf(stack.db, authEvent.id)).toEqual([]);
  return { authEvent, entry };
}

test('when the purchase arrives while the entry workflow is placing the pre-auth, then it waits for its signal and captures against that pre-auth', async () => {
  const { authEvent, entry } = await entryStillPlacing();
  const request = purchaseRequest([authEvent], [item('SKU-003')]);
  const tripId = request.idempotentShoppingTripId as string;
  expect((await post(stack.url, '/v1/order/purchases', request)).status).toBe(201);
  const purchase = stack.client.workflow.getHandle(purchaseWorkflowId(tripId));

  // The purchase asked, and waits: nothing captured, nothing charged.
  await eventually(async () => expect(await signalsReceived(entry)).toContain('preAuthRequested'));
  expect((await purchaseSettled(stack.db, tripId, ['RECEIVED'])).status).toBe('RECEIVED');
  expect(await ledger(stack.db, tripId)).toEqual([]);

  releasePreAuths();
  expect(await purchaseSettled(stack.db, tripId)).toMatchObject({ status: 'CAPTURED', total_minor: 599 });
  const [auth] = await authorizationsOf(stack.db, authEvent.id);
  expect(auth).toMatchObject({ status: 'CAPTURED', captured_minor: 599 });
  expect((await ledger(stack.db, tripId)).map((e) => [e.operation, e.idempotency_key])).toEqual([
    ['CAPTURE', `capture:${tripId}:${auth.authorization_id}`],
  ]);
  expect(await signalsReceived(purchase)).toEqual(['preAuthSettled']);
  // Read once, then once more after the signal; never polled through findTripAuthorizations.
  expect(await activitiesScheduled(purchase)).toEqual(['priceLines', 'settlePayments']);
  expect(await entry.result()).toMatchObject({ phase: 'TRIP_CLOSED', closedByTrip: tripId });
  // The trip captured this very pre-auth: the entry workflow leaves it alone.
  expect(await activitiesScheduled(entry)).toEqual(['placePreAuth']);
});

test('when the entry workflow does not answer within the wait, then the purchase charges the card directly', async () => {
  const { authEvent, entry } = await entryStillPlacing();
  try {
    // Started as the API would, with a short wait (the API never passes the option: 5 minutes).
    const request = purchaseRequest([authEvent], [item('SKU-003')]);
    const tripId = request.idempotentShoppingTripId as string;
    const input: PurchaseInput = {
      tripId,
      purchaseId: `P-${randomUUID()}`,
      storeId: STORE_ID,
      request: toPurchaseCart(request as any),
      badCartDeadlineMs: 3_600_000,
      badCartDefault: 'CHARGE_KNOWN',
    };
    await insertPurchaseOnce(stack.db, {
      tripId,
      purchaseId: input.purchaseId,
      storeId: STORE_ID,
      requestSha256: createHash('sha256').update(JSON.stringify(request)).digest('hex'),
      request,
      shopperId: null,
    });
    const options: PurchaseWorkflowOptions = { preAuthWaitMs: 1500 };
    const purchase = await stack.client.workflow.start('purchaseWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: purchaseWorkflowId(tripId),
      args: [input, options],
    });

    expect(await purchaseSettled(stack.db, tripId)).toMatchObject({ status: 'CAPTURED', total_minor: 599 });
    // A direct sale: the payment ledger books it as a CHARGE (no authorization).
    expect((await ledger(stack.db, tripId)).map((e) => [e.operation, e.outcome, e.idempotency_key])).toEqual([
      ['CHARGE', 'APPROVED', `charge:${tripId}`],
    ]);
    expect(await purchase.result()).toMatchObject({ status: 'CAPTURED', capturedMinor: 599 });
    expect(await activitiesScheduled(purchase)).toEqual(['priceLines', 'settlePayments']);
    expect(await signalsReceived(entry)).toEqual(['preAuthRequested', 'tripClosed']);
  } finally {
    releasePreAuths();
  }
  // The late pre-auth is placed; the entry's answer finds the purchase ended, and the trip is closed.
  expect(await entry.result()).toMatchObject({ phase: 'TRIP_CLOSED' });
  // The trip charged the card directly: the late pre-auth is released, not left holding the shopper's money.
  const [late] = await authorizationsOf(stack.db, authEvent.id);
  expect(late).toMatchObject({ status: 'VOIDED', captured_minor: 0 });
  expect(await activitiesScheduled(entry)).toEqual(['placePreAuth', 'voidPreAuth']);
});
