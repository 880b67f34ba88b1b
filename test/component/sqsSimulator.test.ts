/** The local SQS server driven by the real @aws-sdk/client-sqs (AWS JSON 1.0 protocol). */
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startSqsServer, type RunningSqsServer } from '../../src/tools/simulator/sqs';

describe('SQS simulator', () => {
  let server: RunningSqsServer;
  let sqs: SQSClient;
  let queueUrl: string;

  beforeEach(async () => {
    server = await startSqsServer();
    sqs = new SQSClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'catalog-status' }))).QueueUrl!;
  });

  afterEach(async () => {
    sqs.destroy();
    await server.close();
  });

  test('when a message is sent, then it is received once with its body and MD5, and gone after delete', async () => {
    expect(queueUrl).toBe(`${server.url}/000000000000/catalog-status`);
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'catalog-status' }))).QueueUrl).toBe(queueUrl);

    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"hello":"world"}' }));
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }),
    );
    // The SDK itself checks MD5OfBody against the body, so getting here proves the checksum is right.
    expect(received.Messages).toEqual([
      expect.objectContaining({
        MessageId: sent.MessageId,
        Body: '{"hello":"world"}',
        Attributes: { ApproximateReceiveCount: '1' },
      }),
    ]);
    expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }))).Messages).toBeUndefined();

    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: received.Messages![0].ReceiptHandle }),
    );
    expect(server.queue('catalog-status')?.approximateNumberOfMessages).toBe(0);
  });

  test('when a long poll is waiting, then it returns as soon as a message arrives', async () => {
    const started = Date.now();
    const polling = sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
    setTimeout(() => void sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'late' })), 150);
    const received = await polling;
    expect(received.Messages?.map((m) => m.Body)).toEqual(['late']);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('when a long poll finds nothing, then it answers empty after WaitTimeSeconds', async () => {
    const started = Date.now();
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 }));
    expect(received.Messages).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test('when a received message is not deleted in its visibility timeout, then it comes back with a new receipt handle', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'retry me' }));
    const first = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 1 }));
    const again = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5, MessageSystemAttributeNames: ['All'] }),
    );
    const [before, after] = [first.Messages![0], again.Messages![0]];
    expect(after.MessageId).toBe(before.MessageId);
    expect(after.ReceiptHandle).not.toBe(before.ReceiptHandle);
    expect(after.Attributes?.ApproximateReceiveCount).toBe('2');

    // The stale handle no longer deletes it (as SQS warns); the latest one does.
    const queue = server.queue('catalog-status')!;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: before.ReceiptHandle }));
    expect(queue.approximateNumberOfMessagesNotVisible).toBe(1);
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: after.ReceiptHandle }));
    expect(queue.approximateNumberOfMessagesNotVisible + queue.approximateNumberOfMessages).toBe(0);
  });

  test('when the queue or the receipt handle does not exist, then SQS errors come back by name', async () => {
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'missing' }))).rejects.toMatchObject({
      name: 'QueueDoesNotExist',
    });
    await expect(
      sqs.send(new SendMessageCommand({ QueueUrl: `${server.url}/000000000000/missing`, MessageBody: 'x' })),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
    await expect(
      sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'forged' })),
    ).rejects.toMatchObject({ name: 'ReceiptHandleIsInvalid' });
  });

  test('when the server closes during a long poll, then the poll ends instead of holding the process', async () => {
    const polling = sqs
      .send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 }))
      .catch((err: Error) => err);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = Date.now();
    await server.close();
    await polling;
    expect(Date.now() - closing).toBeLessThan(1000);
    server = await startSqsServer(); // afterEach closes this one
  });
});
