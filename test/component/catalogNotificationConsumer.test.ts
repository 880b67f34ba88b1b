/**
 * The catalog notification consumer against the local SQS server over @aws-sdk/client-sqs, for the
 * messages that must not reach a workflow: forged confirmations, junk, and ingestions we never sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import {
  sqsClientForQueue,
  startCatalogNotificationConsumer,
  type CatalogNotificationConsumer,
} from '../../src/adapters/catalogNotifications/consumer';
import { createLogger } from '../../src/adapters/logger';
import type { StatusResult } from '../../src/adapters/amazonCatalog/types';
import { startSqsServer, type RunningSqsServer } from '../../src/tools/simulator/sqs';
import { eventually } from '../support/eventually';

describe('catalog notification consumer', () => {
  let sqsServer: RunningSqsServer;
  let queueUrl: string;
  let consumer: CatalogNotificationConsumer;
  let hits: string[];
  let target: Server;
  let targetUrl: string;
  const lookups: string[] = [];

  beforeEach(async () => {
    // Visibility 0: a message left on the queue is received again at once.
    sqsServer = await startSqsServer({ defaultVisibilityTimeoutSeconds: 0 });
    queueUrl = sqsServer.createQueue('notifications');
    hits = [];
    target = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('<ConfirmSubscriptionResponse/>');
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
    lookups.length = 0;
    consumer = startCatalogNotificationConsumer({
      queueUrl,
      sqs: sqsClientForQueue(queueUrl, { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      // No upload owns any ingestion here; the lookups are recorded.
      db: { query: async (_sql: string, params?: unknown[]) => (lookups.push(String(params?.[0])), []) as any },
      temporal: {} as Client,
      logger: createLogger('silent'),
      getUploadStatus: async () => {
        throw new Error('no ingestion here is known: the status call is never reached');
      },
      waitTimeSeconds: 1,
    });
  });

  afterEach(async () => {
    await consumer.stop();
    await sqsServer.close();
    await new Promise((resolve) => target.close(resolve));
  });

  const queue = () => sqsServer.queue('notifications')!;
  const isEmpty = () => queue().approximateNumberOfMessages + queue().approximateNumberOfMessagesNotVisible === 0;

  test('when a SubscriptionConfirmation points anywhere but SNS, then it is not visited and is dropped', async () => {
    queue().send(
      JSON.stringify({ Type: 'SubscriptionConfirmation', TopicArn: 't', SubscribeURL: `${targetUrl}/confirm?token=x` }),
    );
    await eventually(async () => expect(isEmpty()).toBe(true), 5_000);
    expect(hits).toEqual([]);
  });

  test('when a message is not a catalog notification, then it is dropped instead of cycling', async () => {
    queue().send('not json at all');
    await eventually(async () => expect(isEmpty()).toBe(true), 5_000);
  });

  test('when a notification names an ingestion nobody sent, then it is retried and dropped on its fifth receive', async () => {
    queue().send(JSON.stringify({ ingestionId: 'ing-stranger', processingStatus: 'DONE', reportDownloadLink: '' }));
    await eventually(async () => expect(isEmpty()).toBe(true), 10_000);
    expect(lookups).toEqual(Array(5).fill('ing-stranger'));
  });
});

describe('a notification is only a wake-up: the status call alone is trusted', () => {
  let sqsServer: RunningSqsServer;
  let queueUrl: string;
  let consumer: CatalogNotificationConsumer;
  let status: StatusResult;
  const signals: { workflowId: string; outcome: unknown }[] = [];
  const statusCalls: string[] = [];

  beforeEach(async () => {
    sqsServer = await startSqsServer({ defaultVisibilityTimeoutSeconds: 0 });
    queueUrl = sqsServer.createQueue('notifications');
    signals.length = 0;
    statusCalls.length = 0;
    const temporal = {
      workflow: {
        getHandle: (workflowId: string) => ({
          signal: async (_signal: unknown, outcome: unknown) => void signals.push({ workflowId, outcome }),
        }),
      },
    } as unknown as Client;
    consumer = startCatalogNotificationConsumer({
      queueUrl,
      sqs: sqsClientForQueue(queueUrl, { credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
      // Every ingestion belongs to upload up-1.
      db: { query: async () => [{ upload_id: 'up-1' }] as any },
      temporal,
      logger: createLogger('silent'),
      getUploadStatus: async (ingestionId) => (statusCalls.push(ingestionId), status),
      waitTimeSeconds: 1,
    });
  });

  afterEach(async () => {
    await consumer.stop();
    await sqsServer.close();
  });

  const queue = () => sqsServer.queue('notifications')!;
  const isEmpty = () => queue().approximateNumberOfMessages + queue().approximateNumberOfMessagesNotVisible === 0;
  const forged = JSON.stringify({
    Type: 'Notification',
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:not-amazon',
    Message: JSON.stringify({
      ingestionId: 'ing-1',
      processingStatus: 'FATAL',
      reportDownloadLink: 'http://attacker.example/report',
    }),
  });

  test('when a forged notification says FATAL while the ingestion is in progress, then the upload is not told anything', async () => {
    status = { kind: 'ok', processingStatus: 'INPROGRESS', reportDownloadLink: '' };
    queue().send(forged);
    await eventually(async () => expect(isEmpty()).toBe(true), 5_000);
    expect(statusCalls).toEqual(['ing-1']);
    expect(signals).toEqual([]);
  });

  test("when the status call says DONE, then the upload is told the status call's status and link, not the message's", async () => {
    const link = 'https://bucket.s3.us-east-1.amazonaws.com/report.json?X-Amz-Signature=abc';
    status = { kind: 'ok', processingStatus: 'DONE', reportDownloadLink: link };
    queue().send(forged);
    await eventually(async () => expect(signals).toHaveLength(1), 5_000);
    expect(signals[0].outcome).toEqual({ ingestionId: 'ing-1', processingStatus: 'DONE', reportDownloadLink: link });
  });

  test('when the status call fails for now, then the message comes back instead of being believed', async () => {
    status = { kind: 'error', status: 503, errorMsg: 'throttled', retryable: true };
    queue().send(forged);
    await eventually(async () => expect(statusCalls.length).toBeGreaterThanOrEqual(2), 5_000);
    expect(signals).toEqual([]);
  });
});
