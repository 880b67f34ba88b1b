import { planFingerprint, planRun } from '../../../../src/tools/simulator/journey/plan';
import { DEMO_CATALOG } from './demoPricing';

const options = { seed: 2024, shoppers: 200, ratePerSecond: 5 };

describe('planRun', () => {
  test('when the seed is the same, then the plan and its fingerprint are the same, whatever order the catalog comes in', () => {
    const first = planRun(options, DEMO_CATALOG);
    const second = planRun(options, [...DEMO_CATALOG].reverse());
    expect(second).toEqual(first);
    expect(planFingerprint(second)).toBe(planFingerprint(first));
  });

  test('when the seed differs, then the carts differ', () => {
    expect(planFingerprint(planRun({ ...options, seed: 2025 }, DEMO_CATALOG))).not.toBe(
      planFingerprint(planRun(options, DEMO_CATALOG)),
    );
  });

  test('when a duration is given, then only shoppers arriving within it are planned, in arrival order', () => {
    const plan = planRun({ ...options, durationSeconds: 10 }, DEMO_CATALOG);
    expect(plan.length).toBeGreaterThan(0);
    expect(plan.length).toBeLessThan(options.shoppers);
    for (const visit of plan) expect(visit.arrivalMs).toBeLessThan(10_000);
    expect(plan.map((v) => v.arrivalMs)).toEqual([...plan.map((v) => v.arrivalMs)].sort((a, b) => a - b));
  });

  test('when carts are drawn, then they hold catalog items by sku or barcode, unknown items, weighed items and every quirk', () => {
    const plan = planRun(options, DEMO_CATALOG);
    const items = plan.flatMap((v) => v.cart);
    const skus = new Set(DEMO_CATALOG.map((i) => i.sku));
    const barcodes = new Map(DEMO_CATALOG.flatMap((i) => i.barcodes.map((b) => [b.code, i.sku] as const)));
    for (const item of items) {
      if (item.sku === null) expect(skus.has(item.id) || barcodes.has(item.id)).toBe(false);
      else if (item.type === 'SCANCODE') expect(barcodes.get(item.id)).toBe(item.sku);
      else expect(item.id).toBe(item.sku);
    }
    expect(items.some((i) => i.type === 'SCANCODE' && i.sku)).toBe(true);
    expect(items.some((i) => i.externalIdentifiers)).toBe(true);
    expect(items.some((i) => i.quantity.unit === 'lb' || i.quantity.unit === 'kg')).toBe(true);
    expect(plan.some((v) => v.cart.length === 0)).toBe(true);
    expect(plan.some((v) => v.cart.some((i) => i.sku === null))).toBe(true);
    expect(new Set(plan.map((v) => v.card))).toEqual(new Set(['APPROVES', 'DECLINES_AT_CAPTURE', 'TIMES_OUT_ONCE']));
    expect(new Set(plan.map((v) => v.delivery.kind))).toEqual(new Set(['ONCE', 'RETRY_AFTER_TIMEOUT', 'DUPLICATE']));
    for (const visit of plan) expect(new Set(visit.cart.map((i) => i.lineItemId)).size).toBe(visit.cart.length);
  });

  test('when the catalog is empty, then planning fails saying so', () => {
    expect(() => planRun(options, [])).toThrow(/no catalog items/);
  });
});
