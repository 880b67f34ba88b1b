/**
 * The Temporal worker: every workflow and activity of the connector. Run as many replicas as
 * needed (`node dist/worker.js`, needs DATABASE_URL and TEMPORAL_ADDRESS); the all-in-one
 * (`npm start`) runs one in-process.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase, type Database } from './adapters/db/database';
import { builtInPos, httpPos } from './adapters/pos/pos';
import { createSimulatedGateway } from './adapters/payments/simulatedGateway';
import { exitWithMessage } from './startup';
import { catalogApiFromConfig } from './adapters/amazonCatalog/fromConfig';
import type { AmazonCatalogClient } from './adapters/amazonCatalog';
import { catalogNotificationsFromConfig } from './adapters/catalogNotifications/fromConfig';
import { createLogger } from './adapters/logger';
import { createCatalogWorker } from './catalogWorker';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A pre-built bundle (tests build one per run); otherwise the workflow code is bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    activities: createActivities(setup.deps),
    ...(setup.workflowBundle
      ? { workflowBundle: setup.workflowBundle }
      : { workflowsPath: require.resolve('./workflows') }),
  });
}

/** The real dependencies: the simulated gateway's ledger, the built-in or HTTP POS, the configured Catalog API (or one given, e.g. the simulator). */
export function activityDeps(
  config: Config,
  db: Database,
  temporal: Client,
  catalogApi: AmazonCatalogClient = catalogApiFromConfig(config),
): ActivityDeps {
  return {
    db,
    payments: createSimulatedGateway(db),
    pos: config.POS_URL ? httpPos(config.POS_URL) : builtInPos(db),
    temporal,
    catalogApi,
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError([
      'the standalone worker needs DATABASE_URL and TEMPORAL_ADDRESS (the embedded database and dev server are for `npm start`)',
    ]);
  }
  const db = await openDatabase(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
  const deps = activityDeps(config, db, client);
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps,
  });
  const catalogWorker = await createCatalogWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    mainTaskQueue: config.TEMPORAL_TASK_QUEUE,
    deps,
    uploadsPerSecond: config.CATALOG_UPLOADS_PER_SECOND,
  });
  const notifications = catalogNotificationsFromConfig(config, {
    db,
    temporal: client,
    logger: createLogger(config.LOG_LEVEL),
  });
  // Worker.run() installs SIGINT/SIGTERM handlers that drain in-flight tasks before resolving.
  await Promise.all([worker.run(), catalogWorker.run()]);
  await notifications?.stop();
  await Promise.all([connection.close(), clientConnection.close()]);
  await db.close();
}

if (require.main === module) main().catch(exitWithMessage);
