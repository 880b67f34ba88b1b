/**
 * A large catalog upload against a running cluster, for the rate guarantee: seeds a store with N
 * items straight into the connector's database (the import endpoint's per-row path is not what is
 * measured), tells the cluster's Catalog API simulator about the store, starts the upload through
 * the operator API, follows it to its summary, and reads how many Upload Catalog requests the
 * simulator received and the most in any rolling second.
 *
 *   node dist/tools/cluster/catalogLoad.js --items 50000 [--store LOAD-STORE] [--data-dir .data/cluster]
 *
 * Chunk size is the workers' CATALOG_CHUNK_SIZE (start the cluster with e.g. CATALOG_CHUNK_SIZE=100
 * to get 500 requests out of 50,000 items).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { openPostgres } from '../../adapters/db/database';
import { upsertStore } from '../../adapters/identity/identityStore';
import { gs1CheckDigit } from '../../domain/catalog/barcodes';
import { exitWithMessage } from '../../startup';

export interface CatalogLoadResult {
  uploadId: string;
  storeId: string;
  items: number;
  status: string;
  succeeded: number;
  failed: number;
  invalid: number;
  unknown: number;
  chunks: number;
  /** Upload Catalog requests that reached the simulator during the upload. */
  requests: number;
  maxInAnySecond: number;
  /** The shortest time 11 consecutive requests took at the simulator (the limit holds while ≥ 1000 ms). */
  minSpanOfElevenMs: number | null;
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `count` valid items for `storeId` (replacing the store's catalog). */
export async function seedLoadCatalog(databaseUrl: string, storeId: string, count: number): Promise<void> {
  const db = await openPostgres(databaseUrl, { poolSize: 2 });
  try {
    await upsertStore(db, {
      storeId,
      name: `Catalog load ${storeId}`,
      retailerId: 'load-retailer',
      currency: 'USD',
      taxInclusive: false,
      preauthAmountMinor: 5000,
    });
    await db.query('DELETE FROM catalog_items WHERE store_id = $1', [storeId]);
    for (let start = 0; start < count; start += 5_000) {
      const rows = Array.from({ length: Math.min(5_000, count - start) }, (_, k) => {
        const i = start + k + 1;
        const payload = `0${String(i).padStart(10, '0')}`;
        const item = {
          item_sku: `LOAD-${String(i).padStart(6, '0')}`,
          external_product_id: `${payload}${gs1CheckDigit(payload)}`,
          external_product_id_type: 'UPC',
          item_name: `Load item ${i}`,
          store_id: storeId,
          standard_price: '1.99',
          brand_name: 'Load',
        };
        return { sku: item.item_sku, name: item.item_name, barcode: item.external_product_id, amazon_item: item };
      });
      await db.query(
        `INSERT INTO catalog_items (store_id, sku, name, barcode, amazon_item)
         SELECT $1, r.sku, r.name, r.barcode, r.amazon_item FROM jsonb_to_recordset($2::jsonb) AS r(sku text, name text, barcode text, amazon_item jsonb)`,
        [storeId, JSON.stringify(rows)],
      );
    }
  } finally {
    await db.close();
  }
}

async function json<T = any>(url: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function runCatalogLoad(options: {
  apiUrl: string;
  controlUrl: string;
  databaseUrl: string;
  operatorKey: string;
  storeId: string;
  items: number;
  timeoutMs?: number;
  log?: (line: string) => void;
}): Promise<CatalogLoadResult> {
  const log = options.log ?? (() => undefined);
  await seedLoadCatalog(options.databaseUrl, options.storeId, options.items);
  await json(`${options.controlUrl}/catalog-simulator/stores/refresh`, { method: 'POST' });
  const ops = { 'x-operator-key': options.operatorKey, 'content-type': 'application/json' };
  const since = Date.now();
  const started = await json<{ uploadId: string }>(`${options.apiUrl}/ops/v1/catalog/uploads`, {
    method: 'POST',
    headers: ops,
    body: JSON.stringify({ storeId: options.storeId }),
  });
  log(`catalog upload ${started.uploadId}: ${options.items} items for ${options.storeId}`);
  const deadline = Date.now() + (options.timeoutMs ?? 10 * 60_000);
  let lastLine = '';
  for (;;) {
    const progress = await json<{ workflowStatus: string; progress: any }>(
      `${options.apiUrl}/ops/v1/catalog/uploads/${encodeURIComponent(started.uploadId)}`,
      { headers: ops },
    ).catch(() => null); // a replica being restarted: ask again
    const summary = progress?.progress?.summary;
    if (summary) {
      const sim = await json<{ requests: number; maxInAnySecond: number; minSpanOfElevenMs: number | null }>(
        `${options.controlUrl}/catalog-simulator?since=${since}`,
      );
      return {
        uploadId: started.uploadId,
        storeId: options.storeId,
        items: options.items,
        status: summary.status,
        succeeded: summary.items.succeeded,
        failed: summary.items.failed,
        invalid: summary.items.invalid,
        unknown: summary.items.unknown,
        chunks: summary.chunks.total,
        requests: sim.requests,
        maxInAnySecond: sim.maxInAnySecond,
        minSpanOfElevenMs: sim.minSpanOfElevenMs,
        seconds: (Date.now() - since) / 1000,
      };
    }
    const counts = progress?.progress?.counts;
    const line = counts
      ? `  ${progress!.progress.phase}: ${counts.sent}/${counts.total} chunks sent, ${counts.done} done`
      : '';
    if (line && line !== lastLine) {
      log(line);
      lastLine = line;
    }
    if (Date.now() > deadline) throw new Error(`catalog upload ${started.uploadId} did not finish in time (${line})`);
    await sleep(2_000);
  }
}

if (require.main === module) {
  const program = new Command('catalog-load')
    .option('--items <n>', 'items', (v) => Number(v), 50_000)
    .option('--store <id>', 'store id', 'LOAD-STORE')
    .option('--data-dir <dir>', "the cluster's data dir", join(process.env.DATA_DIR || '.data', 'cluster'))
    .action(async (opts: { items: number; store: string; dataDir: string }) => {
      const state = JSON.parse(readFileSync(join(opts.dataDir, 'cluster.json'), 'utf8'));
      const result = await runCatalogLoad({
        apiUrl: state.api,
        controlUrl: state.control,
        databaseUrl: state.databaseUrl,
        operatorKey: process.env.JWO_OPERATOR_KEY || 'demo-operator-key',
        storeId: opts.store,
        items: opts.items,
        log: (line) => process.stderr.write(`${line}\n`),
      });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    });
  program.parseAsync(process.argv).catch(exitWithMessage);
}
