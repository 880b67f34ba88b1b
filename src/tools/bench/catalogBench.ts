/**
 * Catalog benchmark (`node dist/tools/bench/catalogBench.js` after `npm run build`): 100,000 items are
 * validated, chunked and SigV4-signed, then uploaded for real through CatalogUploadWorkflow
 * (a Temporal dev server, the main worker and the rate-limited catalog worker) against the Catalog
 * API simulator, all started here. Prints CPU time per 10,000 items for each stage (process.cpuUsage,
 * so the worker's native threads count too) and the highest request rate the simulator saw.
 * Exits 1 if that rate passed 10 a second or the upload did not complete.
 */
import { randomUUID } from 'node:crypto';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createAmazonCatalogClient } from '../../adapters/amazonCatalog';
import { signRequest } from '../../adapters/amazonCatalog/signedFetch';
import { migrate } from '../../adapters/db/migrate';
import { openPglite, type Queryable } from '../../adapters/db/database';
import { upsertStore } from '../../adapters/identity/identityStore';
import { loadConfig } from '../../config';
import { ensureTemporalCli } from '../devserver/temporalCli';
import { startDevServer } from '../devserver/devServer';
import { gs1CheckDigit } from '../../domain/catalog/barcodes';
import { validateCatalog, type CatalogItem } from '../../domain/catalog/catalogItem';
import { chunkItems, MAX_ITEMS_PER_REQUEST, MAX_REQUESTS_PER_SECOND } from '../../domain/catalog/chunk';
import type { CatalogUploadInput, CatalogUploadSummary } from '../../shared/catalogMessages';
import { catalogUploadWorkflowId } from '../../shared/workflowIds';
import { startCatalogApiSimulator } from '../simulator/catalog';
import { runConnector } from '../devserver/connector';
import { createLogger } from '../../adapters/logger';

const ITEMS = 100_000;
const PER = 10_000;
const STORE_ID = 'BENCH-STORE';
const REGION = 'us-east-1';
const KEYS = { accessKeyId: 'AKIDCATALOGBENCH', secretAccessKey: 'catalog-bench-secret' };

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs `work` and returns its result with the CPU milliseconds (user + system) it took. */
async function cpuOf<T>(work: () => T | Promise<T>): Promise<{ result: T; cpuMs: number; wallMs: number }> {
  const startedCpu = process.cpuUsage();
  const startedAt = performance.now();
  const result = await work();
  const { user, system } = process.cpuUsage(startedCpu);
  return { result, cpuMs: (user + system) / 1000, wallMs: performance.now() - startedAt };
}

const perTenThousand = (cpuMs: number) =>
  `${((cpuMs * PER) / ITEMS).toFixed(2)} ms CPU per ${PER.toLocaleString('en-US')} items`;

function benchItems(): CatalogItem[] {
  return Array.from({ length: ITEMS }, (_, i) => {
    const payload = `0${String(i + 1).padStart(10, '0')}`;
    return {
      item_sku: `BENCH-${String(i + 1).padStart(6, '0')}`,
      external_product_id: `${payload}${gs1CheckDigit(payload)}`,
      external_product_id_type: 'UPC',
      item_name: `Benchmark item ${i + 1}`,
      store_id: STORE_ID,
      standard_price: '1.99',
      brand_name: 'Bench',
    };
  });
}

