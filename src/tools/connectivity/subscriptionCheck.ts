/**
 * Whether Amazon's SNS topic is subscribed to the queue: the consumer records each
 * SubscriptionConfirmation it confirms (catalog_notification_subscriptions), this reads it.
 */
import type { Queryable } from '../../adapters/db/database';
import { confirmedSubscriptions } from '../../adapters/catalogNotifications/subscriptionStore';
import { CHECKS, messageOf, ok, problem, type CheckRow } from './checkRow';
import { QUEUE_URL_UNSET_FIX } from './notificationQueueCheck';

const CHECK = CHECKS.subscription;

export async function checkSubscription(input: {
  queueUrl: string | undefined;
  /** null when the database could not be opened (its own row says why). */
  db: Queryable | null;
}): Promise<CheckRow> {
  if (!input.queueUrl) return problem(CHECK, 'CATALOG_SQS_QUEUE_URL is not set', QUEUE_URL_UNSET_FIX);
  if (!input.db) {
    return problem(CHECK, 'not checked: the database is not available', `fix the "${CHECKS.database}" row first`);
  }
  let found;
  try {
    found = await confirmedSubscriptions(input.db, input.queueUrl);
  } catch (err) {
    return problem(
      CHECK,
      `cannot read the confirmed subscriptions: ${messageOf(err)}`,
      'the schema is older than this command: start the worker of this version (it migrates the database)',
    );
  }
  const latest = found[0];
  if (!latest) {
    return problem(
      CHECK,
      `no confirmed SNS subscription recorded for ${input.queueUrl}`,
      "register the queue ARN (JwoOnboarding output CatalogNotificationQueueArn) in the Merchant Portal; Amazon's topic " +
        'then sends a SubscriptionConfirmation to the queue, which the running worker confirms and records ' +
        '(its log: "catalog notification subscription confirmed")',
    );
  }
  return ok(
    CHECK,
    `confirmed for topic ${latest.topicArn ?? '(unnamed)'} at ${latest.confirmedAt.toISOString()}` +
      (found.length > 1 ? ` (${found.length} topics)` : ''),
  );
}
