import { priceCart, type UnpriceableReason } from '../../../../src/domain/pricing';
import { cart, expectConsistent, item } from './fixtures';

describe('priceCart: line gross', () => {
  it.each([
    // sku, quantity, unit, gross: round-half-up(unit price × quantity in the price book unit)
    ['COLA', '3', 'unit', 597],
    ['COLA', '3.0', 'Units', 597],
    ['COLA', '1', 'each', 199],
    ['COLA', '9999999999', 'ea', 1_989_999_999_801],
    ['BANANA', '0.4536', 'kg', 113], // 113.40
    ['BANANA', '1', 'lb', 113], // 250 × 0.45359237 = 113.398...
    ['BANANA', '16', 'oz', 113], // 16 oz is exactly 1 lb
    ['BANANA', '500', 'grams', 125],
    ['BANANA', '0.002', 'kg', 1], // 0.5 rounds half-up
    ['BANANA', '0.001', 'kg', 0], // 0.25 rounds down
    ['CHEESE', '8', 'oz', 450], // 449.5 rounds half-up
    ['CHEESE', '1', 'oz', 56], // 56.1875
    ['CHEESE', '0.5', 'kg', 991], // 449.5 / 0.45359237 = 990.978...
    ['CHEESE', '2', 'LBS', 1798],
  ])('%s %s %s -> gross %i', (sku, quantity, unit, gross) => {
    const result = priceCart(cart([item(sku, quantity, unit)]));
    expect(result.unpriceable).toEqual([]);
    expect(result.lines[0]).toMatchObject({ sku, quantity, grossMinor: gross, discountMinor: 0, netMinor: gross });
    expectConsistent(result, false);
  });

  it('reports the normalised unit and the price book unit', () => {
    const [line] = priceCart(cart([item('CHEESE', '8', 'Ounces')])).lines;
    expect(line).toMatchObject({ unit: 'oz', pricingUnit: 'lb', unitPriceMinor: 899, name: 'Cheddar', taxCode: 'STD' });
  });
});

describe('priceCart: unpriceable lines', () => {
  it.each<[string, string, string, UnpriceableReason, string]>([
    ['NOPE', '1', 'unit', 'UNKNOWN_SKU', 'not in the price book'],
    ['COLA', '', 'unit', 'BAD_QUANTITY', 'empty'],
    ['COLA', '0', 'unit', 'BAD_QUANTITY', 'greater than zero'],
    ['COLA', '0.00', 'unit', 'BAD_QUANTITY', 'greater than zero'],
    ['COLA', '-1', 'unit', 'BAD_QUANTITY', 'plain non-negative decimal'],
    ['COLA', '12345678901', 'unit', 'BAD_QUANTITY', 'longer than 10'],
    ['COLA', '2.5', 'unit', 'BAD_QUANTITY', 'sold by the item'],
    ['COLA', '1', 'kg', 'UNIT_MISMATCH', 'priced per each'],
    ['BANANA', '1', 'unit', 'UNIT_MISMATCH', 'priced per kg'],
    ['BANANA', '1', 'bushel', 'UNIT_MISMATCH', 'unknown unit'],
    ['MYSTERY', '1', 'unit', 'NO_TAX_RATE', 'NOT_CONFIGURED'],
  ])('%s %j %s -> %s', (sku, quantity, unit, reason, detail) => {
    const result = priceCart(cart([item(sku, quantity, unit)]));
    expect(result.lines).toEqual([]);
    expect(result.unpriceable).toEqual([{ lineId: 'L1', sku, reason, detail: expect.stringContaining(detail) }]);
    expect(result).toMatchObject({ subtotalMinor: 0, discountMinor: 0, taxMinor: 0, totalMinor: 0 });
  });

  it('flags a line whose amount would not fit a safe integer', () => {
    const priceBook = [
      { sku: 'GOLD', name: 'Gold bar', unitPriceMinor: 10 ** 9, pricingUnit: 'each' as const, taxCode: 'ZERO' },
    ];
    const result = priceCart(cart([item('GOLD', '9999999999')], { priceBook }));
    expect(result.unpriceable).toEqual([
      expect.objectContaining({ reason: 'BAD_QUANTITY', detail: expect.stringContaining('too large') }),
    ]);
  });

  it('leaves unpriceable lines out of lines and totals, keeping input order for both lists', () => {
    const result = priceCart(
      cart([item('COLA'), item('NOPE'), item('CHIPS', '2'), item('BANANA', '1', 'unit'), item('WATER')]),
    );
    expect(result.lines.map((line) => line.lineId)).toEqual(['L1', 'L3', 'L5']);
    expect(result.unpriceable.map((line) => [line.lineId, line.reason])).toEqual([
      ['L2', 'UNKNOWN_SKU'],
      ['L4', 'UNIT_MISMATCH'],
    ]);
    expect(result.subtotalMinor).toBe(199 + 300 + 100);
    expectConsistent(result, false);
  });

  it('prices an empty cart as zero', () => {
    expect(priceCart(cart([]))).toEqual({
      currency: 'USD',
      lines: [],
      subtotalMinor: 0,
      discountMinor: 0,
      taxMinor: 0,
      totalMinor: 0,
      promotionsApplied: [],
      unpriceable: [],
    });
  });

  it('prices the same sku on several lines separately', () => {
    const result = priceCart(cart([item('COLA', '2'), item('COLA', '1')]));
    expect(result.lines.map((line) => line.grossMinor)).toEqual([398, 199]);
  });
});
