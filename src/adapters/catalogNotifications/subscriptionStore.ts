/**
 * The SNS subscriptions of the catalog notification queue that the consumer confirmed (migration 7):
 * our side of the Merchant Portal's "SQS Subscription Status", which `jwo connectivity-test` reads.
 */
import type { Queryable } from '../db/database';

export interface ConfirmedSubscription {
  queueUrl: string;
  /** null when the SubscriptionConfirmation named no topic. */
  topicArn: string | null;
  confirmedAt: Date;
}

/** Records (or refreshes) a confirmation; confirming the same topic again only moves its time. */
export async function recordSubscriptionConfirmed(
  db: Queryable,
  queueUrl: string,
  topicArn: string | null,
): Promise<void> {
  await db.query(
    `INSERT INTO catalog_notification_subscriptions (queue_url, topic_arn) VALUES ($1, $2)
     ON CONFLICT (queue_url, topic_arn) DO UPDATE SET confirmed_at = now()`,
    [queueUrl, topicArn ?? ''],
  );
}

/** The confirmed subscriptions of a queue, the latest first. */
export async function confirmedSubscriptions(db: Queryable, queueUrl: string): Promise<ConfirmedSubscription[]> {
  const rows = await db.query<{ queue_url: string; topic_arn: string; confirmed_at: Date }>(
    `SELECT queue_url, topic_arn, confirmed_at FROM catalog_notification_subscriptions
      WHERE queue_url = $1 ORDER BY confirmed_at DESC`,
    [queueUrl],
  );
  return rows.map((row) => ({
    queueUrl: row.queue_url,
    topicArn: row.topic_arn || null,
    confirmedAt: row.confirmed_at,
  }));
}
