/**
 * CatalogUploadWorkflow against the Catalog API simulator over real HTTP, with a real Temporal
 * server: chunking at the 10,000-item boundary, the signature check, and every way Amazon can
 * answer an upload or end an ingestion.
 */
import { UNKNOWN_STORE } from '../../src/tools/simulator/catalog';
import { listUploadItems } from '../../src/adapters/catalog/catalogUploadStore';
import { catalogUploadProgressQuery } from '../../src/shared/catalogMessages';
import { catalogUploadWorkflowId } from '../../src/shared/workflowIds';
import {
  CATALOG_KEYS,
  catalogItems,
  lastAttempts,
  seedCatalog,
  startCatalogStack,
  type CatalogStack,
} from '../support/catalogStack';
import { eventually } from '../support/eventually';

/** A simulator clock the test moves by hand, starting at the real time so SigV4 dates stay within the allowed skew. */
function manualClock() {
  let current = Date.now();
  return { now: () => current, advance: (ms: number) => (current += ms) };
}

describe('CatalogUploadWorkflow: chunking', () => {
  let catalog: CatalogStack;
  beforeAll(async () => {
    catalog = await startCatalogStack();
  });
  afterAll(() => catalog?.close());
  beforeEach(async () => {
    await catalog.stack.db.query('DELETE FROM catalog_barcodes');
    await catalog.stack.db.query('DELETE FROM catalog_items');
  });

  test.each([
    [9_999, [9_999]],
    [10_000, [10_000]],
    [10_001, [10_000, 1]],
  ])(
    'when the catalog has %i items, then they go in requests of %j and every item is reported SUCCESS',
    async (count, sizes) => {
      await seedCatalog(catalog.stack.db, catalogItems(count));
      const before = catalog.sim.state.ingestions().length;
      const uploadId = await catalog.upload();
      const summary = await catalog.summary(uploadId);

      // Chunks are sent in parallel, so Amazon may receive them in any order.
      const received = catalog.sim.state.ingestions().slice(before);
      expect(received.map((ingestion) => ingestion.items.length).sort((a, b) => b - a)).toEqual(sizes);
      expect(summary).toMatchObject({
        status: 'COMPLETED',
        items: { total: count, succeeded: count, failed: 0, invalid: 0, unknown: 0 },
        chunks: { total: sizes.length, done: sizes.length, failed: 0 },
      });
      const progress = await catalog.stack.client.workflow
        .getHandle(catalogUploadWorkflowId(uploadId))
        .query(catalogUploadProgressQuery);
      expect(progress.counts).toEqual({
        total: sizes.length,
        sent: sizes.length,
        processing: 0,
        done: sizes.length,
        failed: 0,
      });
      expect(progress.chunks.map((chunk) => [chunk.ingestionId, chunk.itemCount]).sort()).toEqual(
        received.map((ingestion) => [ingestion.ingestionId, ingestion.items.length]).sort(),
      );
    },
  );

  test('when the catalog has 100,000 items, then ten full requests carry them all', async () => {
    await seedCatalog(catalog.stack.db, catalogItems(100_000));
    const before = catalog.sim.state.ingestions().length;
    const summary = await catalog.summary(await catalog.upload());

    const sizes = catalog.sim.state
      .ingestions()
      .slice(before)
      .map((ingestion) => ingestion.items.length);
    expect(sizes).toEqual(Array(10).fill(10_000));
    expect(
      new Set(
        catalog.sim.state
          .ingestions()
          .slice(before)
          .flatMap((ingestion) => ingestion.items.map((item) => item.item_sku)),
      ).size,
    ).toBe(100_000);
    expect(summary).toMatchObject({
      status: 'COMPLETED',
      items: { total: 100_000, succeeded: 100_000 },
      chunks: { total: 10, done: 10 },
    });
  }, 240_000);

  test('when an item fails our validation, then it is never sent and is reported INVALID with its problem', async () => {
    const [good, bad] = catalogItems(2);
    // A UPC-A whose check digit is wrong: stored by hand, as a catalog edited outside the import would be.
    await seedCatalog(catalog.stack.db, [
      good,
      {
        ...bad,
        external_product_id: `${bad.external_product_id.slice(0, 11)}${(Number(bad.external_product_id[11]) + 1) % 10}`,
      },
    ]);
    const before = catalog.sim.state.ingestions().length;
    const uploadId = await catalog.upload();
    const summary = await catalog.summary(uploadId);

    expect(
      catalog.sim.state
        .ingestions()
        .slice(before)
        .map((ingestion) => ingestion.items.map((item) => item.item_sku)),
    ).toEqual([[good.item_sku]]);
    expect(summary).toMatchObject({ status: 'COMPLETED_WITH_FAILURES', items: { total: 2, succeeded: 1, invalid: 1 } });
    const [invalid] = await listUploadItems(catalog.stack.db, uploadId, 'INVALID');
    expect(invalid).toMatchObject({
      sku: bad.item_sku,
      chunkNo: null,
      errors: [expect.stringContaining('check digit')],
    });
  });
});