/** The catalog rows the upload reads, written in bulk (the import endpoint's per-row upsert is not what is measured here). */
async function seedCatalog(db: Queryable, items: CatalogItem[]): Promise<void> {
  for (let start = 0; start < items.length; start += 5_000) {
    const rows = items.slice(start, start + 5_000).map((item) => ({
      sku: item.item_sku,
      name: item.item_name,
      barcode: item.external_product_id,
      amazon_item: item,
    }));
    await db.query(
      `INSERT INTO catalog_items (store_id, sku, name, barcode, amazon_item)
       SELECT $1, r.sku, r.name, r.barcode, r.amazon_item FROM jsonb_to_recordset($2::jsonb) AS r(sku text, name text, barcode text, amazon_item jsonb)`,
      [STORE_ID, JSON.stringify(rows)],
    );
  }
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const config = loadConfig({
    DEMO_MODE: 'true',
    ...process.env,
    TEMPORAL_TASK_QUEUE: `catalog-bench-${randomUUID()}`,
    CATALOG_POLL_INTERVAL: '200ms',
    LOG_LEVEL: 'silent',
  });
  const sim = await startCatalogApiSimulator({
    credentials: KEYS,
    region: REGION,
    stores: [{ storeId: STORE_ID, retailerId: 'bench' }],
  });
  const items = benchItems();
  say(
    `catalog benchmark: ${ITEMS.toLocaleString('en-US')} items, requests of at most ${MAX_ITEMS_PER_REQUEST.toLocaleString('en-US')}`,
  );

  const validation = await cpuOf(() => validateCatalog(items));
  if (validation.result.length > 0)
    throw new Error(`benchmark items are invalid: ${validation.result[0].problems.join('; ')}`);
  say(`validate: ${perTenThousand(validation.cpuMs)}`);
  const chunking = await cpuOf(() => chunkItems(items));
  say(`chunk: ${perTenThousand(chunking.cpuMs)} (${chunking.result.length} requests)`);
  const signing = await cpuOf(() =>
    chunking.result.map((chunk) =>
      signRequest({
        url: `${sim.url}/v1/catalog/upload`,
        method: 'POST',
        body: JSON.stringify({ catalogItems: chunk }),
        contentType: 'application/json',
        service: 'execute-api',
        region: REGION,
        credentials: KEYS,
      }),
    ),
  );
  say(`sign (JSON body + SigV4): ${perTenThousand(signing.cpuMs)}`);

  const devServer = config.TEMPORAL_ADDRESS
    ? null
    : await startDevServer({
        cliPath: await ensureTemporalCli(),
        port: 0,
        uiPort: null,
        dbFile: null,
        namespace: config.TEMPORAL_NAMESPACE,
      });
  const address = config.TEMPORAL_ADDRESS ?? devServer!.address;
  const db = await openPglite(null);
  await migrate(db);
  await upsertStore(db, {
    storeId: STORE_ID,
    name: 'Benchmark store',
    retailerId: 'bench',
    currency: 'USD',
    taxInclusive: false,
    preauthAmountMinor: 5000,
  });
  await seedCatalog(db, items);

  // The connector's own wiring: the main worker and the rate-limited catalog worker (the API listens too, unused here).
  const connector = await runConnector({
    config,
    db,
    temporalAddress: address,
    logger: createLogger('silent'),
    catalogApi: createAmazonCatalogClient({
      endpoint: sim.url,
      reportOrigins: [sim.url],
      region: REGION,
      credentials: async () => KEYS,
    }),
    listen: { port: 0, host: '127.0.0.1' },
  });

  const uploadId = randomUUID();
  const input: CatalogUploadInput = {
    uploadId,
    storeId: STORE_ID,
    retryFailedOf: null,
    chunkSize: MAX_ITEMS_PER_REQUEST,
    pollIntervalMs: 200,
  };
  const upload = await cpuOf((): Promise<CatalogUploadSummary> =>
    connector.client.workflow.execute('catalogUploadWorkflow', {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: catalogUploadWorkflowId(uploadId),
      args: [input],
    }),
  );
  const highest = sim.state.maxRequestsInAnySecond();
  say(
    `upload through CatalogUploadWorkflow (validate, chunk, sign, send, poll, store the report; worker, simulator and PGlite in this process): ` +
      `${perTenThousand(upload.cpuMs)}, ${(upload.wallMs / 1000).toFixed(1)} s wall`,
  );
  say(
    `highest request rate seen: ${highest} requests in one second (limit ${MAX_REQUESTS_PER_SECOND}; catalog queue rate ${config.CATALOG_UPLOADS_PER_SECOND}/s)`,
  );
  say(
    `result: ${upload.result.status}, ${upload.result.items.succeeded.toLocaleString('en-US')} of ${upload.result.items.total.toLocaleString('en-US')} items succeeded`,
  );

  await connector.stop();
  await db.close();
  await sim.close();
  await devServer?.stop();
  if (highest > MAX_REQUESTS_PER_SECOND || upload.result.status !== 'COMPLETED') process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`catalog benchmark failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
