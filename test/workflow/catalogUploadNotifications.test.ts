/**
 * The SNS → SQS notification path end to end: the simulated topic delivers to a local SQS queue,
 * the real consumer (@aws-sdk/client-sqs) confirms the subscription and signals the upload
 * workflow. Whichever of notification and status poll comes first ends the wait.
 */
import { listUploadItems } from '../../src/adapters/catalog/catalogUploadStore';
import {
  catalogItems,
  firstPollFailed,
  pollWasCancelled,
  seedCatalog,
  startCatalogStack,
  type CatalogStack,
} from '../support/catalogStack';
import { eventually } from '../support/eventually';

/** Long enough that only a notification can end the wait within a test. */
const NEVER_POLL_AGAIN = { CATALOG_POLL_INTERVAL: '1h' };

describe('catalog notifications ending the wait', () => {
  let catalog: CatalogStack | undefined;
  afterEach(async () => {
    await catalog?.close();
    catalog = undefined;
  });

  async function uploadThreeItems(stack: CatalogStack) {
    await seedCatalog(stack.stack.db, catalogItems(3));
    const uploadId = await stack.upload();
    return { uploadId, summary: await stack.summary(uploadId) };
  }

  /** Uploads with Amazon's clock stopped, lets the first poll find the ingestion INQUEUE, then lets Amazon finish and notify. */
  async function uploadFinishedByNotification(stack: CatalogStack, advanceSimulatorClock: () => void) {
    await seedCatalog(stack.stack.db, catalogItems(3));
    const uploadId = await stack.upload();
    await firstPollFailed(stack.stack, uploadId);
    advanceSimulatorClock();
    await stack.sim.flushNotifications();
    return { uploadId, summary: await stack.summary(uploadId) };
  }

  function queueIsEmpty(stack: CatalogStack): boolean {
    const queue = stack.sqsServer!.queue('catalog-notifications')!;
    return queue.approximateNumberOfMessages + queue.approximateNumberOfMessagesNotVisible === 0;
  }

  test('when the notification arrives before the next poll, then it ends the wait and the poll is cancelled', async () => {
    // The first poll (at once) finds the ingestion INQUEUE; the next would be an hour later.
    let simulatorNow = Date.now();
    catalog = await startCatalogStack({
      notifications: {},
      simulator: { now: () => simulatorNow },
      env: NEVER_POLL_AGAIN,
    });
    const { uploadId, summary } = await uploadFinishedByNotification(catalog, () => (simulatorNow += 1_000));

    expect(summary).toMatchObject({ status: 'COMPLETED', items: { succeeded: 3 } });
    expect(await pollWasCancelled(catalog.stack, uploadId)).toBe(true);
    expect(catalog.sim.state.subscription().status).toBe('Complete');
    await eventually(async () => expect(queueIsEmpty(catalog!)).toBe(true));
  });

  test('when the queue gets raw messages without the SNS envelope, then they end the wait too', async () => {
    let simulatorNow = Date.now();
    catalog = await startCatalogStack({
      notifications: { rawMessageDelivery: true },
      simulator: { now: () => simulatorNow },
      env: NEVER_POLL_AGAIN,
    });
    const { uploadId, summary } = await uploadFinishedByNotification(catalog, () => (simulatorNow += 1_000));

    expect(summary).toMatchObject({ status: 'COMPLETED', items: { succeeded: 3 } });
    expect(await pollWasCancelled(catalog.stack, uploadId)).toBe(true);
  });

  test('when the notification arrives after polling finished the upload, then it is consumed and deleted without changing anything', async () => {
    catalog = await startCatalogStack({ notifications: { requireConfirmation: false }, startConsumer: false });
    const { uploadId, summary } = await uploadThreeItems(catalog);
    expect(summary).toMatchObject({ status: 'COMPLETED', items: { succeeded: 3 } });
    expect(await pollWasCancelled(catalog.stack, uploadId)).toBe(false);
    await eventually(async () =>
      expect(catalog!.sim.state.deliveries().filter((d) => d.type === 'Notification' && d.delivered)).toHaveLength(1),
    );

    catalog.startConsumer();
    await eventually(async () => expect(queueIsEmpty(catalog!)).toBe(true));
    expect((await listUploadItems(catalog.stack.db, uploadId)).map((item) => item.status)).toEqual([
      'SUCCESS',
      'SUCCESS',
      'SUCCESS',
    ]);
  });

  test('when the notified report link has expired by the time it is used, then a fresh link is fetched through the status call', async () => {
    let simulatorNow = Date.now();
    catalog = await startCatalogStack({
      notifications: { requireConfirmation: false },
      startConsumer: false,
      simulator: { now: () => simulatorNow, reportTtlMs: 60_000 },
      env: NEVER_POLL_AGAIN,
    });
    await seedCatalog(catalog.stack.db, catalogItems(3));
    const uploadId = await catalog.upload();
    await firstPollFailed(catalog.stack, uploadId);

    // Amazon finishes and notifies; the link it sends is valid for a minute, and two minutes pass before it is used.
    simulatorNow += 1_000;
    await catalog.sim.flushNotifications();
    const [notification] = catalog.sim.state.deliveries().filter((d) => d.type === 'Notification');
    const expiredLink: string = JSON.parse(JSON.parse(notification.body).Message).reportDownloadLink;
    simulatorNow += 120_000;
    expect((await fetch(expiredLink)).status).toBe(403);

    catalog.startConsumer();
    expect(await catalog.summary(uploadId)).toMatchObject({ status: 'COMPLETED', items: { succeeded: 3 } });
    expect(await pollWasCancelled(catalog.stack, uploadId)).toBe(true);
  });
});
