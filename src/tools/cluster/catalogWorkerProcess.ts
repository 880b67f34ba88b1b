/**
 * A catalog-only worker process (`--catalog-workers K` of `npm run cluster`): the catalog worker of
 * src/catalogWorker.ts alone, as every src/worker.ts runs one next to the main worker. Same
 * environment as the worker (DATABASE_URL, TEMPORAL_ADDRESS, CATALOG_*).
 */
import { loadConfig, ConfigError } from '../../config';
import { openDatabase } from '../../adapters/db/database';
import { connectTemporalClient, connectTemporalWorker, temporalCodecs } from '../../adapters/temporal/connection';
import { exitWithMessage } from '../../startup';
import { activityDeps } from '../../worker';
import { createCatalogWorker } from '../../catalogWorker';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError(['the catalog worker needs DATABASE_URL and TEMPORAL_ADDRESS']);
  }
  const db = await openDatabase(config);
  const connection = await connectTemporalWorker(config.TEMPORAL_ADDRESS, config);
  const { client, connection: clientConnection } = await connectTemporalClient(config.TEMPORAL_ADDRESS, config);
  const worker = await createCatalogWorker({
    payloadCodecs: temporalCodecs(config),
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    mainTaskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: activityDeps(config, db, client),
    uploadsPerSecond: config.CATALOG_UPLOADS_PER_SECOND,
  });
  // Worker.run() drains in-flight tasks on SIGINT/SIGTERM before resolving.
  await worker.run();
  await Promise.all([connection.close(), clientConnection.close()]);
  await db.close();
}

if (require.main === module) main().catch(exitWithMessage);
