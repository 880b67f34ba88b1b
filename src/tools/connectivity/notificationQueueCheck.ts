/**
 * The catalog notification queue, as the worker's consumer sees it: one ReceiveMessage on
 * CATALOG_SQS_QUEUE_URL with the same kind of client and credentials. It waits 0 s and sets a
 * visibility timeout of 0, so a message it happens to receive is visible again at once for the
 * consumer (its receive count grows by one).
 */
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { CHECKS, messageOf, ok, problem, type CheckRow } from './checkRow';

const CHECK = CHECKS.queue;
export const QUEUE_URL_UNSET_FIX =
  "set CATALOG_SQS_QUEUE_URL to JwoOnboarding's output CatalogNotificationQueueUrl (the connector stack sets it on the worker)";

export async function checkNotificationQueue(input: {
  queueUrl: string | undefined;
  /** Builds the client lazily: its credentials may fail to build (a half-set environment). */
  sqs: () => SQSClient;
  timeoutMs?: number;
}): Promise<CheckRow> {
  if (!input.queueUrl) return problem(CHECK, 'CATALOG_SQS_QUEUE_URL is not set', QUEUE_URL_UNSET_FIX);
  let sqs: SQSClient | undefined;
  try {
    sqs = input.sqs();
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: input.queueUrl,
        MaxNumberOfMessages: 1,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 0,
      }),
      { abortSignal: AbortSignal.timeout(input.timeoutMs ?? 10_000) },
    );
    const waiting = received.Messages?.length ?? 0;
    return ok(
      CHECK,
      `ReceiveMessage on ${input.queueUrl} answered${waiting ? ' (a message is waiting; left for the consumer)' : ''}`,
    );
  } catch (err) {
    return interpretQueueError(err, input.queueUrl);
  } finally {
    sqs?.destroy();
  }
}

/** An SQS client's failure, read for what to fix. Pure. */
export function interpretQueueError(err: unknown, queueUrl: string): CheckRow {
  const name = (err as { name?: unknown })?.name;
  const message = messageOf(err);
  if (name === 'QueueDoesNotExist' || /NonExistentQueue|does not exist/i.test(`${String(name)} ${message}`)) {
    return problem(
      CHECK,
      `the queue ${queueUrl} does not exist (${message})`,
      'deploy JwoOnboarding, and set CATALOG_SQS_QUEUE_URL to its output CatalogNotificationQueueUrl (same account and region)',
    );
  }
  if (/AccessDenied|not authorized/i.test(`${String(name)} ${message}`)) {
    return problem(
      CHECK,
      `not allowed to receive from ${queueUrl} (${message})`,
      "the worker's task role needs sqs:ReceiveMessage and sqs:DeleteMessage on the queue (JwoConnector grants them): run this in a worker task",
    );
  }
  if (name === 'CredentialsProviderError' || name === 'CredentialsError' || /credentials/i.test(message)) {
    return problem(
      CHECK,
      `no AWS credentials for SQS (${message})`,
      'run this where the worker runs (its ECS task role), or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
    );
  }
  if (name === 'TimeoutError' || name === 'AbortError') {
    return problem(CHECK, `no answer from ${queueUrl} in time`, 'check that this host can reach SQS (NAT gateway)');
  }
  return problem(
    CHECK,
    `ReceiveMessage on ${queueUrl} failed: ${String(name)}: ${message}`,
    'check CATALOG_SQS_QUEUE_URL and that this host can reach SQS (NAT gateway)',
  );
}
