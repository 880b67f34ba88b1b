/**
 * Records workflow histories from real runs into test/histories/*.json, for the determinism test
 * (test/workflow/determinism.test.ts) that replays them against the current workflow code.
 * Refresh them with `npm run histories:refresh` after an intended change to workflow code
 * (a change that would break running workflows needs workflow versioning instead: see the README).
 *
 * Histories of an older path that running workflows still take are FROZEN: they are never
 * re-recorded (writeHistory refuses their names), and the path that replaced them is recorded
 * under new names. `-t 'purchase-fewer-trips'` records only the histories of that patch.
 */
import { createHash, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { catalogUploadWorkflowId, entryWorkflowId, purchaseWorkflowId } from '../../src/shared/workflowIds';
import { catalogItems, seedCatalog, startCatalogStack } from '../support/catalogStack';
import { enterStore, item, post, purchaseRequest, seedShopper } from '../support/fixtures';
import { createSimulatedGateway } from '../../src/adapters/payments/simulatedGateway';
import type { PaymentGateway } from '../../src/adapters/payments/paymentGateway';
import { preAuthPlaced, purchaseSettled } from '../support/purchases';
import { insertPurchaseOnce } from '../../src/adapters/purchases/purchaseStore';
import {
  toPurchaseCart,
  type PurchaseCart,
  type PurchaseInput,
  type PurchaseWorkflowOptions,
} from '../../src/shared/purchaseMessages';
import { startTestStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';

/** Recorded before patch purchase-fewer-trips: purchases started then still replay them. */
const FROZEN = new Set(['purchase-captured', 'purchase-empty-cart', 'purchase-bad-cart-corrected']);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { PREAUTH_HORIZON: '2s', BAD_CART_DEADLINE: '1h' } });
  await seedDemoStore(stack.db);
});
afterAll(() => stack?.close());

/** The CLI writes the history in the JSON form the replayer reads. */
function writeHistory(name: string, workflowId: string) {
  if (FROZEN.has(name))
    throw new Error(`${name}.json stands for workflows running on an older path: record a new name`);
  const json = execFileSync(
    process.env.JWO_TEST_TEMPORAL_CLI!,
    ['workflow', 'show', '--address', process.env.JWO_TEST_TEMPORAL_ADDRESS!, '-w', workflowId, '-o', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  writeFileSync(join(__dirname, `${name}.json`), json);
}

async function save(name: string, workflowId: string) {
  await stack.client.workflow.getHandle(workflowId).result();
  writeHistory(name, workflowId);
}

async function trip(cart: unknown[]) {
  const shopper = await seedShopper(stack.db);
  const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
  await preAuthPlaced(stack.db, authEvent.id);
  const request = purchaseRequest([authEvent], cart);
  await post(stack.url, '/v1/order/purchases', request);
  return { authEvent, tripId: request.idempotentShoppingTripId as string };
}

test('record: entry voided at the horizon', async () => {
  const shopper = await seedShopper(stack.db);
  const authEvent = await enterStore(stack.url, stack.db, stack.config, shopper.shopperId);
  await save('entry-voided-at-horizon', entryWorkflowId(authEvent.id));
});

test('record: entry closed by the trip', async () => {
  const { authEvent, tripId } = await trip([item('SKU-003')]);
  await stack.client.workflow.getHandle(purchaseWorkflowId(tripId)).result();
  await save('entry-trip-closed', entryWorkflowId(authEvent.id));
});

test('record (purchase-fewer-trips): purchase captured', async () => {
  const { tripId } = await trip([item('SKU-001', '3'), item('SKU-005', '1.25', 'lb')]);
  await save('purchase-captured-fewer-trips', purchaseWorkflowId(tripId));
});

test('record (purchase-fewer-trips): empty cart', async () => {
  const { tripId } = await trip([]);
  await save('purchase-empty-cart-fewer-trips', purchaseWorkflowId(tripId));
});

test('record (purchase-fewer-trips): purchase waiting for the pre-auth the entry workflow is placing', async () => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const slow = await startTestStack({
    payments: (db) => {
      const real = createSimulatedGateway(db);
      const gateway: PaymentGateway = {
        ...real,
        async authorize(request) {
          await held; // the entry workflow is still placing the pre-auth when the purchase arrives
          return real.authorize(request);
        },
      };
      return gateway;
    },
  });
  try {
    await seedDemoStore(slow.db);
    const shopper = await seedShopper(slow.db);
    const authEvent = await enterStore(slow.url, slow.db, slow.config, shopper.shopperId);
    const request = purchaseRequest([authEvent], [item('SKU-003')]);
    await post(slow.url, '/v1/order/purchases', request);
    const entry = slow.client.workflow.getHandle(entryWorkflowId(authEvent.id));
    await eventually(async () => {
      const events = (await entry.fetchHistory()).events ?? [];
      if (!events.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'preAuthRequested'))
        throw new Error('the purchase has not asked yet');
    });
    release();
    await slow.client.workflow.getHandle(purchaseWorkflowId(request.idempotentShoppingTripId)).result();
    await entry.result();
    writeHistory('purchase-waited-for-preauth', purchaseWorkflowId(request.idempotentShoppingTripId));
    writeHistory('entry-answered-preauth-request', entryWorkflowId(authEvent.id));
  } finally {
    release();
    await slow.close();
  }
});

