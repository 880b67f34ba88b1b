/**
 * `npm run cluster` (`node dist/tools/cluster/cluster.js up`): the scaled-out topology of
 * docker-compose.yml, without Docker, on this machine's PostgreSQL, every port on loopback:
 *
 *   - the Temporal server (go.temporal.io/server v1.29.1) on PostgreSQL, its persistence and
 *     visibility databases created and migrated with its SQL tool, the connector's search
 *     attributes registered; the Temporal web UI (ui-server v2.42.1) pointed at it;
 *   - N API replicas (src/api/server.ts, consecutive ports after the front door's) behind a front
 *     door on the API port (round robin, the load balancer's part; ./frontDoor.ts);
 *   - M workers (src/worker.ts; each also runs the catalog worker, as in the compose file) and K
 *     catalog-only workers;
 *   - the Amazon side: the Catalog API simulator (the workers' CATALOG_API_ENDPOINT);
 *   - the connector's own PostgreSQL database, with the demo store seeded.
 *
 * The binaries are built once with Go and cached (./goBinaries.ts). Ctrl-C stops everything. A
 * control endpoint (--control-port) lists the processes and starts a stopped one again; the
 * cluster test uses it, and <data-dir>/cluster.json says where everything is.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import express from 'express';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../config';
import { openPostgres, type Database } from '../../adapters/db/database';
import { migrate } from '../../adapters/db/migrate';
import { assertPortFree, exitWithMessage } from '../../startup';
import { createCatalogApiSimulator, CATALOG_SIMULATOR_DEFAULTS } from '../simulator/catalog';
import type { KnownStore } from '../simulator/catalog';
import { seedDemoStore, DEMO_STORE_ID, DEMO_SHOPPERS } from '../cli/demoStore';
import {
  ensureGoProgram,
  temporalServerSource,
  TEMPORAL_SERVER,
  TEMPORAL_SQL_TOOL,
  TEMPORAL_UI_SERVER,
} from './goBinaries';
import {
  createDatabaseIfMissing,
  dropDatabases,
  migrateTemporalDatabase,
  parsePgServer,
  pgUrl,
  prepareNamespace,
  temporalPortPlan,
  writeTemporalConfig,
  writeUiConfig,
} from './temporalSetup';
import { ManagedProcess, httpOk, until, type ProcessSpec } from './processes';
import { startFrontDoor, type FrontDoor } from './frontDoor';

export interface ClusterOptions {
  apiReplicas: number;
  workers: number;
  catalogWorkers: number;
  apiPort: number;
  temporalPort: number;
  uiPort: number;
  controlPort: number;
  catalogSimulatorPort: number;
  dataDir: string;
  dbPrefix: string;
  fresh: boolean;
}

const HOST = '127.0.0.1';
const say = (line: string) => process.stderr.write(`${line}\n`);

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
  return n;
}

/** Upload arrivals at the simulator, counted when a request arrives (before its body is read). */
function uploadArrivals() {
  const arrivals: number[] = [];
  return {
    record: (at: number) => arrivals.push(at),
    /** Requests since `since`, and the most in any rolling second (as Amazon counts: (t − 1000, t]). */
    stats(since = 0) {
      const times = arrivals.filter((t) => t >= since);
      let max = 0;
      let first = 0;
      for (let i = 0; i < times.length; i++) {
        while (times[first] <= times[i] - 1000) first++;
        max = Math.max(max, i - first + 1);
      }
      // The margin: the shortest time 11 consecutive requests took (Amazon's limit holds while it is ≥ 1000 ms).
      let minSpanOfElevenMs: number | null = null;
      for (let i = 10; i < times.length; i++) {
        const span = times[i] - times[i - 10];
        minSpanOfElevenMs = minSpanOfElevenMs === null ? span : Math.min(minSpanOfElevenMs, span);
      }
      return { requests: times.length, maxInAnySecond: max, minSpanOfElevenMs };
    },
  };
}

async function readStores(db: Database): Promise<KnownStore[]> {
  return db.query<KnownStore>('SELECT store_id AS "storeId", retailer_id AS "retailerId" FROM stores');
}

