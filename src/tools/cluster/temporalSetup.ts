/**
 * The cluster's Temporal on PostgreSQL: its two databases (persistence and visibility) created and
 * migrated with the server's own SQL tool and schemas, the server's configuration (modelled on
 * the server's config/development-postgres12.yaml, every port on loopback), the dynamic config, the
 * web UI's configuration, and the namespace with the connector's search attributes.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { Client as PgClient } from 'pg';
import { SEARCH_ATTRIBUTES } from '../../shared/searchAttributes';
import { catalogTaskQueue } from '../../shared/workflowIds';
import { ClusterToolError } from './goBinaries';

const execFileAsync = promisify(execFile);

export interface PgServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** postgres://user[:password]@host[:port][/anything]: the server part of TEMPORAL_DB_URL. */
export function parsePgServer(url: string): PgServer {
  const parsed = new URL(url);
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new ClusterToolError(`TEMPORAL_DB_URL must be a postgres:// URL, not ${url}`);
  }
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 5432),
    user: decodeURIComponent(parsed.username || 'postgres'),
    password: decodeURIComponent(parsed.password),
  };
}

export function pgUrl(server: PgServer, database: string): string {
  const auth = server.password
    ? `${encodeURIComponent(server.user)}:${encodeURIComponent(server.password)}`
    : encodeURIComponent(server.user);
  return `postgres://${auth}@${server.host}:${server.port}/${database}`;
}

async function withAdmin<T>(server: PgServer, work: (pg: PgClient) => Promise<T>): Promise<T> {
  const pg = new PgClient({ connectionString: pgUrl(server, 'postgres') });
  try {
    await pg.connect();
  } catch (err) {
    throw new ClusterToolError(
      `cannot reach PostgreSQL at ${server.host}:${server.port} as ${server.user} (${(err as Error).message}); set TEMPORAL_DB_URL`,
    );
  }
  try {
    return await work(pg);
  } finally {
    await pg.end();
  }
}

export async function databaseExists(server: PgServer, name: string): Promise<boolean> {
  return withAdmin(
    server,
    async (pg) => (await pg.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1,
  );
}

/** Drops the databases (for --fresh), terminating their sessions first. */
export async function dropDatabases(server: PgServer, names: string[]): Promise<void> {
  await withAdmin(server, async (pg) => {
    for (const name of names) {
      await pg.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      await pg.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}"`);
    }
  });
}