test('record (purchase-fewer-trips): bad cart corrected by an operator', async () => {
  const { tripId } = await trip([item('SKU-003'), item('SKU-UNKNOWN', '1', 'unit', { lineItemId: 'L-2' })]);
  await purchaseSettled(stack.db, tripId, ['BAD_CART']);
  await post(
    stack.url,
    `/ops/v1/badcarts/${tripId}/resolve`,
    { decision: 'CORRECT', operator: 'recorder', corrections: [{ lineId: 'L-2', sku: 'SKU-004' }] },
    { 'x-operator-key': 'demo-operator-key' },
  );
  await save('purchase-bad-cart-corrected-fewer-trips', purchaseWorkflowId(tripId));
});

test('record (purchase-guards-money): no admitted payer, reviewed and written off', async () => {
  const shopper = await seedShopper(stack.db);
  const authEvent = {
    id: randomUUID(),
    timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    location: 'ENTRY',
    payloadType: 'SCAN_CODE',
    scanResult: { id: shopper.shopperId, type: 'SHOPPER' },
  };
  const request = purchaseRequest([authEvent], [item('SKU-003')]);
  const tripId = request.idempotentShoppingTripId as string;
  await post(stack.url, '/v1/order/purchases', request);
  await purchaseSettled(stack.db, tripId, ['BAD_CART']);
  await post(
    stack.url,
    `/ops/v1/badcarts/${tripId}/resolve`,
    { decision: 'WRITE_OFF' },
    { 'x-operator-key': 'demo-operator-key' },
  );
  await save('purchase-no-admitted-payer-written-off', purchaseWorkflowId(tripId));
});

test('record (purchase-guards-money, entry-voids-unused-preauth): a late pre-auth voided after a direct charge', async () => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const slow = await startTestStack({
    payments: (db) => {
      const real = createSimulatedGateway(db);
      const gateway: PaymentGateway = {
        ...real,
        async authorize(request) {
          await held; // placed only after the purchase stopped waiting and charged the card directly
          return real.authorize(request);
        },
      };
      return gateway;
    },
  });
  try {
    await seedDemoStore(slow.db);
    const shopper = await seedShopper(slow.db);
    const authEvent = await enterStore(slow.url, slow.db, slow.config, shopper.shopperId);
    const request = purchaseRequest([authEvent], [item('SKU-003')]);
    const tripId = request.idempotentShoppingTripId as string;
    const input: PurchaseInput = {
      tripId,
      purchaseId: `P-${randomUUID()}`,
      storeId: request.storeId,
      request: toPurchaseCart(request as PurchaseCart),
      badCartDeadlineMs: 3_600_000,
      badCartDefault: 'CHARGE_KNOWN',
    };
    await insertPurchaseOnce(slow.db, {
      tripId,
      purchaseId: input.purchaseId,
      storeId: input.storeId,
      requestSha256: createHash('sha256').update(JSON.stringify(request)).digest('hex'),
      request,
      shopperId: null,
    });
    const options: PurchaseWorkflowOptions = { preAuthWaitMs: 1500 };
    const purchase = await slow.client.workflow.start('purchaseWorkflow', {
      taskQueue: slow.taskQueue,
      workflowId: purchaseWorkflowId(tripId),
      args: [input, options],
    });
    await purchase.result();
    release();
    const entry = slow.client.workflow.getHandle(entryWorkflowId(authEvent.id));
    await entry.result();
    writeHistory('purchase-charged-directly-guarded', purchaseWorkflowId(tripId));
    writeHistory('entry-voided-unused-preauth', entryWorkflowId(authEvent.id));
  } finally {
    release();
    await slow.close();
  }
});

test('record: catalog upload with a failed item, to the report', async () => {
  const catalog = await startCatalogStack();
  try {
    const items = catalogItems(25);
    items[3] = { ...items[3], item_name: `${items[3].item_name} FAIL` }; // the simulator's hook for a FAILED report row
    await seedCatalog(catalog.stack.db, items);
    const uploadId = await catalog.upload();
    await catalog.summary(uploadId);
    writeHistory('catalog-upload-with-failed-item', catalogUploadWorkflowId(uploadId));
  } finally {
    await catalog.close();
  }
});