describe('CatalogUploadWorkflow: Amazon refusing or retrying', () => {
  let catalog: CatalogStack;
  beforeAll(async () => {
    catalog = await startCatalogStack();
    await seedCatalog(catalog.stack.db, catalogItems(3));
  });
  afterAll(() => catalog?.close());

  test('when Amazon answers 429 first, then the request is retried and the upload completes', async () => {
    catalog.sim.faults.uploadQueue.push('429');
    const uploadId = await catalog.upload();
    expect(await catalog.summary(uploadId)).toMatchObject({ status: 'COMPLETED', items: { succeeded: 3 } });
    expect((await lastAttempts(catalog.stack, uploadId)).sendCatalogChunk).toBe(2);
  });

  test('when Amazon answers a retry-recommended 500, then the request is retried and the upload completes', async () => {
    catalog.sim.faults.uploadQueue.push('500-retry', '500-retry');
    const uploadId = await catalog.upload();
    expect(await catalog.summary(uploadId)).toMatchObject({ status: 'COMPLETED', items: { succeeded: 3 } });
    expect((await lastAttempts(catalog.stack, uploadId)).sendCatalogChunk).toBe(3);
  });

  test('when Amazon answers a no-retry 500, then the chunk fails at once keeping its errorMsg', async () => {
    catalog.sim.faults.uploadQueue.push('500-no-retry');
    const before = catalog.sim.state.ingestions().length;
    const uploadId = await catalog.upload();
    const summary = await catalog.summary(uploadId);

    expect(summary).toMatchObject({
      status: 'FAILED',
      items: { total: 3, failed: 3 },
      chunks: { total: 1, failed: 1 },
    });
    expect(catalog.sim.state.ingestions()).toHaveLength(before);
    expect((await lastAttempts(catalog.stack, uploadId)).sendCatalogChunk).toBe(1);
    const progress = await catalog.stack.client.workflow
      .getHandle(catalogUploadWorkflowId(uploadId))
      .query(catalogUploadProgressQuery);
    expect(progress.chunks[0]).toMatchObject({
      state: 'FAILED',
      ingestionId: null,
      error: expect.stringContaining('(HTTP 500): Server Error – No Retry'),
    });
    const items = await listUploadItems(catalog.stack.db, uploadId, 'FAILED');
    expect(items.map((item) => item.errors)).toEqual(
      Array(3).fill([expect.stringContaining('Server Error – No Retry')]),
    );
  });

  test('when getCatalogUploadStatus answers 429 and a retry-recommended 500, then polling goes on and the upload completes', async () => {
    catalog.sim.faults.statusQueue.push('429', '500-retry');
    const uploadId = await catalog.upload();
    expect(await catalog.summary(uploadId)).toMatchObject({ status: 'COMPLETED', items: { succeeded: 3 } });
    expect(catalog.sim.faults.statusQueue).toEqual([]);
  });

  test("when the simulator knows no such store, then Amazon's 400 errorMsg is kept on the failed chunk", async () => {
    const other = await startCatalogStack({
      simulator: { stores: [{ storeId: 'SOME-OTHER-STORE', retailerId: 'retailer-2' }] },
    });
    try {
      await seedCatalog(other.stack.db, catalogItems(2));
      const uploadId = await other.upload();
      expect(await other.summary(uploadId)).toMatchObject({ status: 'FAILED', items: { failed: 2 } });
      const [failed] = await listUploadItems(other.stack.db, uploadId, 'FAILED');
      expect(failed.errors).toEqual([`Upload Catalog refused the request (HTTP 400): ${UNKNOWN_STORE}`]);
    } finally {
      await other.close();
    }
  });

  test('when our keys are wrong, then the signature is rejected with 403 and the chunk fails with that message', async () => {
    const wrong = await startCatalogStack({
      clientCredentials: { ...CATALOG_KEYS, secretAccessKey: 'not-the-secret' },
    });
    try {
      await seedCatalog(wrong.stack.db, catalogItems(2));
      const uploadId = await wrong.upload();
      expect(await wrong.summary(uploadId)).toMatchObject({ status: 'FAILED', items: { failed: 2 } });
      expect(wrong.sim.state.ingestions()).toEqual([]);
      const [failed] = await listUploadItems(wrong.stack.db, uploadId, 'FAILED');
      expect(failed.errors).toEqual([
        expect.stringMatching(/\(HTTP 403\): The request signature we calculated does not match/),
      ]);
    } finally {
      await wrong.close();
    }
  });
});

