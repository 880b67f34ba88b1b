/**
 * Operations: finding workflows by search attribute, listing and showing purchases, and replaying
 * a failed purchase so that it captures exactly once (proved from the ledger and its keys).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ApplicationFailure } from '@temporalio/activity';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { createSimulatedGateway } from '../../src/adapters/payments/simulatedGateway';
import type { PaymentGateway } from '../../src/adapters/payments/paymentGateway';
import { entryWorkflowId, purchaseWorkflowId } from '../../src/shared/workflowIds';
import { enterStore, getJson, item, post, purchaseRequest, seedShopper } from '../support/fixtures';
import { ledger, preAuthPlaced, purchaseSettled } from '../support/purchases';
import { startTestStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';

const run = promisify(execFile);
const ops = { 'x-operator-key': 'demo-operator-key' };

describe('operations', () => {
  let stack: TestStack;
  /** The processor captures, then answers with something we cannot accept: the run fails after the money moved. */
  let breakNextCapture = false;

  beforeAll(async () => {
    stack = await startTestStack({
      payments: (db) => {
        const real = createSimulatedGateway(db);
        const flaky: PaymentGateway = {
          ...real,
          async capture(request) {
            const result = await real.capture(request);
            if (breakNextCapture) {
              breakNextCapture = false;
              throw ApplicationFailure.nonRetryable(
                'processor answered with an unreadable capture response',
                'MalformedProcessorResponse',
              );
            }
            return result;
          },
        };
        return flaky;
      },
    });
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  async function purchase(cart = [item('SKU-003')]) {
    const shopper = await seedShopper(stack.db);
    const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
    await preAuthPlaced(stack.db, authEvent.id);
    const request = purchaseRequest([authEvent], cart);
    const answer = await post(stack.url, '/v1/order/purchases', request);
    return {
      shopper,
      authEvent,
      tripId: request.idempotentShoppingTripId as string,
      purchaseId: answer.body.purchaseId as string,
    };
  }

  test("when an operator searches Temporal by StoreId, ShopperId, TripId and PurchaseStatus, then the trip's workflows are found", async () => {
    const { shopper, authEvent, tripId } = await purchase();
    await purchaseSettled(stack.db, tripId);
    const ids = async (query: string) => {
      const found: string[] = [];
      for await (const wf of stack.client.workflow.list({ query })) found.push(wf.workflowId);
      return found;
    };
    await eventually(async () => {
      expect(await ids(`TripId = '${tripId}'`)).toEqual([purchaseWorkflowId(tripId)]);
      expect(await ids(`ShopperId = '${shopper.shopperId}'`)).toEqual(
        expect.arrayContaining([entryWorkflowId(authEvent.id)]),
      );
      expect(await ids(`StoreId = 'STORE-001' AND PurchaseStatus = 'CAPTURED' AND TripId = '${tripId}'`)).toEqual([
        purchaseWorkflowId(tripId),
      ]);
    });
  });

  test('when an operator lists and shows purchases, then filters by status, store and time work and show has the breakdown and ledger', async () => {
    const since = new Date().toISOString();
    const { tripId, purchaseId } = await purchase([item('SKU-001', '3')]);
    await purchaseSettled(stack.db, tripId);
    const captured = await getJson(
      stack.url,
      `/ops/v1/purchases?status=CAPTURED&store=STORE-001&since=${encodeURIComponent(since)}`,
    );
    expect(captured.body.map((p: any) => p.tripId)).toEqual([tripId]);
    expect((await getJson(stack.url, '/ops/v1/purchases?store=STORE-999')).body).toEqual([]);
    expect((await getJson(stack.url, '/ops/v1/purchases?status=bad status')).status).toBe(400);
    for (const id of [tripId, purchaseId]) {
      const shown = (await getJson(stack.url, `/ops/v1/purchases/${id}`)).body;
      expect(shown).toMatchObject({ tripId, purchaseId, status: 'CAPTURED', workflowId: purchaseWorkflowId(tripId) });
      expect(shown.receipt.lines[0]).toMatchObject({
        sku: 'SKU-001',
        quantity: '3',
        grossMinor: 597,
        discounts: [{ promotionId: 'PROMO-DRINKS-3FOR5', amountMinor: 97 }],
        taxMinor: 41,
        totalMinor: 541,
      });
      expect(shown.ledger.map((e: any) => e.idempotency_key)).toEqual([
        expect.stringMatching(new RegExp(`^capture:${tripId}:auth_`)),
      ]);
    }
  });

  test('when a failed purchase is replayed, then it completes and the card is captured exactly once', async () => {
    breakNextCapture = true;
    const { tripId } = await purchase([item('SKU-003', '2')]);
    const failed = await purchaseSettled(stack.db, tripId, ['FAILED']);
    expect(failed.failure).toBe('processor answered with an unreadable capture response');
    await eventually(async () =>
      expect((await stack.client.workflow.getHandle(purchaseWorkflowId(tripId)).describe()).status.name).toBe('FAILED'),
    );
    expect((await getJson(stack.url, '/ops/v1/purchases?status=FAILED')).body.map((p: any) => p.tripId)).toContain(
      tripId,
    );

    const replay = await post(stack.url, `/ops/v1/purchases/${tripId}/replay`, { operator: 'alice@ops' }, ops);
    expect(replay.status).toBe(202);
    const done = await purchaseSettled(stack.db, tripId, ['CAPTURED']);
    expect(done.total_minor).toBe(1198);
    // Recorded under the credential's operator (the demo key acts as "operator"), never the body's name.
    expect(done.replays).toEqual([expect.objectContaining({ by: 'operator', runId: replay.body.runId })]);
    const captures = (await ledger(stack.db, tripId)).filter((e) => e.operation === 'CAPTURE');
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ outcome: 'APPROVED', amount_minor: 1198 });

    await stack.client.workflow.getHandle(purchaseWorkflowId(tripId)).result();
    const again = await post(stack.url, `/ops/v1/purchases/${tripId}/replay`, { operator: 'alice@ops' }, ops);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/is CAPTURED, not failed/);
  });

  test('when the jwo CLI lists, shows and settles through the operator API, then it prints what the API says', async () => {
    const { tripId, purchaseId } = await purchase();
    await purchaseSettled(stack.db, tripId);
    const env = { ...process.env, JWO_API_URL: stack.url, JWO_OPERATOR_KEY: 'demo-operator-key' };
    const cli = (...args: string[]) => run('node', ['dist/tools/cli/jwo.js', ...args], { env });
    const list = await cli('purchases', 'list', '--status', 'captured', '--limit', '1000');
    expect(list.stdout).toContain(tripId);
    const show = await cli('purchases', 'show', purchaseId);
    expect(show.stdout).toMatch(/Chicken Sandwich\s+1\.0 each × 5\.99\/each\s+5\.99/);
    expect(show.stdout).toMatch(/CAPTURE\s+APPROVED\s+5\.99 USD/);
    await expect(cli('purchases', 'replay', tripId)).rejects.toMatchObject({
      stderr: expect.stringMatching(/not failed: nothing to replay/),
    });
    await expect(
      run('node', ['dist/tools/cli/jwo.js', 'purchases', 'list'], {
        env: { ...env, JWO_API_URL: 'http://127.0.0.1:9' },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringMatching(/cannot reach the connector/) });
  });
});
