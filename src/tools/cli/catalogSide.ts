/**
 * The catalog's outside world for the all-in-one. With CATALOG_API_ENDPOINT set it is Amazon
 * (signed with the AWS_* keys, else the AWS SDK's default chain, or the assumed role) plus, with
 * CATALOG_SQS_QUEUE_URL, the notification consumer. Unset, Amazon's side runs in-process: the
 * Catalog API simulator with keys generated for this run and handed to the client, the stores of
 * the database, and a local SQS queue that the simulated SNS topic subscribes and the consumer
 * reads. Pointing at Amazon is only configuration.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Config } from '../../config';
import type { Queryable } from '../../adapters/db/database';
import type { Logger } from '../../adapters/logger';
import { createAmazonCatalogClient, type AmazonCatalogClient } from '../../adapters/amazonCatalog';
import { catalogApiFromConfig } from '../../adapters/amazonCatalog/fromConfig';
import { catalogNotificationsFromConfig } from '../../adapters/catalogNotifications/fromConfig';
import { sqsClientForQueue, startCatalogNotificationConsumer } from '../../adapters/catalogNotifications/consumer';
import { CATALOG_SIMULATOR_DEFAULTS, startCatalogApiSimulator } from '../simulator/catalog';
import { startSqsServer } from '../simulator/sqs';

export interface CatalogSide {
  api: AmazonCatalogClient;
  /** For the start-up banner. */
  description: string;
  close(): Promise<void>;
}

const NOTIFICATION_QUEUE = 'jwo-catalog-notifications';

export async function startCatalogSide(deps: {
  config: Config;
  db: Queryable;
  temporal: Client;
  logger: Logger;
}): Promise<CatalogSide> {
  const { config, db, temporal, logger } = deps;
  if (config.CATALOG_API_ENDPOINT) {
    const api = catalogApiFromConfig(config);
    const consumer = catalogNotificationsFromConfig(config, {
      db,
      temporal,
      logger,
      getUploadStatus: (ingestionId) => api.getUploadStatus(ingestionId),
    });
    return {
      api,
      description: `${config.CATALOG_API_ENDPOINT}${consumer ? `; notifications from ${config.CATALOG_SQS_QUEUE_URL}` : ''}`,
      close: async () => consumer?.stop(),
    };
  }

  const region = config.CATALOG_API_REGION ?? CATALOG_SIMULATOR_DEFAULTS.region;
  const credentials = {
    accessKeyId: `AKIALOCAL${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  // Amazon knows the stores onboarded with it; the simulator knows those in the database at start.
  const stores = await db.query<{ storeId: string; retailerId: string }>(
    'SELECT store_id AS "storeId", retailer_id AS "retailerId" FROM stores',
  );
  const sqsServer = await startSqsServer();
  const queueUrl = sqsServer.createQueue(NOTIFICATION_QUEUE);
  const simulator = await startCatalogApiSimulator({ credentials, region, stores, notifications: { sqs: queueUrl } });
  // The simulator's report links are local: allowed for this client only (never S3's rule relaxed).
  const api = createAmazonCatalogClient({
    endpoint: simulator.url,
    reportOrigins: [simulator.url],
    region,
    credentials: async () => credentials,
  });
  const consumer = startCatalogNotificationConsumer({
    queueUrl,
    // The local queue does not check signatures; the SDK still wants keys to sign with.
    sqs: sqsClientForQueue(queueUrl, { region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    db,
    temporal,
    logger,
    isTrustedSubscribeUrl: (url) => url.origin === simulator.url,
    getUploadStatus: (ingestionId) => api.getUploadStatus(ingestionId),
  });
  return {
    api,
    description: `simulator ${simulator.url} (set CATALOG_API_ENDPOINT for Amazon); notifications on the local queue ${queueUrl}`,
    async close() {
      await consumer.stop();
      await simulator.close();
      await sqsServer.close();
    },
  };
}
