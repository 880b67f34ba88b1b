/**
 * The Temporal worker: every workflow and activity of the connector. Run as many replicas as
 * needed (`node dist/worker.js`, needs DATABASE_URL and TEMPORAL_ADDRESS); the all-in-one
 * (`npm start`) runs one in-process.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities';
import { ConfigError, loadConfig } from './config';
import { openDatabase } from './adapters/db/database';
import { createSimulatedGateway } from './adapters/payments/simulatedGateway';
import { exitWithMessage } from './cli/exitWithMessage';

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
    ...(setup.workflowBundle ? { workflowBundle: setup.workflowBundle } : { workflowsPath: require.resolve('./workflows') }),
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError(['the standalone worker needs DATABASE_URL and TEMPORAL_ADDRESS (the embedded database and dev server are for `npm start`)']);
  }
  const db = await openDatabase(config);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: { payments: createSimulatedGateway(db) },
  });
  // Worker.run() installs SIGINT/SIGTERM handlers that drain in-flight tasks before resolving.
  await worker.run();
  await connection.close();
  await db.close();
}

if (require.main === module) main().catch(exitWithMessage);
