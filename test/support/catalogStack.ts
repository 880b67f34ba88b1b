/**
 * A connector for catalog tests: the test stack (database, main worker, API) wired to the Catalog
 * API simulator over real HTTP on 127.0.0.1, one or more workers on the rate-limited catalog task
 * queue, and optionally the SNS → SQS notification path (local SQS server + the real consumer).
 */
import { request } from 'node:http';
import { NativeConnection, type Worker } from '@temporalio/worker';
import {
  createAmazonCatalogClient,
  type AmazonCatalogClient,
  type AwsCredentials,
} from '../../src/adapters/amazonCatalog';
import {
  sqsClientForQueue,
  startCatalogNotificationConsumer,
  type CatalogNotificationConsumer,
} from '../../src/adapters/catalogNotifications/consumer';
import { createLogger } from '../../src/adapters/logger';
import { createCatalogWorker } from '../../src/catalogWorker';
import { opsClient, type OpsClient } from '../../src/tools/cli/opsClient';
import { gs1CheckDigit } from '../../src/domain/catalog/barcodes';
import type { CatalogItem } from '../../src/domain/catalog/catalogItem';
import type { CatalogUploadSummary } from '../../src/shared/catalogMessages';
import { catalogUploadWorkflowId } from '../../src/shared/workflowIds';
import {
  startCatalogApiSimulator,
  type CatalogApiSimulatorOptions,
  type NotificationOptions,
  type RunningCatalogApiSimulator,
} from '../../src/tools/simulator/catalog';
import { startSqsServer, type RunningSqsServer } from '../../src/tools/simulator/sqs';
import type { Queryable } from '../../src/adapters/db/database';
import type { DbKind } from './db';
import { seedStore, STORE_ID } from './fixtures';
import { startTestStack, temporalAddress, type TestStack } from './stack';
import { eventually } from './eventually';

export const CATALOG_KEYS: AwsCredentials = { accessKeyId: 'AKIDCATALOGTEST', secretAccessKey: 'catalog-test-secret' };
export const RETAILER_ID = 'retailer-1';
const REGION = 'us-east-1';

export interface CatalogStackOptions {
  dbKind?: DbKind;
  /** Simulator options; stores default to the test store. */
  simulator?: Partial<CatalogApiSimulatorOptions>;
  /** SNS → SQS notifications to a local queue; off by default. */
  notifications?: Partial<Omit<NotificationOptions, 'sqs'>>;
  /** Start the notification consumer with the stack (default true when notifications are on). */
  startConsumer?: boolean;
  /** The keys our client signs with; the simulator accepts CATALOG_KEYS only. */
  clientCredentials?: AwsCredentials;
  /** Workers on the catalog task queue, each on its own connection as separate processes would be. */
  catalogWorkers?: number;
  env?: Record<string, string>;
}

export interface CatalogStack {
  stack: TestStack;
  sim: RunningCatalogApiSimulator;
  ops: OpsClient;
  sqsServer: RunningSqsServer | null;
  queueUrl: string | null;
  startConsumer(): CatalogNotificationConsumer;
  /** Starts an upload through the operator API and returns its id. */
  upload(options?: { retryFailedOf?: string }): Promise<string>;
  summary(uploadId: string): Promise<CatalogUploadSummary>;
  close(): Promise<void>;
}

export async function startCatalogStack(options: CatalogStackOptions = {}): Promise<CatalogStack> {
  let sqsServer: RunningSqsServer | null = null;
  let queueUrl: string | null = null;
  if (options.notifications) {
    sqsServer = await startSqsServer({ defaultVisibilityTimeoutSeconds: 2 });
    queueUrl = sqsServer.createQueue('catalog-notifications');
  }
  const sim = await startCatalogApiSimulator({
    credentials: CATALOG_KEYS,
    region: REGION,
    stores: [{ storeId: STORE_ID, retailerId: RETAILER_ID }],
    processing: { inqueueMs: 20, inprogressMs: 20 },
    ...(queueUrl ? { notifications: { sqs: queueUrl, ...options.notifications } } : {}),
    ...options.simulator,
  });
  const credentials = options.clientCredentials ?? CATALOG_KEYS;
  const catalogApi: AmazonCatalogClient = createAmazonCatalogClient({
    endpoint: sim.url,
    reportOrigins: [sim.url],
    region: REGION,
    credentials: async () => credentials,
  });
  const stack = await startTestStack({
    dbKind: options.dbKind,
    catalogApi,
    env: { CATALOG_POLL_INTERVAL: '100ms', ...options.env },
  });
  await seedStore(stack.db);

  const catalogWorkers: { connection: NativeConnection; worker: Worker; running: Promise<void> }[] = [];
  for (let i = 0; i < (options.catalogWorkers ?? 1); i++) {
    // One connection each: the SDK refuses two workers of one queue on a connection, and replicas are separate processes anyway.
    const connection = await NativeConnection.connect({ address: temporalAddress() });
    const worker = await createCatalogWorker({
      connection,
      namespace: 'default',
      mainTaskQueue: stack.taskQueue,
      deps: { db: stack.db, catalogApi },
      uploadsPerSecond: stack.config.CATALOG_UPLOADS_PER_SECOND,
    });
    catalogWorkers.push({ connection, worker, running: worker.run() });
  }

  const consumers: CatalogNotificationConsumer[] = [];
  const startConsumer = () => {
    if (!queueUrl) throw new Error('this catalog stack has no notification queue');
    const consumer = startCatalogNotificationConsumer({
      queueUrl,
      sqs: sqsClientForQueue(queueUrl, {
        region: REGION,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      }),
      db: stack.db,
      temporal: stack.client,
      logger: createLogger('silent'),
      getUploadStatus: (ingestionId) => catalogApi.getUploadStatus(ingestionId),
      waitTimeSeconds: 1,
      isTrustedSubscribeUrl: (url) => url.origin === sim.url,
    });
    consumers.push(consumer);
    return consumer;
  };
  if (options.notifications && options.startConsumer !== false) startConsumer();

  const ops = opsClient({ JWO_API_URL: stack.url, JWO_OPERATOR_KEY: stack.config.OPERATOR_API_KEYS[0] });
  return {
    stack,
    sim,
    ops,
    sqsServer,
    queueUrl,
    startConsumer,
    async upload(uploadOptions = {}) {
      const started = await postOnFreshConnection(
        `${stack.url}/ops/v1/catalog/uploads`,
        { storeId: STORE_ID, retryFailedOf: uploadOptions.retryFailedOf },
        stack.config.OPERATOR_API_KEYS[0],
      );
      return started.uploadId;
    },
    summary: (uploadId) => stack.client.workflow.getHandle(catalogUploadWorkflowId(uploadId)).result(),
    async close() {
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      for (const { worker, running, connection } of catalogWorkers) {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await connection.close();
      }
      await stack.close();
      await sim.close();
      await sqsServer?.close();
    },
  };
}

