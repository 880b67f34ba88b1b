/** Shared price book, tax rates and builders for the pricing engine tests. */
import type {
  CartLine,
  PriceBookEntry,
  PricingInput,
  PricingResult,
  Promotion,
  TaxRate,
} from '../../../../src/domain/pricing';

export const TRIP_AT = '2024-06-01T12:00:00Z';

export const PRICE_BOOK: PriceBookEntry[] = [
  { sku: 'COLA', name: 'Cola 330ml', unitPriceMinor: 199, pricingUnit: 'each', taxCode: 'STD' },
  { sku: 'CHIPS', name: 'Crisps', unitPriceMinor: 150, pricingUnit: 'each', taxCode: 'STD' },
  { sku: 'WATER', name: 'Still water', unitPriceMinor: 100, pricingUnit: 'each', taxCode: 'ZERO' },
  { sku: 'BANANA', name: 'Bananas', unitPriceMinor: 250, pricingUnit: 'kg', taxCode: 'ZERO' },
  { sku: 'CHEESE', name: 'Cheddar', unitPriceMinor: 899, pricingUnit: 'lb', taxCode: 'STD' },
  { sku: 'MYSTERY', name: 'Untaxable', unitPriceMinor: 500, pricingUnit: 'each', taxCode: 'NOT_CONFIGURED' },
];

export const TAX_RATES: TaxRate[] = [
  { taxCode: 'STD', rateBasisPoints: 825, name: 'State sales tax' },
  { taxCode: 'ZERO', rateBasisPoints: 0 },
];

/** A cart line; ids are assigned by `cart`. */
export function item(sku: string, quantity = '1', unit = 'unit'): Omit<CartLine, 'lineId'> {
  return { sku, quantity, unit };
}

export function cart(lines: Omit<CartLine, 'lineId'>[], overrides: Partial<PricingInput> = {}): PricingInput {
  return {
    currency: 'USD',
    at: TRIP_AT,
    taxInclusive: false,
    lines: lines.map((line, index) => ({ lineId: `L${index + 1}`, ...line })),
    priceBook: PRICE_BOOK,
    promotions: [],
    taxRates: TAX_RATES,
    ...overrides,
  };
}

export function withPromotions(
  lines: Omit<CartLine, 'lineId'>[],
  promotions: Promotion[],
  overrides: Partial<PricingInput> = {},
): PricingInput {
  return cart(lines, { promotions, ...overrides });
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/** Every arithmetic relation the engine promises between lines, promotions and totals. */
export function expectConsistent(result: PricingResult, taxInclusive: boolean): void {
  for (const line of result.lines) {
    for (const value of [line.grossMinor, line.discountMinor, line.netMinor, line.taxMinor, line.totalMinor]) {
      expect(Number.isSafeInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
    }
    expect(line.discountMinor).toBe(sum(line.discounts.map((discount) => discount.amountMinor)));
    expect(line.discounts.every((discount) => discount.amountMinor > 0)).toBe(true);
    expect(line.netMinor).toBe(line.grossMinor - line.discountMinor);
    expect(line.totalMinor).toBe(taxInclusive ? line.netMinor : line.netMinor + line.taxMinor);
    if (taxInclusive) expect(line.taxMinor).toBeLessThanOrEqual(line.netMinor);
  }
  expect(result.subtotalMinor).toBe(sum(result.lines.map((line) => line.grossMinor)));
  expect(result.discountMinor).toBe(sum(result.lines.map((line) => line.discountMinor)));
  expect(result.taxMinor).toBe(sum(result.lines.map((line) => line.taxMinor)));
  expect(result.totalMinor).toBe(sum(result.lines.map((line) => line.totalMinor)));
  expect(result.totalMinor).toBe(result.subtotalMinor - result.discountMinor + (taxInclusive ? 0 : result.taxMinor));
  expect(result.discountMinor).toBe(sum(result.promotionsApplied.map((applied) => applied.amountMinor)));
  for (const applied of result.promotionsApplied) {
    const fromLines = result.lines.flatMap((line) =>
      line.discounts.filter((discount) => discount.promotionId === applied.promotionId),
    );
    expect(sum(fromLines.map((discount) => discount.amountMinor))).toBe(applied.amountMinor);
  }
}

/** Discount per promotion id on each line, e.g. [{ COLA3: 30 }, {}] — compact for table tests. */
export function discountsByLine(result: PricingResult): Record<string, number>[] {
  return result.lines.map((line) =>
    Object.fromEntries(line.discounts.map((discount) => [discount.promotionId, discount.amountMinor])),
  );
}
