/**
 * A running connector for tests: a database of the chosen kind, a worker on its own task queue
 * against the run's Temporal dev server, and the API listening on an ephemeral 127.0.0.1 port.
 */
import { listen } from '../../src/api/listen';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createApp } from '../../src/api/app';
import { demoRouter } from '../../src/tools/demo/demoRouter';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/adapters/logger';
import { createSimulatedGateway } from '../../src/adapters/payments/simulatedGateway';
import type { PaymentGateway } from '../../src/adapters/payments/paymentGateway';
import { createWorker } from '../../src/worker';
import { builtInPos, type Pos } from '../../src/adapters/pos/pos';
import type { AmazonCatalogClient } from '../../src/adapters/amazonCatalog';
import { catalogApiNotConfigured } from '../../src/adapters/amazonCatalog/fromConfig';
import { connectTemporalClient, connectTemporalWorker, temporalCodecs } from '../../src/adapters/temporal/connection';
import { openTestDatabase, type DbKind, type TestDatabase } from './db';

export function temporalAddress(): string {
  const address = process.env.JWO_TEST_TEMPORAL_ADDRESS;
  if (!address)
    throw new Error(
      'JWO_TEST_TEMPORAL_ADDRESS is not set: run the tests through jest (its globalSetup starts the Temporal dev server).',
    );
  return address;
}

export interface TestWorker {
  worker: Worker;
  running: Promise<void>;
  stop(): Promise<void>;
}

export async function startTestWorker(options: {
  db: TestDatabase;
  taskQueue: string;
  client: Client;
  payments?: PaymentGateway;
  pos?: Pos;
  catalogApi?: AmazonCatalogClient;
  /** Connect as the product does from this configuration (TLS, API key, payload encryption) when it names TEMPORAL_ADDRESS. */
  config?: Config;
}): Promise<TestWorker> {
  const secured = options.config?.TEMPORAL_ADDRESS ? options.config : null;
  const connection = secured
    ? await connectTemporalWorker(secured.TEMPORAL_ADDRESS!, secured)
    : await NativeConnection.connect({ address: temporalAddress() });
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue: options.taskQueue,
    deps: {
      db: options.db,
      payments: options.payments ?? createSimulatedGateway(options.db),
      pos: options.pos ?? builtInPos(options.db),
      temporal: options.client,
      catalogApi: options.catalogApi ?? catalogApiNotConfigured(),
    },
    workflowBundle: { codePath: process.env.JWO_TEST_WORKFLOW_BUNDLE! },
    payloadCodecs: secured ? temporalCodecs(secured) : [],
  });
  const running = worker.run();
  let stopped: Promise<void> | null = null;
  return {
    worker,
    running,
    stop() {
      stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
      })();
      return stopped;
    },
  };
}

export interface TestStack {
  db: TestDatabase;
  client: Client;
  config: Config;
  taskQueue: string;
  url: string;
  worker: TestWorker;
  close(): Promise<void>;
}

export async function startTestStack(
  options: {
    dbKind?: DbKind;
    env?: Record<string, string>;
    payments?: (db: TestDatabase) => PaymentGateway;
    pos?: (db: TestDatabase) => Pos;
    catalogApi?: AmazonCatalogClient;
  } = {},
): Promise<TestStack> {
  const db = await openTestDatabase(options.dbKind ?? 'pglite');
  const taskQueue = `test-${randomUUID()}`;
  // The demo unless a test says otherwise (DEMO_MODE=false): demo keys, demo routes, operator-minted codes.
  // A generous start budget: tests read a workflow right after the answer that started it.
  const config = loadConfig({
    DEMO_MODE: 'true',
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'silent',
    TEMPORAL_START_BUDGET_MS: '1500',
    ...options.env,
  });
  const { client, connection } = config.TEMPORAL_ADDRESS
    ? await connectTemporalClient(config.TEMPORAL_ADDRESS, config)
    : await (async () => {
        const plain = await Connection.connect({ address: temporalAddress() });
        return { connection: plain, client: new Client({ connection: plain, namespace: 'default' }) };
      })();
  const worker = await startTestWorker({
    config,
    db,
    taskQueue,
    client,
    payments: options.payments?.(db),
    pos: options.pos?.(db),
    catalogApi: options.catalogApi,
  });
  const { app, starter } = createApp({
    config,
    db,
    temporal: client,
    logger: createLogger('silent'),
    demoRoutes: (auth, shopperSession) => demoRouter({ db, auth, shopperSession }),
  });
  const server: Server = await listen(app, 0, '127.0.0.1');
  const { port } = server.address() as AddressInfo;
  return {
    db,
    client,
    config,
    taskQueue,
    url: `http://127.0.0.1:${port}`,
    worker,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await starter.drain();
      await worker.stop();
      await connection.close();
      await db.close();
    },
  };
}
