/**
 * One in-memory SQS standard queue: messages become invisible for the visibility timeout when
 * received, come back if not deleted in time, and are deleted by the receipt handle of their
 * latest receive. Long polls wait on the queue until a message is visible or their time is up.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export interface QueuedMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  sentAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** Handle of the latest receive; only it deletes the message. */
  receiptHandle?: string;
}

export type DeleteOutcome = 'deleted' | 'stale' | 'invalid';

export class SqsQueue {
  private readonly messages: QueuedMessage[] = [];
  /** Every handle ever issued, so a stale one (message received again or gone) is told from a forged one. */
  private readonly issuedHandles = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(
    readonly name: string,
    readonly url: string,
    public visibilityTimeoutSeconds: number,
  ) {}

  send(body: string, delaySeconds = 0): QueuedMessage {
    const sentAt = Date.now();
    const message: QueuedMessage = {
      messageId: randomUUID(),
      body,
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      sentAt,
      visibleAt: sentAt + delaySeconds * 1000,
      receiveCount: 0,
    };
    this.messages.push(message);
    if (delaySeconds === 0) this.wakeWaiters();
    return message;
  }

  /** Up to `max` visible messages, oldest first, each hidden for the visibility timeout. */
  receive(max: number, visibilityTimeoutSeconds = this.visibilityTimeoutSeconds): QueuedMessage[] {
    const now = Date.now();
    const received: QueuedMessage[] = [];
    for (const message of this.messages) {
      if (received.length >= max) break;
      if (message.visibleAt > now) continue;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.receiptHandle = randomBytes(24).toString('base64url');
      this.issuedHandles.add(message.receiptHandle);
      received.push({ ...message });
    }
    return received;
  }

  /** Like `receive`, but waits up to `waitMs` for a message to become visible (long polling). */
  async receiveWaiting(max: number, waitMs: number, visibilityTimeoutSeconds?: number): Promise<QueuedMessage[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const received = this.receive(max, visibilityTimeoutSeconds);
      const remaining = deadline - Date.now();
      if (received.length > 0 || remaining <= 0 || this.closed) return received;
      await this.waitForChange(Math.min(remaining, this.msUntilNextVisible() ?? remaining));
    }
  }

  delete(receiptHandle: string): DeleteOutcome {
    if (!this.issuedHandles.has(receiptHandle)) return 'invalid';
    const index = this.messages.findIndex((message) => message.receiptHandle === receiptHandle);
    if (index < 0) return 'stale';
    this.messages.splice(index, 1);
    return 'deleted';
  }

  /** Visible messages (SQS's ApproximateNumberOfMessages). */
  get approximateNumberOfMessages(): number {
    const now = Date.now();
    return this.messages.filter((message) => message.visibleAt <= now).length;
  }

  /** Received or delayed messages not yet visible (SQS's ApproximateNumberOfMessagesNotVisible). */
  get approximateNumberOfMessagesNotVisible(): number {
    return this.messages.length - this.approximateNumberOfMessages;
  }

  /** Ends every pending long poll (empty answer), for shutdown. */
  close(): void {
    this.closed = true;
    this.wakeWaiters();
  }

  private msUntilNextVisible(): number | undefined {
    const now = Date.now();
    const upcoming = this.messages
      .filter((message) => message.visibleAt > now)
      .map((message) => message.visibleAt - now);
    return upcoming.length > 0 ? Math.min(...upcoming) : undefined;
  }

  private waitForChange(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
