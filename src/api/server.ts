/**
 * The standalone API process (`node dist/api/server.js`): stateless, run as many replicas as
 * needed behind a load balancer, against a Temporal cluster (TEMPORAL_ADDRESS) and PostgreSQL
 * (DATABASE_URL). Stops accepting connections on SIGTERM and finishes in-flight requests.
 */
import { listen } from './listen';
import type { Server } from 'node:http';
import { connectTemporalClient } from '../adapters/temporal/connection';
import { ConfigError, loadServiceConfig } from '../config';
import { openDatabase } from '../adapters/db/database';
import { createLogger } from '../adapters/logger';
import { assertPortFree, exitWithMessage } from '../startup';
import { createApp } from './app';

async function main(): Promise<void> {
  const config = loadServiceConfig(process.env, 'api');
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError([
      'the standalone API needs DATABASE_URL and TEMPORAL_ADDRESS (the embedded database and dev server are for `npm start`)',
    ]);
  }
  const logger = createLogger(config.LOG_LEVEL);
  await assertPortFree(config.PORT, 'PORT, the API', config.HOST);
  const db = await openDatabase(config);
  const { client: temporal, connection } = await connectTemporalClient(config.TEMPORAL_ADDRESS, config);
  const { app, starter } = createApp({
    config,
    db,
    temporal,
    logger,
    temporalUiUrl: process.env.TEMPORAL_UI_URL ?? null,
  });
  const server: Server = await listen(app, config.PORT, config.HOST);
  logger.info('API listening', { port: config.PORT });

  const stop = async (signal: string) => {
    logger.info('stopping', { signal });
    const closed = new Promise((r) => server.close(r));
    server.closeIdleConnections();
    await closed;
    await starter.drain();
    await connection.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

if (require.main === module) main().catch(exitWithMessage);
