/**
 * What every benchmark stands on: its own Temporal dev server (in memory, headless), a fresh
 * embedded database (or DATABASE_URL), the demo store, and the connector on a free port.
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig, type Config } from '../../config';
import { openPglite, openPostgres, type Database } from '../../adapters/db/database';
import { migrate } from '../../adapters/db/migrate';
import { createLogger } from '../../adapters/logger';
import { seedDemoStore } from '../cli/demoStore';
import { runConnector, type RunningConnector } from '../devserver/connector';
import { startDevServer, type DevServer } from '../devserver/devServer';
import { ensureTemporalCli } from '../devserver/temporalCli';

export interface BenchStack {
  config: Config;
  db: Database;
  server: DevServer;
  connector: RunningConnector;
  close(): Promise<void>;
}

export async function startBenchStack(env: Record<string, string> = {}): Promise<BenchStack> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const server = await startDevServer({
    cliPath: await ensureTemporalCli(),
    port: 0,
    uiPort: null,
    dbFile: null,
    namespace: 'default',
  });
  const config = loadConfig({
    DEMO_MODE: 'true',
    ...process.env,
    TEMPORAL_TASK_QUEUE: `bench-${randomUUID()}`,
    LOG_LEVEL: 'silent',
    GATE_RATE_LIMIT_PER_STORE: '100000',
    ...env,
  });
  const db = config.DATABASE_URL ? await openPostgres(config.DATABASE_URL) : await openPglite(null);
  await migrate(db);
  await seedDemoStore(db);
  const connector = await runConnector({
    config,
    db,
    temporalAddress: server.address,
    logger: createLogger('silent'),
    listen: { port: 0, host: '127.0.0.1' },
  });
  return {
    config,
    db,
    server,
    connector,
    async close() {
      await connector.stop();
      await db.close();
      await server.stop();
    },
  };
}
