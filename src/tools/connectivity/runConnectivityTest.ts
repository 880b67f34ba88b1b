/**
 * `jwo connectivity-test`: every link an onboarded store depends on, checked from where the
 * connector runs (its environment, its credentials), one row each. The checks run concurrently;
 * none of them changes anything Amazon or a shopper would see.
 */
import { baseCredentials, defaultChainCredentials } from '../../adapters/amazonCatalog';
import { sqsClientForQueue } from '../../adapters/catalogNotifications/consumer';
import { openPostgres, type Database } from '../../adapters/db/database';
import { loadConfig } from '../../config';
import { checkCatalogApi } from './catalogApiCheck';
import type { CheckRow } from './checkRow';
import { checkConnectorEndpoints } from './connectorEndpointsCheck';
import { checkDatabase, DATABASE_URL_UNSET, databaseUnreachable } from './databaseCheck';
import { checkNotificationQueue } from './notificationQueueCheck';
import { report, type ConnectivityReport } from './render';
import { checkSubscription } from './subscriptionCheck';
import { checkTemporal } from './temporalCheck';

export interface ConnectivityTestOptions {
  env: NodeJS.ProcessEnv;
  /** The connector's public base URL; default JWO_API_URL, else http://localhost:3000. */
  publicUrl?: string;
}

export async function runConnectivityTest(options: ConnectivityTestOptions): Promise<ConnectivityReport> {
  const { env } = options;
  const config = loadConfig(env);
  const queueUrl = config.CATALOG_SQS_QUEUE_URL;

  let db: Database | null = null;
  let databaseRow: CheckRow | null = null;
  if (!config.DATABASE_URL) databaseRow = DATABASE_URL_UNSET;
  else {
    try {
      db = await openPostgres(config.DATABASE_URL, { poolSize: 2 });
    } catch (err) {
      databaseRow = databaseUnreachable(err);
    }
  }
  const where = config.DATABASE_URL ? new URL(config.DATABASE_URL).host : '';

  const key = env.JWO_CONNECTOR_KEY || config.CONNECTOR_API_KEYS[0];
  const keySource = env.JWO_CONNECTOR_KEY ? 'JWO_CONNECTOR_KEY' : 'the first of CONNECTOR_API_KEYS';

  try {
    const [catalogApi, queue, subscription, endpoints, temporal, database] = await Promise.all([
      checkCatalogApi({ config, env }),
      checkNotificationQueue({
        queueUrl,
        // The consumer's client, with the catalog's base credentials (the AWS_* keys, else the SDK's chain).
        sqs: () =>
          sqsClientForQueue(queueUrl!, {
            region: config.CATALOG_API_REGION,
            credentials: baseCredentials(env, () => defaultChainCredentials()),
          }),
      }),
      checkSubscription({ queueUrl, db }),
      checkConnectorEndpoints({
        publicUrl: options.publicUrl ?? env.JWO_API_URL ?? 'http://localhost:3000',
        authHeader: config.CONNECTOR_AUTH_HEADER,
        key,
        keySource,
      }),
      checkTemporal({
        address: config.TEMPORAL_ADDRESS ?? `localhost:${config.TEMPORAL_DEV_PORT}`,
        namespace: config.TEMPORAL_NAMESPACE,
        security: config,
      }),
      databaseRow ?? checkDatabase(db!, where),
    ]);
    return report([catalogApi, queue, subscription, ...endpoints, ...temporal, database]);
  } finally {
    await db?.close();
  }
}