export async function createDatabaseIfMissing(server: PgServer, name: string): Promise<boolean> {
  if (await databaseExists(server, name)) return false;
  await withAdmin(server, (pg) => pg.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`));
  return true;
}

/**
 * Creates (if missing) and migrates one Temporal database with the SQL tool: `setup-schema -v 0.0`
 * on a new database, then `update-schema -d <versioned dir>` (a no-op when it is current).
 */
export async function migrateTemporalDatabase(options: {
  sqlTool: string;
  server: PgServer;
  database: string;
  versionedDir: string;
  log: (line: string) => void;
}): Promise<void> {
  const { sqlTool, server, database } = options;
  const base = [
    '--plugin',
    'postgres12',
    '--ep',
    server.host,
    '-p',
    String(server.port),
    '-u',
    server.user,
    '--db',
    database,
  ];
  const run = async (args: string[]) => {
    try {
      await execFileAsync(sqlTool, [...base, ...args], {
        env: { ...process.env, SQL_PASSWORD: server.password },
        timeout: 5 * 60_000,
      });
    } catch (err) {
      const e = err as Error & { stderr?: string; stdout?: string };
      throw new ClusterToolError(
        `temporal sql tool ${args[0]} on ${database} failed: ${(e.stderr || e.stdout || e.message).trim().slice(-2000)}`,
      );
    }
  };
  if (await createDatabaseIfMissing(server, database)) {
    options.log(`  created database ${database}`);
    await run(['setup-schema', '-v', '0.0']);
  }
  await run(['update-schema', '-d', options.versionedDir]);
}

export interface TemporalPorts {
  /** The frontend's gRPC port; the other services use the next ones. */
  frontend: number;
}

/** Every port the server binds, derived from the frontend's so two clusters can run side by side. */
export function temporalPortPlan(frontend: number) {
  return {
    frontend,
    history: frontend + 1,
    matching: frontend + 2,
    worker: frontend + 3,
    frontendHttp: frontend + 4,
    frontendMembership: frontend + 5,
    historyMembership: frontend + 6,
    matchingMembership: frontend + 7,
    workerMembership: frontend + 8,
  };
}

/**
 * Writes <root>/config/development.yaml (the server's `--root <root> --env development`) and the
 * dynamic config. The catalog task queue has one partition: Temporal's per-queue rate limit is
 * then one limiter instead of one per partition (the first stage of the catalog pacing; the
 * PostgreSQL window in the catalog worker is the guarantee).
 */
export function writeTemporalConfig(options: {
  root: string;
  server: PgServer;
  databases: { persistence: string; visibility: string };
  frontendPort: number;
  mainTaskQueue: string;
}): void {
  const ports = temporalPortPlan(options.frontendPort);
  const configDir = join(options.root, 'config');
  mkdirSync(configDir, { recursive: true });
  const datastore = (database: string, maxConns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: "${database}"
        connectAddr: "${options.server.host}:${options.server.port}"
        connectProtocol: "tcp"
        user: ${JSON.stringify(options.server.user)}
        password: ${JSON.stringify(options.server.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, extra = '') => `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
  const dynamicConfigFile = join(configDir, 'dynamicconfig.yaml');
  writeFileSync(
    join(configDir, 'development.yaml'),
    `# Written by \`npm run cluster\` (src/tools/cluster/temporalSetup.ts); rewritten at every start.
log:
  stdout: true
  level: warn

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
${datastore(options.databases.persistence, 20)}
    postgres-visibility:
${datastore(options.databases.visibility, 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:
${service(ports.frontend, ports.frontendMembership, `\n      httpPort: ${ports.frontendHttp}`)}
  history:
${service(ports.history, ports.historyMembership)}
  matching:
${service(ports.matching, ports.matchingMembership)}
  worker:
${service(ports.worker, ports.workerMembership)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${ports.frontend}"

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: ${JSON.stringify(dynamicConfigFile)}
  pollInterval: "10s"
`,
  );
  const catalogQueue = catalogTaskQueue(options.mainTaskQueue);
  writeFileSync(
    dynamicConfigFile,
    `# One partition for the catalog task queue: its rate limit is then a single limiter.
matching.numTaskqueueReadPartitions:
  - value: 1
    constraints:
      taskQueueName: ${JSON.stringify(catalogQueue)}
matching.numTaskqueueWritePartitions:
  - value: 1
    constraints:
      taskQueueName: ${JSON.stringify(catalogQueue)}
# New search attributes usable at once (as the dev server does).
system.forceSearchAttributesCacheRefreshOnRead:
  - value: true
`,
  );
}

/** <root>/config/development.yaml of the UI server (`server --root <root> --env development start`). */
export function writeUiConfig(options: {
  root: string;
  port: number;
  temporalAddress: string;
  codecOrigin?: string;
}): void {
  const configDir = join(options.root, 'config');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    join(configDir, 'development.yaml'),
    `# Written by \`npm run cluster\` (src/tools/cluster/temporalSetup.ts).
temporalGrpcAddress: ${JSON.stringify(options.temporalAddress)}
host: 127.0.0.1
port: ${options.port}
publicPath:
enableUi: true
defaultNamespace: default
refreshInterval: 1m
notifyOnNewVersion: false
cors:
  cookieInsecure: true
  allowOrigins:
    - http://localhost:${options.port}
    - http://127.0.0.1:${options.port}
auth:
  enabled: false
`,
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the frontend, registers the namespace if new, and the connector's search attributes. */
export async function prepareNamespace(options: {
  address: string;
  namespace: string;
  timeoutMs?: number;
  log: (line: string) => void;
}): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  let lastError: unknown;
  while (Date.now() < deadline) {
    let connection: Connection | null = null;
    try {
      connection = await Connection.connect({ address: options.address, connectTimeout: 2_000 });
      const ws = connection.workflowService;
      try {
        await ws.describeNamespace({ namespace: options.namespace });
      } catch (err) {
        if ((err as { code?: number }).code !== 5) throw err; // NOT_FOUND
        await ws.registerNamespace({
          namespace: options.namespace,
          workflowExecutionRetentionPeriod: msToTs('3 days'),
        });
        options.log(`  registered namespace ${options.namespace}`);
      }
      const existing = await connection.operatorService.listSearchAttributes({ namespace: options.namespace });
      const missing = Object.keys(SEARCH_ATTRIBUTES).filter((name) => !(name in (existing.customAttributes ?? {})));
      if (missing.length > 0) {
        await connection.operatorService.addSearchAttributes({
          namespace: options.namespace,
          // 2 = INDEXED_VALUE_TYPE_KEYWORD: every connector attribute is a Keyword.
          searchAttributes: Object.fromEntries(missing.map((name) => [name, 2])),
        });
        options.log(`  registered search attributes ${missing.join(', ')}`);
      }
      // The namespace is usable once a workflow list on it answers (its cache refreshes every few seconds).
      await ws.listWorkflowExecutions({ namespace: options.namespace, pageSize: 1, query: 'StoreId = "x"' });
      return;
    } catch (err) {
      lastError = err;
      await sleep(1_000);
    } finally {
      await connection?.close().catch(() => undefined);
    }
  }
  throw new ClusterToolError(
    `the Temporal server at ${options.address} did not accept the namespace ${options.namespace} and its search attributes: ${(lastError as Error)?.message}`,
  );
}
