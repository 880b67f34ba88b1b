/** The notification consumer the configuration asks for: one on CATALOG_SQS_QUEUE_URL, or none when it is unset. */
import type { Client } from '@temporalio/client';
import type { Queryable } from '../db/database';
import type { Logger } from '../logger';
import type { StatusResult } from '../amazonCatalog/types';
import { sqsClientForQueue, startCatalogNotificationConsumer, type CatalogNotificationConsumer } from './consumer';

export function catalogNotificationsFromConfig(
  config: { CATALOG_SQS_QUEUE_URL?: string; CATALOG_API_REGION?: string },
  deps: {
    db: Queryable;
    temporal: Client;
    logger: Logger;
    /** The status call each notification is checked with (the notification itself is not trusted). */
    getUploadStatus: (ingestionId: string) => Promise<StatusResult>;
  },
): CatalogNotificationConsumer | null {
  const queueUrl = config.CATALOG_SQS_QUEUE_URL;
  if (!queueUrl) return null;
  return startCatalogNotificationConsumer({
    queueUrl,
    sqs: sqsClientForQueue(queueUrl, { region: config.CATALOG_API_REGION }),
    ...deps,
  });
}
