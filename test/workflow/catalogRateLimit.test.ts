/**
 * Amazon allows 10 Upload Catalog requests a second. Two workers on the catalog task queue (as two
 * replicas would be) must together stay within it, paced by the Temporal server, not by sleeps.
 */
import { catalogItems, seedCatalog, startCatalogStack, type CatalogStack } from '../support/catalogStack';

describe('catalog upload rate limit', () => {
  let catalog: CatalogStack;
  beforeAll(async () => {
    // 40 requests of 5 items: four times what one second allows.
    catalog = await startCatalogStack({ catalogWorkers: 2, env: { CATALOG_CHUNK_SIZE: '5' } });
    await seedCatalog(catalog.stack.db, catalogItems(200));
  });
  afterAll(() => catalog?.close());

  test('when two workers upload 40 chunks, then no second sees more than 10 requests and all are accepted', async () => {
    const summary = await catalog.summary(await catalog.upload());

    expect(summary).toMatchObject({
      status: 'COMPLETED',
      items: { total: 200, succeeded: 200 },
      chunks: { total: 40, done: 40 },
    });
    expect(catalog.sim.state.ingestions()).toHaveLength(40);
    // The simulator counts every request in a rolling second, throttled ones included.
    expect(catalog.sim.state.maxRequestsInAnySecond()).toBeLessThanOrEqual(10);
  }, 120_000);
});
