/**
 * Where the simulated SNS topic delivers: anything that can send one SQS message. A queue URL is
 * sent to with the real `@aws-sdk/client-sqs`, as SNS → SQS delivery would arrive; the local SQS
 * server (src/tools/simulator/sqs) does not check signatures, so the client signs with placeholder keys.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export interface SqsMessageSink {
  sendMessage(body: string): Promise<void>;
  /** Releases connections; called when the simulator stops. */
  close?(): void;
}

export function sqsQueueSink(queueUrl: string, region: string): SqsMessageSink {
  const client = new SQSClient({
    region,
    endpoint: new URL(queueUrl).origin,
    credentials: { accessKeyId: 'catalog-simulator', secretAccessKey: 'catalog-simulator' },
  });
  return {
    async sendMessage(body) {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    },
    close: () => client.destroy(),
  };
}
