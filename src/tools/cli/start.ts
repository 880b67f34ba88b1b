/**
 * `npm start` / `jwo start`: the all-in-one. The Temporal dev server with its web UI (state in
 * DATA_DIR/temporal.db, so a restart keeps workflows) unless TEMPORAL_ADDRESS is set, the
 * database (embedded PGlite in DATA_DIR unless DATABASE_URL is set), a worker and the API in one
 * process; seeds the demo store on an empty database; stops everything on Ctrl-C or SIGTERM.
 *
 * The dev server never outlives this process: it runs under a supervisor that stops it when this
 * process dies, SIGKILL included (../devserver/supervisor.ts). DATA_DIR/jwo-start.pid names this
 * process and the dev server; a start finding a dev server an earlier run left on the same
 * DATA_DIR stops it instead of failing on its ports, and refuses while that run is still alive
 * (../devserver/staleDevServer.ts).
 *
 * If the dev server dies while the connector runs, this process says so on stderr (with the dev
 * server's last output) and exits with code 1 after closing the database: without Temporal no
 * entry, purchase or catalog upload can proceed, and answering /readyz 503 forever would hide it
 * from whoever runs `npm start`. Run it again to restart everything; workflows resume from
 * DATA_DIR/temporal.db.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { loadServiceConfig } from '../../config';
import { openDatabase } from '../../adapters/db/database';
import { createLogger } from '../../adapters/logger';
import { assertPortFree } from '../../startup';
import { describeExit, startDevServer, type DevServer } from '../devserver/devServer';
import { removePidFile, stopStaleDevServer, writePidFile } from '../devserver/staleDevServer';
import { ensureTemporalCli } from '../devserver/temporalCli';
import { runConnector, type RunningConnector } from '../devserver/connector';
import { DEMO_SHOPPERS, seedDemoStore, DEMO_STORE_ID } from './demoStore';
import { startCatalogSide } from './catalogSide';
import { maskSecret } from './opsClient';

export async function start(): Promise<void> {
  const config = loadServiceConfig({ ...process.env, DEMO_MODE: process.env.DEMO_MODE || 'true' }, 'all-in-one');
  const logger = createLogger(config.LOG_LEVEL);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  // This process owns shutdown: the SDK must not react to signals by itself.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  const dbFile = resolve(config.DATA_DIR, 'temporal.db');
  // Before the port checks: a dev server an earlier run left behind holds the Temporal ports.
  if (!config.TEMPORAL_ADDRESS) await stopStaleDevServer({ dataDir: config.DATA_DIR, dbFile, log: say });
  await assertPortFree(config.PORT, 'PORT, the API', config.HOST === '0.0.0.0' ? '0.0.0.0' : config.HOST);
  if (!config.TEMPORAL_ADDRESS) {
    await assertPortFree(config.TEMPORAL_DEV_PORT, 'TEMPORAL_DEV_PORT, the Temporal dev server');
    await assertPortFree(config.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT, the Temporal web UI');
  }
  // The database first: a wrong DATABASE_URL fails in a second, before any server is started.
  const db = await openDatabase(config);

  let devServer: DevServer | null = null;
  let clientConnection: Connection | null = null;
  let catalog: Awaited<ReturnType<typeof startCatalogSide>> | null = null;
  let temporalAddress: string;
  let connector: RunningConnector;
  try {
    temporalAddress = config.TEMPORAL_ADDRESS ?? '';
    if (!config.TEMPORAL_ADDRESS) {
      const cliPath = await ensureTemporalCli({ log: say });
      mkdirSync(config.DATA_DIR, { recursive: true });
      say('Starting the Temporal dev server…');
      devServer = await startDevServer({
        cliPath,
        port: config.TEMPORAL_DEV_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFile,
        namespace: config.TEMPORAL_NAMESPACE,
      });
      writePidFile(config.DATA_DIR, {
        owner: process.pid,
        supervisor: devServer.process.pid ?? null,
        devServer: devServer.serverPid,
        dbFile,
      });
      temporalAddress = devServer.address;
    }
    if (config.SEED_DEMO && (await seedDemoStore(db))) say(`Seeded the demo store ${DEMO_STORE_ID}.`);

    // The catalog side (simulator, SQS consumer) needs a client before the connector's worker exists.
    clientConnection = await Connection.connect({ address: temporalAddress });
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
    catalog = await startCatalogSide({ config, db, temporal: client, logger });
    connector = await runConnector({
      config,
      db,
      temporalAddress,
      logger,
      client,
      catalogApi: catalog.api,
      temporalUiUrl: devServer?.uiUrl ?? null,
      listen: { port: config.PORT, host: config.HOST },
    });
  } catch (err) {
    // Leave nothing behind: a dev server outliving this process would hold its ports and data.
    await catalog?.close().catch(() => undefined);
    await clientConnection?.close().catch(() => undefined);
    await db.close().catch(() => undefined);
    await devServer?.stop();
    if (devServer) removePidFile(config.DATA_DIR);
    throw err;
  }

  const api = `http://localhost:${config.PORT}`;
  say(
    [
      '',
      'JWO app-entry connector is running.',
      `  API            ${api}   (ready: ${api}/readyz, metrics: ${api}/metrics)`,
      `  Temporal       ${temporalAddress}${devServer?.uiUrl ? `   web UI: ${devServer.uiUrl}` : ''}`,
      `  Database       ${config.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${resolve(config.DATA_DIR, 'pglite')}`}`,
      `  Demo store     ${DEMO_STORE_ID}; app tokens: ${DEMO_SHOPPERS.map((s) => `${s.appToken} (${s.visitorType})`).join(', ')}`,
      `  Connector key  header ${config.CONNECTOR_AUTH_HEADER}: ${maskSecret(config.CONNECTOR_API_KEYS[0])}`,
      `  Catalog API    ${catalog.description}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping…`);
    await connector.stop();
    await catalog!.close();
    await clientConnection!.close();
    await db.close();
    await devServer?.stop();
    if (devServer) removePidFile(config.DATA_DIR);
    say('Stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));

  if (devServer) {
    const server = devServer;
    void server.exited.then(async (exit) => {
      if (stopping) return;
      stopping = true;
      const output = server.recentStderr().trim();
      say(
        [
          '',
          `Error: the Temporal dev server (pid ${server.serverPid}) stopped unexpectedly (${describeExit(exit)}).`,
          'The connector cannot run workflows without it: stopping. Run `npm start` again to restart everything;',
          `workflows resume from ${dbFile}.`,
          ...(output ? ['Its last output:', output] : []),
        ].join('\n'),
      );
      // Bounded: the workers may wait on a server that is gone; PGlite must still be closed cleanly.
      const closeDb = db.close().catch(() => undefined);
      await Promise.race([closeDb, new Promise((r) => setTimeout(r, 5_000))]);
      removePidFile(config.DATA_DIR);
      process.exit(1);
    });
  }
}