describe('CatalogUploadWorkflow: how ingestions end', () => {
  const clock = manualClock();
  let catalog: CatalogStack;
  beforeAll(async () => {
    catalog = await startCatalogStack({ simulator: { now: clock.now } });
    await seedCatalog(catalog.stack.db, catalogItems(4));
  });
  afterAll(() => catalog?.close());

  /** Starts an upload, waits for Amazon to accept it, lets the test set the ingestion's fate, then moves time past processing. */
  async function uploadEnding(fate: (ingestionId: string) => void): Promise<string> {
    const before = catalog.sim.state.ingestions().length;
    const uploadId = await catalog.upload();
    const ingestion = await eventually(async () => {
      const accepted = catalog.sim.state.ingestions()[before];
      expect(accepted).toBeDefined();
      return accepted;
    });
    fate(ingestion.ingestionId);
    clock.advance(5_000);
    return uploadId;
  }

  test('when an ingestion ends DONE, then each item gets its line of the report, failures included', async () => {
    await seedCatalog(catalog.stack.db, [{ ...catalogItems(1)[0], item_name: 'Item 1 FAIL' }]);
    const uploadId = await uploadEnding(() => undefined);
    expect(await catalog.summary(uploadId)).toMatchObject({
      status: 'COMPLETED_WITH_FAILURES',
      items: { total: 4, succeeded: 3, failed: 1 },
    });
    const [failed] = await listUploadItems(catalog.stack.db, uploadId, 'FAILED');
    expect(failed).toMatchObject({
      sku: 'SKU-000001',
      errors: [expect.stringContaining('FAIL')],
      ingestionId: expect.any(String),
    });
  });

  test.each(['FATAL', 'CANCELLED'] as const)(
    'when an ingestion ends %s, then its chunk and items fail saying so',
    async (fate) => {
      const uploadId = await uploadEnding((ingestionId) => catalog.sim.faults.statusOverride.set(ingestionId, fate));
      const summary = await catalog.summary(uploadId);
      expect(summary).toMatchObject({
        status: 'FAILED',
        items: { total: 4, failed: 4 },
        chunks: { total: 1, failed: 1 },
      });
      const progress = await catalog.stack.client.workflow
        .getHandle(catalogUploadWorkflowId(uploadId))
        .query(catalogUploadProgressQuery);
      expect(progress.chunks[0]).toMatchObject({
        state: 'FAILED',
        processingStatus: fate,
        error: expect.stringContaining(`ended ${fate}`),
      });
    },
  );
});
