/**
 * The connector in one process: a Temporal client, a worker and the API listening, on a given
 * Temporal server and database. Used by the all-in-one, the benchmarks and the tests, so all
 * three run the same wiring.
 */
import { listen } from '../../api/listen';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Config } from '../../config';
import type { Database } from '../../adapters/db/database';
import type { Logger } from '../../adapters/logger';
import type { PaymentGateway } from '../../adapters/payments/paymentGateway';
import { createApp } from '../../api/app';
import { runWorkflowStartRelay } from '../../adapters/temporal/workflowOutbox';
import { demoRouter } from '../demo/demoRouter';
import { activityDeps, createWorker } from '../../worker';
import { createCatalogWorker } from '../../catalogWorker';
import type { AmazonCatalogClient } from '../../adapters/amazonCatalog';

export interface ConnectorOptions {
  config: Config;
  db: Database;
  temporalAddress: string;
  logger: Logger;
  temporalUiUrl?: string | null;
  /** Replace the simulated gateway (tests inject failures). */
  payments?: PaymentGateway;
  /** A client to use (and leave open); default: one of its own. */
  client?: Client;
  /** The Catalog API to call (the simulator); default: the one the configuration describes. */
  catalogApi?: AmazonCatalogClient;
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** port 0 picks a free one. */
  listen: { port: number; host: string };
}

export interface RunningConnector {
  url: string;
  client: Client;
  worker: Worker;
  workerRun: Promise<void>;
  /** Drains and stops the workers; the API keeps answering (and starting workflows nobody runs yet). */
  stopWorkers(): Promise<void>;
  /** Stops the API (finishing in-flight requests), drains the worker and closes the connections. */
  stop(): Promise<void>;
}

export async function runConnector(options: ConnectorOptions): Promise<RunningConnector> {
  const { config, db } = options;
  const clientConnection = options.client ? null : await Connection.connect({ address: options.temporalAddress });
  const client = options.client ?? new Client({ connection: clientConnection!, namespace: config.TEMPORAL_NAMESPACE });
  const workerConnection = await NativeConnection.connect({ address: options.temporalAddress });
  const deps = activityDeps(config, db, client, options.catalogApi);
  const worker = await createWorker({
    connection: workerConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    deps: options.payments ? { ...deps, payments: options.payments } : deps,
    workflowBundle: options.workflowBundle,
  });
  const catalogWorker = await createCatalogWorker({
    connection: workerConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    mainTaskQueue: config.TEMPORAL_TASK_QUEUE,
    deps,
    uploadsPerSecond: config.CATALOG_UPLOADS_PER_SECOND,
  });
  const relay = runWorkflowStartRelay(db, client, {
    onError: (err) => options.logger.warn('workflow start relay pass failed', { error: (err as Error).message }),
  });
  const workerRun = Promise.all([worker.run(), catalogWorker.run()]).then(() => relay.stop());
  const { app, starter } = createApp({
    config,
    db,
    temporal: client,
    logger: options.logger,
    temporalUiUrl: options.temporalUiUrl ?? null,
    demoRoutes: (auth, shopperSession) => demoRouter({ db, auth, shopperSession }),
  });
  const server: Server = await listen(app, options.listen.port, options.listen.host);
  const { port } = server.address() as AddressInfo;
  const stopWorkers = async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    if (catalogWorker.getState() === 'RUNNING') catalogWorker.shutdown();
    await workerRun;
  };
  let stopped: Promise<void> | null = null;
  return {
    url: `http://${options.listen.host === '0.0.0.0' ? 'localhost' : options.listen.host}:${port}`,
    client,
    worker,
    workerRun,
    stopWorkers,
    stop() {
      stopped ??= (async () => {
        const closed = new Promise((r) => server.close(r));
        server.closeIdleConnections(); // keep-alive connections would otherwise hold close() open
        await closed;
        await starter.drain();
        await stopWorkers();
        await Promise.all([workerConnection.close(), clientConnection?.close()]);
      })();
      return stopped;
    },
  };
}