/**
 * POSTs on a connection of its own. Seeding a large catalog blocks the event loop that both the
 * test's HTTP client and the API share, so a kept-alive connection can be closed by the server
 * just as the client reuses it (ECONNRESET); a separate CLI process does not have this problem.
 */
function postOnFreshConnection(url: string, body: unknown, operatorKey: string): Promise<any> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'x-operator-key': operatorKey } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 202
            ? resolve(JSON.parse(text))
            : reject(new Error(`POST ${url} answered ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject).end(payload);
  });
}

/** A valid item with a unique UPC-A built from `n`. */
export function catalogItem(n: number, overrides: Partial<CatalogItem> = {}): CatalogItem {
  const payload = `0${String(n).padStart(10, '0')}`;
  return {
    item_sku: `SKU-${String(n).padStart(6, '0')}`,
    external_product_id: `${payload}${gs1CheckDigit(payload)}`,
    external_product_id_type: 'UPC',
    item_name: `Item ${n}`,
    store_id: STORE_ID,
    ...overrides,
  };
}

export const catalogItems = (count: number, first = 1): CatalogItem[] =>
  Array.from({ length: count }, (_, i) => catalogItem(first + i));

/** Puts items straight into the store's catalog in bulk (the import endpoint is tested on its own and is far slower at 100,000 rows). */
export async function seedCatalog(db: Queryable, items: CatalogItem[]): Promise<void> {
  for (let start = 0; start < items.length; start += 5_000) {
    const rows = items.slice(start, start + 5_000).map((item) => ({
      sku: item.item_sku,
      name: item.item_name,
      barcode: item.external_product_id,
      barcode_type: item.external_product_id_type ?? null,
      amazon_item: item,
    }));
    await db.query(
      `INSERT INTO catalog_items (store_id, sku, name, barcode, barcode_type, amazon_item)
       SELECT $1, r.sku, r.name, r.barcode, r.barcode_type, r.amazon_item
       FROM jsonb_to_recordset($2::jsonb) AS r(sku text, name text, barcode text, barcode_type text, amazon_item jsonb)
       ON CONFLICT (store_id, sku) DO UPDATE SET name = EXCLUDED.name, amazon_item = EXCLUDED.amazon_item`,
      [STORE_ID, JSON.stringify(rows)],
    );
  }
}

/** The attempt number of the last start of each activity type in a workflow's history. */
export async function lastAttempts(stack: TestStack, uploadId: string): Promise<Record<string, number>> {
  const history = await stack.client.workflow.getHandle(catalogUploadWorkflowId(uploadId)).fetchHistory();
  const typeOf = new Map<string, string>();
  const attempts: Record<string, number> = {};
  for (const event of history.events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) typeOf.set(String(event.eventId), scheduled.activityType?.name ?? '?');
    const started = event.activityTaskStartedEventAttributes;
    if (started) attempts[typeOf.get(String(started.scheduledEventId)) ?? '?'] = started.attempt ?? 0;
  }
  return attempts;
}

/** Waits until the upload's first status poll has run and found the ingestion not final (its retry is pending). */
export async function firstPollFailed(stack: TestStack, uploadId: string): Promise<void> {
  await eventually(async () => {
    const { raw } = await stack.client.workflow.getHandle(catalogUploadWorkflowId(uploadId)).describe();
    const poll = raw.pendingActivities?.find((activity) => activity.activityType?.name === 'pollCatalogIngestion');
    expect(poll?.attempt ?? 0).toBeGreaterThanOrEqual(2);
  });
}

/** Whether the workflow asked Temporal to cancel a status poll (the notification won the race). */
export async function pollWasCancelled(stack: TestStack, uploadId: string): Promise<boolean> {
  const history = await stack.client.workflow.getHandle(catalogUploadWorkflowId(uploadId)).fetchHistory();
  return (history.events ?? []).some((event) => event.activityTaskCancelRequestedEventAttributes);
}
