/**
 * The simulator's own price calculation: worked examples by hand, and agreement with the
 * connector's pricing engine on many seeded carts (two implementations of the same written rules).
 */
import { priceCart } from '../../../../src/domain/pricing';
import { expectedBill, type ShopperLine } from '../../../../src/tools/simulator/journey/expectedBill';
import { planRun } from '../../../../src/tools/simulator/journey/plan';
import type { StorePricing } from '../../../../src/tools/simulator/journey/storeData';
import { DEMO_CATALOG, DEMO_PRICING } from './demoPricing';

const AT = '2026-03-01T12:00:00Z';
const line = (lineId: string, sku: string, quantity: string, unit = 'unit'): ShopperLine => ({
  lineId,
  sku,
  quantity,
  unit,
});
const bill = (lines: ShopperLine[], pricing: StorePricing = DEMO_PRICING) =>
  expectedBill(pricing, DEMO_CATALOG, lines, AT);

describe('expectedBill', () => {
  test('when three colas are bought, then the 3-for-5.00 deal applies and tax is on the deal price', () => {
    const result = bill([line('L1', 'SKU-001', '3.0')]);
    // 597 gross, 97 off, 8.25% of 500 = 41.25 → 41.
    expect(result.lines).toEqual([
      { lineId: 'L1', sku: 'SKU-001', grossMinor: 597, discountMinor: 97, taxMinor: 41, totalMinor: 541 },
    ]);
    expect(result.totalMinor).toBe(541);
  });

  test('when a multi-buy group mixes two lines, then its saving is split by value with the odd cent to the largest remainder', () => {
    const result = bill([line('L1', 'SKU-004', '1.0'), line('L2', 'SKU-001', '2.0')]);
    // Group: 2 colas (398) + 1 water (129) = 527, saving 27: cola 20.39…, water 6.60… → 20 and 7.
    expect(result.lines.map((l) => [l.lineId, l.discountMinor, l.taxMinor])).toEqual([
      ['L1', 7, 10],
      ['L2', 20, 31],
    ]);
  });

  test('when a multi-buy group would cost more than the items, then no discount is given', () => {
    const pricing: StorePricing = {
      ...DEMO_PRICING,
      promotions: [{ id: 'P', name: '3 for 9.00', kind: 'MULTI_BUY', skus: ['SKU-004'], quantity: 3, priceMinor: 900 }],
    };
    expect(bill([line('L1', 'SKU-004', '3.0')], pricing).lines[0].discountMinor).toBe(0);
  });

  test('when a percentage is off, then it is rounded half-up per unit', () => {
    // 20% of 349 = 69.8 → 70 per bag.
    expect(bill([line('L1', 'SKU-002', '2.0')]).lines[0]).toMatchObject({
      grossMinor: 698,
      discountMinor: 140,
      taxMinor: 46,
      totalMinor: 604,
    });
  });

  test('when a weighed item is bought, then price × weight is rounded half-up once for the line', () => {
    expect(bill([line('L1', 'SKU-005', '0.50', 'lb')]).lines[0].grossMinor).toBe(75); // 74.5
    expect(bill([line('L1', 'SKU-007', '1.234', 'kg')]).lines[0].grossMinor).toBe(542); // 541.726
  });

  test('when a promotion has ended before the trip, then it does not apply', () => {
    const pricing: StorePricing = {
      ...DEMO_PRICING,
      promotions: DEMO_PRICING.promotions.map((p) => ({ ...p, endsAt: '2026-01-01T00:00:00Z' })),
    };
    expect(bill([line('L1', 'SKU-001', '3.0')], pricing).lines[0].discountMinor).toBe(0);
  });

  test('when a weighed item comes in another unit than its price, then the check refuses it rather than guess', () => {
    expect(() => bill([line('L1', 'SKU-005', '1.0', 'kg')])).toThrow(/weighed in lb/);
  });

  test('when many seeded carts are priced, then every line agrees with the connector pricing engine', () => {
    const priceBook = DEMO_CATALOG.map((i) => ({
      sku: i.sku,
      name: i.name,
      unitPriceMinor: i.priceMinor,
      pricingUnit: i.pricingUnit,
      taxCode: i.taxCode,
    }));
    let compared = 0;
    for (let seed = 1; seed <= 40; seed++) {
      for (const visit of planRun({ seed, shoppers: 10, ratePerSecond: 1 }, DEMO_CATALOG)) {
        const lines = visit.cart
          .filter((item) => item.sku)
          .map((item) => line(item.lineItemId, item.sku!, item.quantity.value, item.quantity.unit));
        if (lines.length === 0) continue;
        const engine = priceCart({
          currency: 'USD',
          at: AT,
          taxInclusive: false,
          lines,
          priceBook,
          promotions: DEMO_PRICING.promotions,
          taxRates: DEMO_PRICING.taxRates,
        });
        const ours = bill(lines);
        expect(ours.lines).toEqual(
          engine.lines.map((l) => ({
            lineId: l.lineId,
            sku: l.sku,
            grossMinor: l.grossMinor,
            discountMinor: l.discountMinor,
            taxMinor: l.taxMinor,
            totalMinor: l.totalMinor,
          })),
        );
        expect(ours.totalMinor).toBe(engine.totalMinor);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});
