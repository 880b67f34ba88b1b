/**
 * The whole journey on a real stack: the demo catalog is imported and uploaded to the Catalog API
 * simulator through the operator endpoints, then a seeded crowd of shoppers gets Scan Key Codes from
 * the app backend, goes through the gate, shops and leaves, and Amazon delivers their carts with
 * retries and duplicates (src/tools/simulator/journey). Every trip must reconcile, and sampled receipts
 * must match the simulator's independent price calculation line by line.
 */
import { upsertPromotion, upsertTaxRate } from '../../src/adapters/catalog/catalogStore';
import { DEMO_CATALOG_CSV, DEMO_PROMOTIONS } from '../../src/tools/cli/demoStore';
import { runSimulation, type SimulationResult } from '../../src/tools/simulator/journey/runSimulation';
import type { TripRecord } from '../../src/tools/simulator/journey/reconcile';
import { startCatalogStack, type CatalogStack } from '../support/catalogStack';
import { STORE_ID } from '../support/fixtures';

/** For 8 shoppers this seed plans an empty cart, a bad cart, a declined card, a gateway timeout, weighed and scanned items, a multi-buy, a gate retry, a duplicate and a retried delivery (asserted below). */
const SEED = 51;
const SHOPPERS = 8;

describe('the whole journey: catalog upload, app, gate, purchases, reconciliation', () => {
  let catalog: CatalogStack;
  let result: SimulationResult;

  beforeAll(async () => {
    catalog = await startCatalogStack();
    // Tax rates and promotions are the POS's set-up, not part of the catalog file.
    await upsertTaxRate(catalog.stack.db, STORE_ID, { taxCode: 'GENERAL', rateBasisPoints: 825 });
    await upsertTaxRate(catalog.stack.db, STORE_ID, { taxCode: 'FOOD', rateBasisPoints: 0 });
    for (const promotion of DEMO_PROMOTIONS) await upsertPromotion(catalog.stack.db, STORE_ID, promotion);

    const imported = await catalog.ops.post('/ops/v1/catalog/imports', {
      storeId: STORE_ID,
      format: 'csv',
      content: DEMO_CATALOG_CSV,
    });
    expect(imported).toMatchObject({ imported: 8, rejected: [] });
    const summary = await catalog.summary(await catalog.upload());
    expect(summary).toMatchObject({ status: 'COMPLETED', items: expect.objectContaining({ succeeded: 8 }) });

    result = await runSimulation({
      apiUrl: catalog.stack.url,
      operatorKey: 'demo-operator-key',
      connectorKey: 'demo-connector-key',
      connectorAuthHeader: 'x-api-key',
      storeId: STORE_ID,
      seed: SEED,
      shoppers: SHOPPERS,
      ratePerSecond: 8,
      settleTimeoutMs: 90_000,
    });
  }, 240_000);
  afterAll(() => catalog?.close());

  const trips = (match: (trip: TripRecord) => boolean) => result.trips.filter(match);

  test('when the seeded crowd has shopped, then the plan covered every quirk the simulator plays', () => {
    const items = result.plan.flatMap((v) => v.cart);
    expect(result.plan).toHaveLength(SHOPPERS);
    expect(result.plan.some((v) => v.cart.length === 0)).toBe(true);
    expect(items.some((i) => i.sku === null)).toBe(true);
    expect(items.some((i) => i.type === 'SCANCODE' && i.sku)).toBe(true);
    expect(items.some((i) => i.quantity.unit !== 'unit')).toBe(true);
    expect(result.plan.some((v) => v.card === 'DECLINES_AT_CAPTURE' && v.cart.length > 0)).toBe(true);
    expect(result.plan.some((v) => v.card === 'TIMES_OUT_ONCE')).toBe(true);
    expect(new Set(result.plan.map((v) => v.delivery.kind))).toEqual(
      new Set(['ONCE', 'DUPLICATE', 'RETRY_AFTER_TIMEOUT']),
    );
    expect(result.plan.some((v) => v.gateRetry)).toBe(true);
  });

  test('when every trip is reconciled, then there is no mismatch and the money adds up', () => {
    const r = result.reconciliation;
    expect(r.mismatches).toEqual([]);
    // The connector's ledger audit over the run: every trip's money matches its receipt, nothing left held or moved twice.
    expect(r.ledgerAudit).toEqual({ tripsChecked: expect.any(Number), violations: 0 });
    expect(r.ledgerAudit!.tripsChecked).toBeGreaterThan(0);
    expect(r.entries).toEqual({ scanned: SHOPPERS, admitted: SHOPPERS });
    expect(r.purchases.recorded).toBe(SHOPPERS);
    expect(r.captured.actualMinor).toBe(r.captured.expectedMinor);
    expect(r.captured.actualMinor).toBeGreaterThan(0);
    expect(r.voidedPreAuths.actual).toBeGreaterThanOrEqual(1);
    expect(r.badCarts.actual).toBeGreaterThanOrEqual(1);
    expect(r.declines.actual).toBeGreaterThanOrEqual(1);
  });

  test('when sampled receipts are read line by line, then each line is what the independent calculation says', async () => {
    const discounted = trips((t) => (t.expected?.discountMinor ?? 0) > 0);
    const weighed = trips((t) => t.cart.some((i) => i.quantity.unit !== 'unit'));
    const badCart = trips((t) => t.cart.some((i) => i.sku === null));
    const sample = [...new Set([discounted[0], weighed[0], badCart[0]])].filter(Boolean);
    expect(sample.length).toBeGreaterThanOrEqual(2);
    for (const trip of sample) {
      const purchase = await catalog.ops.get(`/v1/purchases/${trip.purchase!.purchaseId}`);
      const receipt = purchase.receipt;
      expect(
        receipt.lines.map((l: any) => ({
          lineId: l.lineId,
          sku: l.sku,
          grossMinor: l.grossMinor,
          discountMinor: l.discounts.reduce((n: number, d: any) => n + d.amountMinor, 0),
          taxMinor: l.taxMinor,
          totalMinor: l.totalMinor,
        })),
      ).toEqual(trip.expected!.lines);
      expect({
        subtotal: receipt.subtotalMinor,
        savings: receipt.savingsMinor,
        tax: receipt.taxMinor,
        total: receipt.totalMinor,
      }).toEqual({
        subtotal: trip.expected!.subtotalMinor,
        savings: trip.expected!.discountMinor,
        tax: trip.expected!.taxMinor,
        total: trip.expected!.totalMinor,
      });
      const unknown = trip.cart.filter((i) => i.sku === null).map((i) => i.lineItemId);
      expect(receipt.notCharged.map((n: any) => n.lineId)).toEqual(unknown);
    }
  });

  test("when a bad cart was resolved, then the operator of the simulator's credential is recorded as charging the known items", async () => {
    const resolved: any[] = await catalog.ops.get('/ops/v1/badcarts?status=RESOLVED');
    const ours = resolved.filter((b) => trips((t) => t.tripId === b.tripId).length);
    expect(ours.length).toBeGreaterThanOrEqual(1);
    for (const badCart of ours)
      expect(badCart).toMatchObject({
        // The name of the credential the simulator calls with (the demo key acts as "operator").
        decidedBy: 'operator',
        decision: expect.objectContaining({ decision: 'CHARGE_KNOWN' }),
      });
  });
});
