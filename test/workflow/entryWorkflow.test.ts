/** EntryWorkflow on a real Temporal server: the pre-auth is placed once and voided at the horizon if no purchase comes. */
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { entryStatusQuery } from '../../src/shared/entryMessages';
import { entryWorkflowId } from '../../src/shared/workflowIds';
import { enterStore, item, post, purchaseRequest, seedShopper } from '../support/fixtures';
import { authorizationsOf, ledger, preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';

describe('EntryWorkflow', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { PREAUTH_HORIZON: '3s' } });
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  test('when no purchase closes the trip before the horizon, then the pre-auth is voided and the workflow ends', async () => {
    const shopper = await seedShopper(stack.db);
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    const handle = stack.client.workflow.getHandle(entryWorkflowId(authEvent.id));
    expect(await handle.result()).toMatchObject({ phase: 'VOIDED_AT_HORIZON' });
    const [auth] = await authorizationsOf(stack.db, authEvent.id);
    expect(auth).toMatchObject({ status: 'VOIDED', authorized_minor: 5000, captured_minor: 0 });
    expect(
      await stack.db.query('SELECT operation FROM payment_ledger WHERE authorization_id = $1 ORDER BY entry_id', [
        auth.authorization_id,
      ]),
    ).toEqual([{ operation: 'AUTHORIZE' }, { operation: 'VOID' }]);
  });

  test('when the purchase closes the trip, then the entry workflow ends without voiding the captured pre-auth', async () => {
    const shopper = await seedShopper(stack.db);
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    await preAuthPlaced(stack.db, authEvent.id);
    const request = purchaseRequest([authEvent], [item('SKU-003')]);
    await post(stack.url, '/v1/order/purchases', request);
    await purchaseSettled(stack.db, request.idempotentShoppingTripId);
    const result = await stack.client.workflow.getHandle(entryWorkflowId(authEvent.id)).result();
    expect(result).toMatchObject({ phase: 'TRIP_CLOSED', closedByTrip: request.idempotentShoppingTripId });
    expect((await authorizationsOf(stack.db, authEvent.id))[0].status).toBe('CAPTURED');
  });

  test('when the card declines the pre-auth, then the entry records it and the purchase charges the card directly', async () => {
    const shopper = await seedShopper(stack.db, { paymentToken: 'tok_decline' });
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    const handle = stack.client.workflow.getHandle(entryWorkflowId(authEvent.id));
    expect(await handle.result()).toMatchObject({ phase: 'PREAUTH_DECLINED', declineReason: 'card declined' });
    expect(await handle.query(entryStatusQuery)).toMatchObject({ phase: 'PREAUTH_DECLINED' });
    const request = purchaseRequest([authEvent], [item('SKU-003')]);
    await post(stack.url, '/v1/order/purchases', request);
    expect(await purchaseSettled(stack.db, request.idempotentShoppingTripId)).toMatchObject({ status: 'DEBT' });
    expect((await ledger(stack.db, request.idempotentShoppingTripId)).map((e) => e.idempotency_key)).toEqual([
      `charge:${request.idempotentShoppingTripId}`,
    ]);
  });
});
