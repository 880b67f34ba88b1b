/**
 * The SQS operations the catalog notifications need, in the AWS JSON 1.0 protocol that
 * @aws-sdk/client-sqs v3 speaks (`X-Amz-Target: AmazonSQS.<Operation>`, awsQueryCompatible
 * errors). Input fields and answers follow the SQS API reference; unknown input fields are ignored.
 */
import { SqsQueue, type QueuedMessage } from './sqsQueue';

export interface SqsRegistrySettings {
  baseUrl: () => string;
  accountId: string;
  defaultVisibilityTimeoutSeconds: number;
  /** Cap on WaitTimeSeconds; SQS allows 20. */
  maxWaitTimeSeconds: number;
}

/** An SQS error: `code` is the JSON `__type` shape name, `queryCode` the awsQuery code the SDK maps it back with. */
export class SqsError extends Error {
  constructor(
    readonly code: string,
    readonly queryCode: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 256 * 1024;
const MAX_VISIBILITY_TIMEOUT_SECONDS = 43_200;

const queueDoesNotExist = () =>
  new SqsError('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');
const invalidParameter = (message: string) => new SqsError('InvalidParameterValue', 'InvalidParameterValue', message);
const SYSTEM_ATTRIBUTES = ['SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp'] as const;

export class SqsRegistry {
  readonly queues = new Map<string, SqsQueue>();

  constructor(private readonly settings: SqsRegistrySettings) {}

  createQueue(name: string, visibilityTimeoutSeconds = this.settings.defaultVisibilityTimeoutSeconds): SqsQueue {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
      throw invalidParameter(`Invalid queue name: ${name}`);
    }
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new SqsQueue(
        name,
        `${this.settings.baseUrl()}/${this.settings.accountId}/${name}`,
        visibilityTimeoutSeconds,
      );
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Finds a queue by URL; only the last path segment (the name) matters, as the host may be an alias. */
  byUrl(queueUrl: unknown): SqsQueue {
    const name = typeof queueUrl === 'string' ? queueUrl.split('/').pop() : undefined;
    const queue = name ? this.queues.get(name) : undefined;
    if (!queue) throw queueDoesNotExist();
    return queue;
  }

  async handle(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (operation) {
      case 'CreateQueue': {
        const attributes = (input.Attributes ?? {}) as Record<string, string>;
        const visibility = optionalInteger(
          attributes.VisibilityTimeout,
          'VisibilityTimeout',
          0,
          MAX_VISIBILITY_TIMEOUT_SECONDS,
        );
        return { QueueUrl: this.createQueue(String(input.QueueName ?? ''), visibility).url };
      }
      case 'GetQueueUrl': {
        const queue = this.queues.get(String(input.QueueName ?? ''));
        if (!queue) throw queueDoesNotExist();
        return { QueueUrl: queue.url };
      }
      case 'SendMessage':
        return this.sendMessage(input);
      case 'ReceiveMessage':
        return this.receiveMessage(input);
      case 'DeleteMessage': {
        const outcome = this.byUrl(input.QueueUrl).delete(String(input.ReceiptHandle ?? ''));
        if (outcome === 'invalid') {
          throw new SqsError(
            'ReceiptHandleIsInvalid',
            'ReceiptHandleIsInvalid',
            'The input receipt handle is invalid.',
          );
        }
        return {};
      }
      default:
        throw new SqsError(
          'UnsupportedOperation',
          'AWS.SimpleQueueService.UnsupportedOperation',
          `Operation ${operation} is not simulated.`,
        );
    }
  }

  close(): void {
    for (const queue of this.queues.values()) queue.close();
  }

  private sendMessage(input: Record<string, unknown>): Record<string, unknown> {
    const queue = this.byUrl(input.QueueUrl);
    const body = input.MessageBody;
    if (typeof body !== 'string' || body.length === 0) {
      throw invalidParameter('The request must contain the parameter MessageBody.');
    }
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
      throw invalidParameter(`MessageBody is longer than ${MAX_BODY_BYTES} bytes.`);
    }
    const delaySeconds = optionalInteger(input.DelaySeconds, 'DelaySeconds', 0, 900) ?? 0;
    const message = queue.send(body, delaySeconds);
    return { MessageId: message.messageId, MD5OfMessageBody: message.md5OfBody };
  }

  private async receiveMessage(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const queue = this.byUrl(input.QueueUrl);
    const max = optionalInteger(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10) ?? 1;
    const waitSeconds = optionalInteger(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, 20) ?? 0;
    const visibility = optionalInteger(input.VisibilityTimeout, 'VisibilityTimeout', 0, MAX_VISIBILITY_TIMEOUT_SECONDS);
    const waitMs = Math.min(waitSeconds, this.settings.maxWaitTimeSeconds) * 1000;
    const messages = await queue.receiveWaiting(max, waitMs, visibility);
    const wanted = requestedAttributes(input);
    // SQS leaves Messages out of an empty answer.
    return messages.length === 0 ? {} : { Messages: messages.map((message) => toWire(message, wanted)) };
  }
}

function toWire(message: QueuedMessage, wanted: Set<string>): Record<string, unknown> {
  const values: Record<(typeof SYSTEM_ATTRIBUTES)[number], string> = {
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
  };
  const attributes = Object.fromEntries(
    SYSTEM_ATTRIBUTES.filter((name) => wanted.has('All') || wanted.has(name)).map((name) => [name, values[name]]),
  );
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
  };
}

/** System attributes asked for, under the current name (MessageSystemAttributeNames) or the deprecated one. */
function requestedAttributes(input: Record<string, unknown>): Set<string> {
  const names = [input.MessageSystemAttributeNames, input.AttributeNames].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return new Set(names.map(String));
}

/** An integer parameter within SQS's bounds, or undefined when absent. */
function optionalInteger(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw invalidParameter(
      `Value ${String(value)} for parameter ${name} is invalid. Must be an integer from ${min} to ${max}.`,
    );
  }
  return number;
}