export async function clusterUp(options: ClusterOptions): Promise<void> {
  // A local cluster of the demo (seeded store, simulated Amazon and payments): demo mode unless told otherwise.
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, DEMO_MODE: process.env.DEMO_MODE || 'true' };
  const config = loadConfig(baseEnv);
  const dataDir = resolve(options.dataDir);
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const temporalPorts = temporalPortPlan(options.temporalPort);
  const apiPorts = Array.from({ length: options.apiReplicas }, (_, i) => options.apiPort + 1 + i);

  // Every port first: a clash fails in a second, naming the port.
  await assertPortFree(options.apiPort, '--api-port, the front door', HOST);
  for (const port of apiPorts) await assertPortFree(port, 'an API replica (--api-port + 1…)', HOST);
  for (const [name, port] of Object.entries(temporalPorts))
    await assertPortFree(port, `the Temporal server's ${name} port (--temporal-port …)`, HOST);
  await assertPortFree(options.uiPort, '--ui-port, the Temporal web UI', HOST);
  await assertPortFree(options.controlPort, '--control-port', HOST);
  await assertPortFree(options.catalogSimulatorPort, '--catalog-simulator-port', HOST);

  say('Provisioning the Temporal server, its SQL tool and the web UI (built once with Go, then cached)…');
  const serverBinary = await ensureGoProgram(TEMPORAL_SERVER, { log: say });
  const sqlTool = await ensureGoProgram(TEMPORAL_SQL_TOOL, { log: say });
  const uiBinary = await ensureGoProgram(TEMPORAL_UI_SERVER, { log: say });
  const source = await temporalServerSource();

  const pgServer = parsePgServer(process.env.TEMPORAL_DB_URL || 'postgres://postgres@127.0.0.1:5432');
  const databases = {
    persistence: `${options.dbPrefix}_temporal`,
    visibility: `${options.dbPrefix}_temporal_visibility`,
  };
  const connectorDbName = options.dbPrefix;
  const connectorDbUrl = process.env.DATABASE_URL || pgUrl(pgServer, connectorDbName);
  if (options.fresh) {
    say(
      `--fresh: dropping ${databases.persistence}, ${databases.visibility}${process.env.DATABASE_URL ? '' : `, ${connectorDbName}`}…`,
    );
    await dropDatabases(pgServer, [
      databases.persistence,
      databases.visibility,
      ...(process.env.DATABASE_URL ? [] : [connectorDbName]),
    ]);
  }
  say(`Migrating Temporal's databases on ${pgServer.host}:${pgServer.port} with its SQL tool…`);
  await migrateTemporalDatabase({
    sqlTool,
    server: pgServer,
    database: databases.persistence,
    versionedDir: join(source, 'schema/postgresql/v12/temporal/versioned'),
    log: say,
  });
  await migrateTemporalDatabase({
    sqlTool,
    server: pgServer,
    database: databases.visibility,
    versionedDir: join(source, 'schema/postgresql/v12/visibility/versioned'),
    log: say,
  });
  if (!process.env.DATABASE_URL && (await createDatabaseIfMissing(pgServer, connectorDbName)))
    say(`  created database ${connectorDbName}`);
  const db = await openPostgres(connectorDbUrl, { poolSize: 4 });
  await migrate(db);
  if (await seedDemoStore(db)) say(`  seeded the demo store ${DEMO_STORE_ID}`);

  const processes: ManagedProcess[] = [];
  let frontDoor: FrontDoor | null = null;
  let control: Server | null = null;
  let simulatorServer: Server | null = null;
  let simulatorStop: () => void = () => undefined;
  let stopping = false;
  const stopAll = async () => {
    stopping = true;
    await new Promise<void>((r) => (control ? control.close(() => r()) : r()));
    await frontDoor?.close().catch(() => undefined);
    const byKind = (prefix: string) => processes.filter((p) => p.name.startsWith(prefix));
    await Promise.all(byKind('api-').map((p) => p.stop()));
    await Promise.all([...byKind('worker-'), ...byKind('catalog-worker-')].map((p) => p.stop()));
    await Promise.all(byKind('temporal-ui').map((p) => p.stop()));
    await Promise.all(byKind('temporal-server').map((p) => p.stop()));
    simulatorStop();
    simulatorServer?.closeAllConnections();
    await new Promise<void>((r) => (simulatorServer ? simulatorServer.close(() => r()) : r()));
    await db.close().catch(() => undefined);
    rmSync(join(dataDir, 'cluster.json'), { force: true });
  };

  try {
    // The Temporal server.
    const temporalRoot = join(dataDir, 'temporal');
    const temporalAddress = `${HOST}:${temporalPorts.frontend}`;
    writeTemporalConfig({
      root: temporalRoot,
      server: pgServer,
      databases,
      frontendPort: temporalPorts.frontend,
      mainTaskQueue: config.TEMPORAL_TASK_QUEUE,
    });
    const temporal = new ManagedProcess({
      name: 'temporal-server',
      command: serverBinary,
      args: ['--root', temporalRoot, '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'],
      env: process.env,
      cwd: temporalRoot,
      logFile: join(logs, 'temporal-server.log'),
      url: temporalAddress,
      readyTimeoutMs: 180_000,
      ready: async () => {
        await until(async () => {
          const connection = await Connection.connect({ address: temporalAddress, connectTimeout: 1_000 });
          try {
            await connection.workflowService.getSystemInfo({});
            return true;
          } finally {
            await connection.close();
          }
        });
        await prepareNamespace({ address: temporalAddress, namespace: config.TEMPORAL_NAMESPACE, log: say });
      },
    });
    processes.push(temporal);
    say(`Starting the Temporal server on ${temporalAddress}…`);
    await temporal.start();

    const uiRoot = join(dataDir, 'temporal-ui');
    const uiUrl = `http://localhost:${options.uiPort}`;
    writeUiConfig({ root: uiRoot, port: options.uiPort, temporalAddress });
    const ui = new ManagedProcess({
      name: 'temporal-ui',
      command: uiBinary,
      args: ['--root', uiRoot, '--config', 'config', '--env', 'development', 'start'],
      env: process.env,
      cwd: uiRoot,
      logFile: join(logs, 'temporal-ui.log'),
      url: uiUrl,
      ready: () => until(() => httpOk(`http://${HOST}:${options.uiPort}/`)),
    });
    processes.push(ui);

    // Amazon's Catalog API (simulated), with keys made for this run.
    const region = config.CATALOG_API_REGION ?? CATALOG_SIMULATOR_DEFAULTS.region;
    const credentials = {
      accessKeyId: `AKIACLUSTER${randomBytes(5).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
    };
    const stores = await readStores(db);
    const simulator = createCatalogApiSimulator({ credentials, region, stores });
    simulatorStop = () => simulator.stop();
    const arrivals = uploadArrivals();
    const simulatorApp = express();
    simulatorApp.use((req, _res, next) => {
      if (req.method === 'POST' && req.path === '/v1/catalog/upload') arrivals.record(Date.now());
      next();
    });
    simulatorApp.use(simulator.app);
    simulatorServer = createServer(simulatorApp);
    await new Promise<void>((r, reject) => {
      simulatorServer!.once('error', reject);
      simulatorServer!.listen(options.catalogSimulatorPort, HOST, () => r());
    });
    const simulatorUrl = `http://${HOST}:${options.catalogSimulatorPort}`;
    await simulator.setPublicUrl(simulatorUrl);

    // The connector's processes: the same programs and settings as the compose file.
    const node = process.execPath;
    const dist = resolve(__dirname, '../..');
    const connectorEnv: NodeJS.ProcessEnv = {
      ...baseEnv,
      DATABASE_URL: connectorDbUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_UI_URL: uiUrl,
      HOST,
      CATALOG_API_ENDPOINT: simulatorUrl,
      CATALOG_API_REGION: region,
      CATALOG_API_ROLE_ARN: '',
      // The simulator's report links are http on loopback: allowed explicitly, as the all-in-one does.
      CATALOG_REPORT_HOSTS: simulatorUrl,
      CATALOG_SQS_QUEUE_URL: '',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: '',
      CATALOG_POLL_INTERVAL: process.env.CATALOG_POLL_INTERVAL || '2s',
    };
    const workerReady = async (p: ManagedProcess, offset: number) =>
      until(async () => /RUNNING/.test(p.logSince(offset)));
    const nodeProcess = (name: string, script: string, env: NodeJS.ProcessEnv, extra: Partial<ProcessSpec>) => {
      let offset = 0;
      const p: ManagedProcess = new ManagedProcess({
        name,
        command: node,
        args: [join(dist, script)],
        env,
        cwd: process.cwd(),
        logFile: join(logs, `${name}.log`),
        ready: async () => workerReady(p, offset),
        ...extra,
      });
      const start = p.start.bind(p);
      p.start = async () => {
        offset = p.logOffset();
        await start();
      };
      return p;
    };
    const apis = apiPorts.map((port, i) =>
      nodeProcess(
        `api-${i + 1}`,
        'api/server.js',
        { ...connectorEnv, PORT: String(port) },
        {
          url: `http://${HOST}:${port}`,
          ready: () => until(() => httpOk(`http://${HOST}:${port}/readyz`)),
        },
      ),
    );
    const workers = Array.from({ length: options.workers }, (_, i) =>
      nodeProcess(`worker-${i + 1}`, 'worker.js', connectorEnv, {}),
    );
    const catalogWorkers = Array.from({ length: options.catalogWorkers }, (_, i) =>
      nodeProcess(`catalog-worker-${i + 1}`, 'tools/cluster/catalogWorkerProcess.js', connectorEnv, {}),
    );
    processes.push(...apis, ...workers, ...catalogWorkers);
    say(
      `Starting the web UI, ${apis.length} API replica(s), ${workers.length} worker(s)${catalogWorkers.length ? ` and ${catalogWorkers.length} catalog worker(s)` : ''}…`,
    );
    await Promise.all([ui, ...apis, ...workers, ...catalogWorkers].map((p) => p.start()));

    frontDoor = await startFrontDoor({
      port: options.apiPort,
      host: HOST,
      upstreams: apis.map((p, i) => ({ name: p.name, port: apiPorts[i] })),
      db,
      config,
    });

    // Control endpoint: the processes, start/stop one, the simulator's figures.
    const controlApp = express();
    controlApp.get('/processes', (_req, res) => {
      res.json(processes.map((p) => p.info()));
    });
    const named = (req: IncomingMessage & { params: Record<string, string> }) =>
      processes.find((p) => p.name === req.params.name);
    controlApp.post('/processes/:name/start', async (req, res) => {
      const p = named(req);
      if (!p) return void res.status(404).json({ message: `no process ${req.params.name}` });
      try {
        await p.start();
        if (p === temporal) say('The Temporal server is running again.');
        res.json(p.info());
      } catch (err) {
        res.status(500).json({ message: (err as Error).message });
      }
    });
    controlApp.post('/processes/:name/stop', async (req, res) => {
      const p = named(req);
      if (!p) return void res.status(404).json({ message: `no process ${req.params.name}` });
      await p.stop();
      res.json(p.info());
    });
    controlApp.get('/catalog-simulator', (req, res) => {
      res.json({
        url: simulatorUrl,
        ...arrivals.stats(Number(req.query.since ?? 0)),
        simulatorMaxInAnySecond: simulator.state.maxRequestsInAnySecond(),
        ingestions: simulator.state.ingestions().length,
      });
    });
    controlApp.post('/catalog-simulator/stores/refresh', async (_req, res) => {
      const now = await readStores(db);
      stores.splice(0, stores.length, ...now);
      res.json({ stores: now.length });
    });
    controlApp.get('/front-door', (_req, res) => {
      res.json({ url: frontDoor!.url, requests: frontDoor!.counts() });
    });
    control = createServer(controlApp);
    await new Promise<void>((r, reject) => {
      control!.once('error', reject);
      control!.listen(options.controlPort, HOST, () => r());
    });

    for (const p of processes) {
      p.onUnexpectedExit = (proc, how) => {
        if (stopping) return;
        say(
          `\n${proc.name} stopped (${how}); the rest keeps running. Start it again: curl -X POST http://${HOST}:${options.controlPort}/processes/${proc.name}/start`,
        );
      };
    }

    const state = {
      pid: process.pid,
      api: frontDoor.url,
      apiReplicas: apis.map((p) => p.info()),
      workers: workers.map((p) => p.info()),
      catalogWorkers: catalogWorkers.map((p) => p.info()),
      temporal: { address: temporalAddress, namespace: config.TEMPORAL_NAMESPACE, ui: uiUrl },
      control: `http://${HOST}:${options.controlPort}`,
      catalogSimulator: simulatorUrl,
      databaseUrl: connectorDbUrl,
      databases: { connector: connectorDbUrl.replace(/:[^:@/]*@/, ':***@'), ...databases },
      logs,
    };
    writeFileSync(join(dataDir, 'cluster.json'), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
    say(
      [
        '',
        'The JWO connector cluster is running.',
        `  API (front door) ${frontDoor.url}   round robin over ${apis.map((p) => p.spec.url).join(', ')}`,
        `  Workers          ${workers.map((p) => `${p.name} (pid ${p.pid})`).join(', ')}; each runs the catalog worker too${catalogWorkers.length ? `; catalog-only: ${catalogWorkers.map((p) => p.name).join(', ')}` : ''}`,
        `  Temporal         ${temporalAddress} (namespace ${config.TEMPORAL_NAMESPACE}) on PostgreSQL ${pgServer.host}:${pgServer.port}/${databases.persistence}, ${databases.visibility}`,
        `  Temporal web UI  ${uiUrl}`,
        `  Connector DB     ${state.databases.connector}`,
        `  Catalog API      simulator ${simulatorUrl} (the workers' CATALOG_API_ENDPOINT)`,
        `  Demo store       ${DEMO_STORE_ID}; app tokens: ${DEMO_SHOPPERS.map((s) => s.appToken).join(', ')}`,
        `  Control          ${state.control}/processes   (logs in ${logs}; state in ${join(dataDir, 'cluster.json')})`,
        'Press Ctrl-C to stop everything.',
        '',
      ].join('\n'),
    );
  } catch (err) {
    await stopAll().catch(() => undefined);
    throw err;
  }

  const stop = async (signal: string) => {
    if (stopping) return;
    say(`\n${signal}: stopping the cluster…`);
    await stopAll();
    say('Stopped.');
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

export function clusterProgram(): Command {
  const program = new Command('jwo-cluster').description('The scaled-out connector on this machine, without Docker');
  program
    .command('up', { isDefault: true })
    .description('provision, start and watch the cluster; Ctrl-C stops it')
    .option('--api-replicas <n>', 'API replicas (src/api/server.ts)', positiveInt, 2)
    .option('--workers <n>', 'workers (src/worker.ts, each with its catalog worker)', positiveInt, 2)
    .option('--catalog-workers <n>', 'catalog-only workers on top', positiveInt, 0)
    .option('--api-port <port>', 'the front door; replicas on the next ports', positiveInt, 3000)
    .option(
      '--temporal-port <port>',
      "the Temporal frontend; the server's other services use the next 8",
      positiveInt,
      7233,
    )
    .option('--ui-port <port>', 'the Temporal web UI', positiveInt, 8080)
    .option('--control-port <port>', 'the control endpoint', positiveInt, 3099)
    .option('--catalog-simulator-port <port>', 'the simulated Amazon Catalog API', positiveInt, 3098)
    .option('--data-dir <dir>', 'configs, logs, cluster.json', join(process.env.DATA_DIR || '.data', 'cluster'))
    .option(
      '--db-prefix <name>',
      'PostgreSQL databases <name>, <name>_temporal, <name>_temporal_visibility',
      'jwo_cluster',
    )
    .option('--fresh', 'drop those databases first', false)
    .action(async (opts: ClusterOptions) => {
      if (opts.apiReplicas < 1) throw new InvalidArgumentError('--api-replicas must be at least 1');
      await clusterUp(opts);
    });
  return program;
}

if (require.main === module) {
  clusterProgram().parseAsync(process.argv).catch(exitWithMessage);
}
