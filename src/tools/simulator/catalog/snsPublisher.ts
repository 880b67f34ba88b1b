/**
 * The SNS topic Amazon publishes catalog processing results to, delivering to the retailer's SQS
 * queue (jwo-api.md §4.1). The envelope is INFERRED to be SNS's standard one:
 *
 * - first, on subscribing, a `Type: "SubscriptionConfirmation"` envelope whose `SubscribeURL`
 *   points back at this simulator (`GET /__sns/confirm?token=…`);
 * - then one `Type: "Notification"` per ingestion reaching DONE, FATAL or CANCELLED, whose
 *   `Message` is the JSON string `{"ingestionId","processingStatus","reportDownloadLink"}`;
 *   with raw message delivery the SQS body is that inner JSON alone.
 *
 * As with SNS, nothing but the confirmation is delivered until the SubscribeURL has been visited
 * (option `requireConfirmation`, default true); notifications published before are dropped and
 * recorded as such. Signature fields are placeholders: they cannot be verified against an AWS
 * certificate, and no SigningCertURL or UnsubscribeURL is given.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ProcessingStatus } from './ingestions';
import type { SqsMessageSink } from './sqsSink';

/** The Merchant Portal's "SQS Subscription Status" values (jwo-api.md §3.1). */
export type SubscriptionStatus = 'Unknown' | 'Pending' | 'Complete';

export interface SubscriptionState {
  status: SubscriptionStatus;
  token?: string;
  subscribeUrl?: string;
  confirmedAt?: number;
}

export interface CatalogNotification {
  ingestionId: string;
  processingStatus: ProcessingStatus;
  reportDownloadLink: string;
}

export interface DeliveryRecord {
  type: 'SubscriptionConfirmation' | 'Notification';
  body: string;
  /** False when dropped (subscription not confirmed) or when the send failed. */
  delivered: boolean;
  error?: string;
}

export interface SnsPublisherSettings {
  sink: SqsMessageSink;
  topicArn: string;
  rawMessageDelivery: boolean;
  requireConfirmation: boolean;
  now: () => number;
}

export class SnsPublisher {
  readonly subscription: SubscriptionState = { status: 'Unknown' };
  readonly deliveries: DeliveryRecord[] = [];

  constructor(private readonly settings: SnsPublisherSettings) {}

  get topicArn(): string {
    return this.settings.topicArn;
  }

  /** Starts the subscription: sends the SubscriptionConfirmation the retailer must act on. */
  async subscribe(baseUrl: string): Promise<void> {
    const token = randomBytes(32).toString('hex');
    const subscribeUrl = `${baseUrl}/__sns/confirm?${new URLSearchParams({ token })}`;
    Object.assign(this.subscription, { status: 'Pending', token, subscribeUrl, confirmedAt: undefined });
    const envelope = {
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      Token: token,
      TopicArn: this.settings.topicArn,
      Message:
        `You have chosen to subscribe to the topic ${this.settings.topicArn}.\n` +
        'To confirm the subscription, visit the SubscribeURL included in this message.',
      SubscribeURL: subscribeUrl,
      ...this.signatureFields(),
    };
    await this.deliver('SubscriptionConfirmation', JSON.stringify(envelope));
  }

  /** The SubscribeURL was visited. False for a token this topic did not send. */
  confirm(token: string): boolean {
    if (!this.subscription.token || token !== this.subscription.token) return false;
    this.subscription.status = 'Complete';
    this.subscription.confirmedAt ??= this.settings.now();
    return true;
  }

  async publish(notification: CatalogNotification): Promise<void> {
    const message = JSON.stringify(notification);
    const body = this.settings.rawMessageDelivery
      ? message
      : JSON.stringify({
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: this.settings.topicArn,
          Message: message,
          ...this.signatureFields(),
        });
    if (this.settings.requireConfirmation && this.subscription.status !== 'Complete') {
      this.deliveries.push({
        type: 'Notification',
        body,
        delivered: false,
        error: `subscription is ${this.subscription.status}`,
      });
      return;
    }
    await this.deliver('Notification', body);
  }

  close(): void {
    this.settings.sink.close?.();
  }

  private signatureFields() {
    return {
      Timestamp: new Date(this.settings.now()).toISOString(),
      SignatureVersion: '1',
      Signature: randomBytes(64).toString('base64'),
    };
  }

  /** A failed send is recorded, not thrown: the simulator keeps serving the API either way. */
  private async deliver(type: DeliveryRecord['type'], body: string): Promise<void> {
    try {
      await this.settings.sink.sendMessage(body);
      this.deliveries.push({ type, body, delivered: true });
    } catch (err) {
      this.deliveries.push({ type, body, delivered: false, error: (err as Error).message });
    }
  }
}
