/**
 * Reads one SQS message of the catalog notification queue (jwo-api.md §4.1). The body is INFERRED
 * to be SNS's standard envelope: `Type: "SubscriptionConfirmation"` with a `SubscribeURL` first,
 * then `Type: "Notification"` whose `Message` is the JSON string
 * `{"ingestionId","processingStatus","reportDownloadLink"}`. With raw message delivery the body is
 * that inner JSON itself; both are accepted. Unknown fields are ignored.
 */
import { z } from 'zod';
import { isRecord, parseJson } from '../amazonCatalog/errorClassification';
import { uploadStatusSchema } from '../amazonCatalog/responseSchemas';
import { isFinalProcessingStatus, type IngestionOutcome } from '../../shared/catalogMessages';

export type CatalogQueueMessage =
  | { kind: 'subscription-confirmation'; subscribeUrl: string; topicArn: string | null }
  | { kind: 'ingestion-finished'; outcome: IngestionOutcome }
  /** Well-formed but nothing to act on (an unsubscribe confirmation, a status that is not final). */
  | { kind: 'ignored'; reason: string }
  | { kind: 'unreadable'; reason: string };

const notificationSchema = uploadStatusSchema.extend({ ingestionId: z.string().min(1).max(255) });

export function readCatalogQueueMessage(body: string): CatalogQueueMessage {
  const envelope = parseJson(body);
  if (!isRecord(envelope)) return { kind: 'unreadable', reason: 'the body is not a JSON object' };
  switch (envelope.Type) {
    case 'SubscriptionConfirmation':
      return typeof envelope.SubscribeURL === 'string'
        ? {
            kind: 'subscription-confirmation',
            subscribeUrl: envelope.SubscribeURL,
            topicArn: typeof envelope.TopicArn === 'string' ? envelope.TopicArn : null,
          }
        : { kind: 'unreadable', reason: 'a SubscriptionConfirmation without a SubscribeURL' };
    case 'UnsubscribeConfirmation':
      return { kind: 'ignored', reason: 'an UnsubscribeConfirmation' };
    case 'Notification':
      return readNotification(typeof envelope.Message === 'string' ? parseJson(envelope.Message) : undefined);
    default:
      // Raw message delivery: no envelope, the message itself.
      return readNotification(envelope);
  }
}

function readNotification(message: unknown): CatalogQueueMessage {
  const parsed = notificationSchema.safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: 'unreadable',
      reason: `not a catalog notification (${issue.path.join('.') || 'message'}: ${issue.message})`,
    };
  }
  const { ingestionId, processingStatus, reportDownloadLink } = parsed.data;
  if (!isFinalProcessingStatus(processingStatus))
    return { kind: 'ignored', reason: `ingestion ${ingestionId} is ${processingStatus}` };
  return { kind: 'ingestion-finished', outcome: { ingestionId, processingStatus, reportDownloadLink } };
}

/** SNS's own endpoints: the only SubscribeURLs visited unless the caller trusts another origin (the simulator). */
export function isSnsSubscribeUrl(url: URL): boolean {
  return url.protocol === 'https:' && /^sns\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(url.hostname);
}
