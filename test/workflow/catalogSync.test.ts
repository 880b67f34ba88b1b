/**
 * `jwo catalog sync` against the Catalog API simulator: only what changed since Amazon last
 * accepted the catalog is sent (new SKUs, changed relevant fields, failed last time), SKUs that
 * left the source go to the archive list, and a Temporal Schedule runs the sync, skipping a run
 * while the previous one still goes. The commands run in-process against the real API.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogItem } from '../../src/domain/catalog/catalogItem';
import {
  catalogArchiveList,
  catalogSchedule,
  catalogSync,
  catalogSyncSettings,
  EXIT_REFUSED,
  type CommandIo,
} from '../../src/tools/cli/catalogCommands';
import { STORE_ID } from '../support/fixtures';
import { catalogItem, catalogItems, startCatalogStack, type CatalogStack } from '../support/catalogStack';
import { eventually } from '../support/eventually';

function capturedIo(): CommandIo & { stdout: () => string } {
  let out = '';
  return { out: (text) => (out += text), err: () => {}, errIsTerminal: false, stdout: () => out };
}

function toCsv(items: CatalogItem[]): string {
  const cell = (value: string | undefined) => (value === undefined ? '' : /[",]/.test(value) ? `"${value}"` : value);
  const rows = items.map((item) =>
    [item.item_sku, item.external_product_id, item.external_product_id_type, item.item_name, item.standard_price]
      .map(cell)
      .join(','),
  );
  return ['sku,barcode,barcode_type,name,price', ...rows].join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'jwo-sync-'));
let fileNo = 0;
function catalogFile(items: CatalogItem[]): string {
  const file = join(dir, `catalog-${++fileNo}.csv`);
  writeFileSync(file, toCsv(items));
  return file;
}

describe('catalog sync', () => {
  let catalog: CatalogStack;
  beforeAll(async () => {
    catalog = await startCatalogStack();
  });
  afterAll(() => catalog?.close());
  beforeEach(async () => {
    for (const table of ['catalog_baseline', 'catalog_barcodes', 'catalog_items', 'catalog_sync_settings'])
      await catalog.stack.db.query(`DELETE FROM ${table}`);
  });

  /** Runs `jwo catalog sync` and answers what it printed, its exit code and the items Amazon received. */
  async function sync(items: CatalogItem[], options: { dryRun?: boolean } = {}) {
    const before = catalog.sim.state.ingestions().length;
    const io = capturedIo();
    const code = await catalogSync(catalog.ops, io, catalogFile(items), {
      store: STORE_ID,
      json: true,
      pollIntervalMs: 100,
      ...options,
    });
    const received = catalog.sim.state
      .ingestions()
      .slice(before)
      .flatMap((ingestion) => ingestion.items.map((item) => item.item_sku));
    return { code, result: JSON.parse(io.stdout()), received };
  }

  test('when 20,000 items are synced, then 20,000 are sent; the same file again sends 0; 150 renamed, 50 new barcodes and 25 new items send exactly 225', async () => {
    const items = catalogItems(20_000);
    const first = await sync(items);
    expect(first.code).toBe(0);
    expect(first.result).toMatchObject({
      status: 'COMPLETED',
      sent: 20_000,
      counts: { new: 20_000, changed: 0, retried: 0, unchanged: 0, removed: 0, toSend: 20_000 },
      uploadSummary: { items: { total: 20_000, succeeded: 20_000 } },
    });
    expect(first.received).toHaveLength(20_000);

    const second = await sync(items);
    expect(second.code).toBe(0);
    expect(second.result).toMatchObject({ status: 'COMPLETED', sent: 0, uploadId: null });
    expect(second.result.counts).toMatchObject({ unchanged: 20_000, new: 0, changed: 0, toSend: 0 });
    expect(second.received).toEqual([]);

    const edited = items.map((item, index) => {
      if (index < 150) return { ...item, item_name: `${item.item_name} (new recipe)` };
      // A barcode no other item has: item n + 100,000's.
      if (index < 200) return { ...item, external_product_id: catalogItem(index + 1 + 100_000).external_product_id };
      return item;
    });
    const third = await sync([...edited, ...catalogItems(25, 20_001)]);
    expect(third.result).toMatchObject({
      status: 'COMPLETED',
      sent: 225,
      counts: { new: 25, changed: 200, retried: 0, unchanged: 19_800, toSend: 225 },
    });
    expect(new Set(third.received)).toEqual(
      new Set([
        ...edited.slice(0, 200).map((item) => item.item_sku),
        ...catalogItems(25, 20_001).map((item) => item.item_sku),
      ]),
    );
    expect(third.received).toHaveLength(225);
  }, 240_000);

  test('when items fail at Amazon, then the next sync re-sends those and only those, until they succeed', async () => {
    const items = catalogItems(10).map((item, index) =>
      index < 3 ? { ...item, item_name: `${item.item_name} FAIL batch` } : item,
    );
    const failing = items.slice(0, 3).map((item) => item.item_sku);

    const first = await sync(items);
    expect(first.code).toBe(EXIT_REFUSED);
    expect(first.result).toMatchObject({
      status: 'COMPLETED_WITH_FAILURES',
      sent: 10,
      uploadSummary: { items: { succeeded: 7, failed: 3 } },
    });

    const again = await sync(items);
    expect(again.result.counts).toMatchObject({ retried: 3, new: 0, changed: 0, unchanged: 7, toSend: 3 });
    expect(again.received.sort()).toEqual(failing);

    const fixed = items.map((item, index) => (index < 3 ? { ...item, item_name: `Item ${index + 1}` } : item));
    const third = await sync(fixed);
    expect(third.code).toBe(0);
    expect(third.result).toMatchObject({ status: 'COMPLETED', sent: 3, counts: { retried: 3, toSend: 3 } });
    expect(third.received.sort()).toEqual(failing);

    expect((await sync(fixed)).received).toEqual([]);
  });

  test('when SKUs leave the source, then the sync lists them and archive-list writes them once as template rows', async () => {
    const items = catalogItems(10);
    await sync(items);

    const shorter = await sync(items.slice(0, 8));
    expect(shorter.result.counts).toMatchObject({ removed: 2, unchanged: 8, toSend: 0 });

    // A row the file gets wrong is rejected by line, not sent, and not taken for a removal.
    const withBadRow = items
      .slice(0, 8)
      .map((item, index) => (index === 7 ? { ...item, item_name: 'Cola® Zero' } : item));
    const rejected = await sync(withBadRow);
    expect(rejected.code).toBe(EXIT_REFUSED);
    expect(rejected.result.counts).toMatchObject({ removed: 2, rejected: 1, unchanged: 7, toSend: 0 });
    expect(rejected.result.rejected).toEqual([
      { line: 9, sku: 'SKU-000008', problems: [expect.stringContaining('item_name contains "®"')] },
    ]);

    const io = capturedIo();
    expect(await catalogArchiveList(catalog.ops, io, { store: STORE_ID, format: 'csv' })).toBe(0);
    expect(io.stdout()).toBe('item_sku,operation\r\nSKU-000009,Archive\r\nSKU-000010,Archive\r\n');
    const twice = capturedIo();
    await catalogArchiveList(catalog.ops, twice, { store: STORE_ID, format: 'csv' });
    expect(twice.stdout()).toBe('item_sku,operation\r\n');
    expect((await sync(items.slice(0, 8))).result.counts).toMatchObject({ removed: 0 });

    // Archived, then back in the source: Amazon no longer holds it, so it is new again.
    expect((await sync(items)).result.counts).toMatchObject({ new: 2, toSend: 2 });
  });

  test('when --dry-run, then the delta is printed and nothing is sent; a price change counts only where receipts show prices', async () => {
    const items = catalogItems(5).map((item) => ({ ...item, standard_price: '1.00' }));
    await sync(items);
    const changed = items.map((item, index) =>
      index === 0 ? { ...item, item_name: 'Renamed' } : index === 1 ? { ...item, standard_price: '2.00' } : item,
    );

    const io = capturedIo();
    const code = await catalogSync(catalog.ops, io, catalogFile(changed), {
      store: STORE_ID,
      dryRun: true,
      pollIntervalMs: 100,
    });
    expect(code).toBe(0);
    expect(io.stdout()).toContain('(dry run, nothing sent): 4 unchanged, 0 new, 1 changed, 0 retried');
    expect(io.stdout()).toContain('CHANGED SKU-000001 (name)');

    const settings = capturedIo();
    await catalogSyncSettings(catalog.ops, settings, { store: STORE_ID, priceOnReceipts: true });
    expect(settings.stdout()).toContain('sku, barcodes, name, brand, category, price');
    const real = await sync(changed);
    expect(real.result.counts).toMatchObject({ changed: 2, unchanged: 3, toSend: 2 });
    expect(real.received.sort()).toEqual(['SKU-000001', 'SKU-000002']);
  });

  describe('on a schedule', () => {
    let server: Server;
    let url: string;
    let holding = true;
    const held: (() => void)[] = [];
    const csv = toCsv(catalogItems(30, 50_001));
    beforeAll(async () => {
      server = createServer((_req, res) => {
        const answer = () => res.writeHead(200, { 'content-type': 'text/csv' }).end(csv);
        if (holding) held.push(answer);
        else answer();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/catalog.csv`;
    });
    afterAll(async () => {
      holding = false;
      held.splice(0).forEach((answer) => answer());
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    const schedules = async () => {
      const io = capturedIo();
      await catalogSchedule(catalog.ops, io, { list: true, json: true });
      return JSON.parse(io.stdout());
    };

    test('when the schedule is due, then it runs the sync, skips runs while one still goes, and can be paused and deleted', async () => {
      const io = capturedIo();
      // Every second (Temporal's 7-field cron starts with the second).
      await catalogSchedule(catalog.ops, io, { store: STORE_ID, source: url, cron: '* * * * * * *', json: true });
      expect(JSON.parse(io.stdout())).toMatchObject({ scheduleId: `catalog-sync-${STORE_ID}`, paused: false });

      // The first run waits on its download: the next ones are skipped, not queued or run alongside.
      await eventually(async () => expect(held.length).toBe(1), 20_000);
      await eventually(async () => expect((await schedules())[0].skippedOverlapping).toBeGreaterThanOrEqual(2), 20_000);
      expect(held).toHaveLength(1);

      holding = false;
      held.splice(0).forEach((answer) => answer());
      const scheduled = async () =>
        catalog.stack.db.query<any>(
          `SELECT status, sent, counts FROM catalog_syncs WHERE store_id = $1 AND trigger = 'SCHEDULE' ORDER BY created_at`,
          [STORE_ID],
        );
      await eventually(
        async () => expect((await scheduled())[0]).toMatchObject({ status: 'COMPLETED', sent: 30 }),
        30_000,
      );

      const paused = capturedIo();
      await catalogSchedule(catalog.ops, paused, { store: STORE_ID, pause: true, json: true });
      expect(JSON.parse(paused.stdout())).toMatchObject({ paused: true });
      expect((await schedules())[0]).toMatchObject({ storeId: STORE_ID, paused: true, source: url });
      // Later runs found nothing new to send.
      await eventually(async () =>
        expect((await scheduled()).every((row, index) => index === 0 || row.status !== 'RUNNING')).toBe(true),
      );
      expect((await scheduled()).slice(1).every((row: any) => row.sent === 0)).toBe(true);

      const metrics = await (await fetch(`${catalog.stack.url}/metrics`)).text();
      expect(metrics).toMatch(/jwo_catalog_sync_last_success_timestamp_seconds\{store_id="STORE-001"\} \d+/);
      expect(metrics).toMatch(/jwo_catalog_sync_delta_items\{store_id="STORE-001",change="new"\} \d+/);

      await catalogSchedule(catalog.ops, capturedIo(), { store: STORE_ID, delete: true });
      expect(await schedules()).toEqual([]);
    }, 120_000);
  });
});
