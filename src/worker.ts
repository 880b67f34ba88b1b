/**
 * The Temporal worker: every workflow and activity of the connector. Run as many replicas as
 * needed (`node dist/worker.js`, needs DATABASE_URL and TEMPORAL_ADDRESS); the all-in-one
 * (`npm start`) runs one in-process. Each also runs the outbox relay, which makes the workflow
 * starts the API recorded but Temporal could not take at the time.
 */
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { ConfigError, loadServiceConfig, type Config } from './config';
import { openDatabase, type Database } from './adapters/db/database';
import { builtInPos, httpPos } from './adapters/pos/pos';
import { gatewayFromConfig } from './adapters/payments/fromConfig';
import { exitWithMessage } from './startup';
import { catalogApiFromConfig } from './adapters/amazonCatalog/fromConfig';
import type { AmazonCatalogClient } from './adapters/amazonCatalog';
import { catalogNotificationsFromConfig } from './adapters/catalogNotifications/fromConfig';
import { createLogger } from './adapters/logger';
import { runWorkflowStartRelay } from './adapters/temporal/workflowOutbox';
import { connectTemporalClient, connectTemporalWorker, temporalCodecs } from './adapters/temporal/connection';
import { createCatalogWorker } from './catalogWorker';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (tests build one per run); otherwise the workflow code is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** The payload codecs (encryption) the clients use too. */
  payloadCodecs?: PayloadCodec[];
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    activities: createActivities(setup.deps),
    dataConverter: { payloadCodecs: setup.payloadCodecs ?? [] },
    ...(setup.workflowBundle
      ? { workflowBundle: setup.workflowBundle }
      : { workflowsPath: require.resolve('./workflows') }),
  });
}

/** The real dependencies: the configured payment gateway (PAYMENT_GATEWAY; activities record every call in the ledger), the built-in or HTTP POS, the configured Catalog API (or one given, e.g. the simulator). */
export function activityDeps(
  config: Config,
  db: Database,
  temporal: Client,
  catalogApi: AmazonCatalogClient = catalogApiFromConfig(config),
): ActivityDeps {
  return {
    db,
    payments: gatewayFromConfig(config, db),
    pos: config.POS_URL ? httpPos(config.POS_URL) : builtInPos(db),
    temporal,
    catalogApi,
  };
}

async function main(): Promise<void> {
  // The worker's own secrets only: it is not given the API's keys (ServiceRole in config.ts).
  const config = loadServiceConfig(process.env, 'worker');
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError([
      'the standalone worker needs DATABASE_URL and TEMPORAL_ADDRESS (the embedded database and dev server are for `npm start`)',
    ]);
  }
  const db = await openDatabase(config);
  const connection = await connectTemporalWorker(config.TEMPORAL_ADDRESS, config);
  const { client, connection: clientConnection } = await connectTemporalClient(config.TEMPORAL_ADDRESS, config);
  const codecs = temporalCodecs(config);
  const deps = activityDeps(config, db, client);
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps,
    payloadCodecs: codecs,
  });
  const catalogWorker = await createCatalogWorker({
    payloadCodecs: codecs,
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    mainTaskQueue: config.TEMPORAL_TASK_QUEUE,
    deps,
    uploadsPerSecond: config.CATALOG_UPLOADS_PER_SECOND,
  });
  const logger = createLogger(config.LOG_LEVEL);
  const notifications = catalogNotificationsFromConfig(config, {
    db,
    temporal: client,
    logger,
    getUploadStatus: (ingestionId) => deps.catalogApi.getUploadStatus(ingestionId),
  });
  const relay = runWorkflowStartRelay(db, client, {
    onError: (err) => logger.warn('workflow start relay pass failed', { error: (err as Error).message }),
  });
  // Worker.run() installs SIGINT/SIGTERM handlers that drain in-flight tasks before resolving.
  await Promise.all([worker.run(), catalogWorker.run()]);
  await relay.stop();
  await notifications?.stop();
  await Promise.all([connection.close(), clientConnection.close()]);
  await db.close();
}

if (require.main === module) main().catch(exitWithMessage);
