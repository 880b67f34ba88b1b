/**
 * The simulated SNS topic delivering catalog results to the local SQS server: the subscription
 * confirmation first, then a Notification envelope when an ingestion reaches a final state.
 */
import { ReceiveMessageCommand, DeleteMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { createAmazonCatalogClient, type AmazonCatalogClient } from '../../src/adapters/amazonCatalog';
import {
  startCatalogApiSimulator,
  type NotificationOptions,
  type RunningCatalogApiSimulator,
} from '../../src/tools/simulator/catalog';
import { startSqsServer, type RunningSqsServer } from '../../src/tools/simulator/sqs';

const KEYS = { accessKeyId: 'AKIDCATALOGSIM', secretAccessKey: 'catalog-simulator-secret' };
const REGION = 'us-east-1';
const ITEM = { item_sku: 'SKU-1', item_name: 'Still water', store_id: 'STORE-A', external_product_id: '012345678905' };

describe('catalog notifications over SNS → SQS', () => {
  let sqsServer: RunningSqsServer;
  let sqs: SQSClient;
  let queueUrl: string;
  let sim: RunningCatalogApiSimulator;
  let client: AmazonCatalogClient;

  async function start(notifications: Partial<NotificationOptions> = {}, now?: () => number): Promise<void> {
    sim = await startCatalogApiSimulator({
      credentials: KEYS,
      region: REGION,
      stores: [{ storeId: 'STORE-A', retailerId: 'RETAILER-1' }],
      processing: { inqueueMs: 30, inprogressMs: 30 },
      notifications: { sqs: queueUrl, ...notifications },
      now,
    });
    client = createAmazonCatalogClient({
      endpoint: sim.url,
      reportOrigins: [sim.url],
      region: REGION,
      credentials: async () => KEYS,
    });
  }

  /** Long-polls one message and deletes it, as a consumer would. */
  async function nextMessage(): Promise<Message> {
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    if (!Messages?.length) throw new Error('no message within 5 s');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages[0].ReceiptHandle }));
    return Messages[0];
  }

  async function confirmSubscription(): Promise<void> {
    const confirmation = JSON.parse((await nextMessage()).Body!);
    expect(confirmation).toMatchObject({ Type: 'SubscriptionConfirmation', Token: expect.any(String) });
    const response = await fetch(confirmation.SubscribeURL);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<SubscriptionArn>');
  }

  beforeEach(async () => {
    sqsServer = await startSqsServer();
    queueUrl = sqsServer.createQueue('catalog-notifications');
    sqs = new SQSClient({
      region: REGION,
      endpoint: sqsServer.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  afterEach(async () => {
    await sim?.close();
    sqs.destroy();
    await sqsServer.close();
  });

  test('when the subscription is confirmed and an upload is DONE, then a Notification carries the status and a working link', async () => {
    await start();
    expect(sim.state.subscription().status).toBe('Pending');
    await confirmSubscription();
    expect(sim.state.subscription().status).toBe('Complete');

    const upload = await client.uploadCatalog([ITEM]);
    if (upload.kind !== 'ok') throw new Error(upload.errorMsg);
    const envelope = JSON.parse((await nextMessage()).Body!);
    expect(envelope).toMatchObject({
      Type: 'Notification',
      MessageId: expect.any(String),
      TopicArn: `arn:aws:sns:${REGION}:000000000000:jwo-catalog-upload-status`,
      Timestamp: expect.any(String),
    });
    const message = JSON.parse(envelope.Message);
    expect(message).toEqual({
      ingestionId: upload.ingestionId,
      processingStatus: 'DONE',
      reportDownloadLink: expect.stringContaining('/__reports/'),
    });

    const report = await client.fetchReport(message.reportDownloadLink);
    expect(report.kind === 'ok' && client.parseReport(report.body).entries).toEqual([
      { sku: 'SKU-1', status: 'SUCCESS', errors: [] },
    ]);
  });

  test('when the subscription is not confirmed, then notifications are dropped as SNS would', async () => {
    await start();
    const upload = await client.uploadCatalog([ITEM]);
    if (upload.kind !== 'ok') throw new Error(upload.errorMsg);
    await waitFor(() => sim.state.deliveries().some((d) => d.type === 'Notification'));
    expect(sim.state.deliveries().map((d) => [d.type, d.delivered])).toEqual([
      ['SubscriptionConfirmation', true],
      ['Notification', false],
    ]);
  });

  test('when a test clock is moved past processing, then flushNotifications publishes at once', async () => {
    let clock = Date.now();
    await start({ requireConfirmation: false }, () => clock);
    await nextMessage(); // the confirmation
    const upload = await client.uploadCatalog([ITEM]);
    if (upload.kind !== 'ok') throw new Error(upload.errorMsg);
    await sim.flushNotifications();
    expect(sim.state.deliveries().filter((d) => d.type === 'Notification')).toHaveLength(0);
    clock += 60;
    await sim.flushNotifications();
    expect(JSON.parse(JSON.parse((await nextMessage()).Body!).Message)).toMatchObject({ processingStatus: 'DONE' });
  });

  test('when raw message delivery is on and the ingestion ends FATAL, then the body is the bare message without a link', async () => {
    await start({ rawMessageDelivery: true, requireConfirmation: false });
    JSON.parse((await nextMessage()).Body!); // the confirmation still comes as an envelope
    const upload = await client.uploadCatalog([ITEM]);
    if (upload.kind !== 'ok') throw new Error(upload.errorMsg);
    sim.faults.statusOverride.set(upload.ingestionId, 'FATAL');
    expect(JSON.parse((await nextMessage()).Body!)).toEqual({
      ingestionId: upload.ingestionId,
      processingStatus: 'FATAL',
      reportDownloadLink: '',
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
