/**
 * The operator side of the catalog on both databases: `jwo catalog import` with rejected rows,
 * `jwo catalog upload` with its progress bar, `jwo catalog report`, and `--retry-failed`
 * re-sending only the items that failed. The commands run in-process against the real API.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listCatalogItems } from '../../src/adapters/catalog/catalogStore';
import {
  catalogImport,
  catalogReport,
  catalogUpload,
  EXIT_REFUSED,
  type CommandIo,
} from '../../src/tools/cli/catalogCommands';
import { opsClient } from '../../src/tools/cli/opsClient';
import { DB_KINDS } from '../support/db';
import { post, STORE_ID } from '../support/fixtures';
import { startCatalogStack, type CatalogStack } from '../support/catalogStack';

const OPS = { 'x-operator-key': 'demo-operator-key' };

function capturedIo(): CommandIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => (out += text),
    err: (text) => (err += text),
    errIsTerminal: false,
    stdout: () => out,
    stderr: () => err,
  };
}

function writeTemp(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'jwo-catalog-')), name);
  writeFileSync(file, content);
  return file;
}

const GOOD_ROWS = `sku,barcode,barcode_type,name,price
SKU-A,049000000443,UPC,Cola 330ml,1.99
SKU-B,028400000017,UPC,Crisps FAIL batch,3.49
SKU-C,071800000125,UPC,Sandwich,5.99
SKU-D,012000000133,UPC,Water FAIL batch,1.29
`;

describe.each(DB_KINDS)('catalog operations (%s)', (dbKind) => {
  let catalog: CatalogStack;
  beforeAll(async () => {
    catalog = await startCatalogStack({ dbKind });
  });
  afterAll(() => catalog?.close());

  test('when a CSV file has bad rows, then the good rows are stored, the bad ones are listed by line and the command exits 2', async () => {
    const file = writeTemp(
      'catalog.csv',
      `sku,barcode,barcode_type,name,price
SKU-1,049000000443,UPC,Cola 330ml,1.99
SKU-2,049000000444,UPC,Wrong check digit,1.00
SKU-3,,UPC,No barcode,2.00
SKU-1,028400000017,UPC,Same SKU again,3.49
`,
    );
    const io = capturedIo();
    const code = await catalogImport(catalog.ops, io, file, { store: STORE_ID });

    expect(code).toBe(EXIT_REFUSED);
    expect(io.stdout()).toContain('Imported 0 items into store STORE-001.');
    expect(io.stdout()).toMatch(/line 3 \(SKU-2\): .*check digit/);
    expect(io.stdout()).toMatch(/line 4 \(SKU-3\): missing required fields: external_product_id/);
    // Both rows of a duplicated SKU are rejected: nobody can tell which one is meant.
    expect(io.stdout()).toMatch(/line 2 \(SKU-1\): item_sku "SKU-1" is used more than once.*also line 5/);
    expect(io.stdout()).toMatch(/line 5 \(SKU-1\)/);
    expect(await listCatalogItems(catalog.stack.db, STORE_ID)).toEqual([]);
  });

  test('when a JSON file is all good, then every item is stored and the command exits 0', async () => {
    const file = writeTemp(
      'catalog.json',
      JSON.stringify([
        {
          item_sku: 'SKU-J',
          external_product_id: '4011',
          external_product_id_type: 'PLU',
          item_name: 'Bananas',
          standard_price: '0.69',
        },
      ]),
    );
    const io = capturedIo();
    expect(await catalogImport(catalog.ops, io, file, { store: STORE_ID, json: true })).toBe(0);
    expect(JSON.parse(io.stdout())).toEqual({ storeId: STORE_ID, imported: 1, rejected: [] });
    expect(
      (await listCatalogItems(catalog.stack.db, STORE_ID)).map((item) => [item.amazon.item_sku, item.priceMinor]),
    ).toEqual([['SKU-J', 69]]);
  });

  test('when the import names an unknown store or comes without the operator key, then it is refused', async () => {
    expect(
      await post(
        catalog.stack.url,
        '/ops/v1/catalog/imports',
        { storeId: 'NOPE', format: 'csv', content: GOOD_ROWS },
        OPS,
      ),
    ).toMatchObject({
      status: 404,
      body: { message: 'store NOPE does not exist' },
    });
    expect(
      await post(
        catalog.stack.url,
        '/ops/v1/catalog/imports',
        { storeId: STORE_ID, format: 'csv', content: GOOD_ROWS },
        {},
      ),
    ).toMatchObject({ status: 401 });
    expect(await post(catalog.stack.url, '/ops/v1/catalog/uploads', { storeId: 'NOPE' }, OPS)).toMatchObject({
      status: 404,
    });
  });

  test('when an upload with failed items is retried with --retry-failed, then only the failed items are sent again', async () => {
    await catalog.stack.db.query('DELETE FROM catalog_barcodes');
    await catalog.stack.db.query('DELETE FROM catalog_items');
    expect(
      await catalogImport(catalog.ops, capturedIo(), writeTemp('catalog.csv', GOOD_ROWS), { store: STORE_ID }),
    ).toBe(0);

    const first = capturedIo();
    expect(await catalogUpload(catalog.ops, first, { store: STORE_ID, wait: true, pollIntervalMs: 100 })).toBe(
      EXIT_REFUSED,
    );
    const firstId = first.stdout().trim();
    expect(first.stderr()).toMatch(/\[#{30}\] 1\/1 chunks finished · sent 1 · processing 0 · done 1 · failed 0/);
    expect(first.stderr()).toContain(
      `Upload ${firstId} (store STORE-001): COMPLETED_WITH_FAILURES. 4 items: 2 succeeded, 2 failed`,
    );
    expect(first.stderr()).toContain(`jwo catalog upload --store STORE-001 --retry-failed ${firstId}`);

    const report = capturedIo();
    await catalogReport(catalog.ops, report, firstId, { status: 'FAILED' });
    expect(report.stdout()).toMatch(/SKU-B\s+FAILED\s+1\s+Item rejected by the simulator/);
    expect(report.stdout()).not.toContain('SKU-A');

    // The retailer fixes the two items, then re-sends only them.
    await catalogImport(
      catalog.ops,
      capturedIo(),
      writeTemp('fixed.csv', GOOD_ROWS.replaceAll('FAIL batch', 'fixed')),
      { store: STORE_ID },
    );
    const before = catalog.sim.state.ingestions().length;
    const retry = capturedIo();
    expect(
      await catalogUpload(catalog.ops, retry, {
        store: STORE_ID,
        wait: true,
        retryFailed: firstId,
        pollIntervalMs: 100,
      }),
    ).toBe(0);

    const sent = catalog.sim.state.ingestions().slice(before);
    expect(sent.map((ingestion) => ingestion.items.map((item) => [item.item_sku, item.item_name]))).toEqual([
      [
        ['SKU-B', 'Crisps fixed'],
        ['SKU-D', 'Water fixed'],
      ],
    ]);
    const retried = await opsClient({ JWO_API_URL: catalog.stack.url }).get(
      `/ops/v1/catalog/uploads/${retry.stdout().trim()}/report`,
    );
    expect(retried).toMatchObject({
      retryFailedOf: firstId,
      status: 'COMPLETED',
      summary: { items: { total: 2, succeeded: 2 } },
    });
  });

  test('when an upload is started with --no-wait, then its id comes back at once and its status can be followed', async () => {
    const io = capturedIo();
    expect(await catalogUpload(catalog.ops, io, { store: STORE_ID, wait: false })).toBe(0);
    expect(io.stderr()).toBe('');
    const uploadId = io.stdout().trim();
    expect(uploadId).toMatch(/^[0-9a-f-]{36}$/);
    const status = await catalog.ops.get(`/ops/v1/catalog/uploads/${uploadId}`);
    expect(status).toMatchObject({ uploadId, progress: { uploadId, storeId: STORE_ID } });
    await catalog.summary(uploadId);
  });

  test('when a retry names an upload without failed items or of another store, then it is refused before anything starts', async () => {
    const io = capturedIo();
    await catalogUpload(catalog.ops, io, { store: STORE_ID, wait: true, pollIntervalMs: 100 });
    const cleanId = io.stdout().trim();
    await catalog.stack.db.query(
      `INSERT INTO stores (store_id, name) VALUES ('STORE-002', 'Second store') ON CONFLICT DO NOTHING`,
    );

    await expect(
      catalogUpload(catalog.ops, capturedIo(), { store: STORE_ID, wait: false, retryFailed: cleanId }),
    ).rejects.toThrow(`catalog upload ${cleanId} has no failed items to retry`);
    await expect(
      catalogUpload(catalog.ops, capturedIo(), { store: 'STORE-002', wait: false, retryFailed: cleanId }),
    ).rejects.toThrow(`catalog upload ${cleanId} belongs to store STORE-001, not STORE-002`);
    await expect(catalog.ops.get('/ops/v1/catalog/uploads/no-such-upload')).rejects.toThrow('404');
  });
});
