import { priceCart, type PriceBookEntry } from '../../../../src/domain/pricing';
import { cart, expectConsistent, item } from './fixtures';

/** One each item at `priceMinor` taxed at `rateBasisPoints`. */
function priceOne(priceMinor: number, rateBasisPoints: number, taxInclusive: boolean) {
  const priceBook: PriceBookEntry[] = [
    { sku: 'X', name: 'X', unitPriceMinor: priceMinor, pricingUnit: 'each', taxCode: 'T' },
  ];
  const result = priceCart(
    cart([item('X')], { priceBook, taxRates: [{ taxCode: 'T', rateBasisPoints }], taxInclusive }),
  );
  expectConsistent(result, taxInclusive);
  return result.lines[0];
}

describe('tax-exclusive (US style): tax = round-half-up(net × rate), total = net + tax', () => {
  it.each([
    [199, 825, 16, 215], // 16.4175
    [200, 825, 17, 217], // 16.5 rounds half-up
    [1000, 825, 83, 1083], // 82.5
    [999, 0, 0, 999],
    [1, 5000, 1, 2], // 0.5
    [1, 4999, 0, 1],
    [0, 825, 0, 0],
  ])('net %i at %i bp -> tax %i, total %i', (net, rate, tax, total) => {
    expect(priceOne(net, rate, false)).toMatchObject({
      netMinor: net,
      taxRateBasisPoints: rate,
      taxMinor: tax,
      totalMinor: total,
    });
  });
});

describe('tax-inclusive (VAT style): tax = net − round-half-up(net / (1 + rate)), total = net', () => {
  it.each([
    [120, 2000, 20], // 100 + 20
    [199, 2000, 33], // 165.83 -> 166
    [5, 2000, 1], // 4.17 -> 4
    [5, 10000, 2], // 2.5 -> 3 (half-up), so tax 2
    [105, 500, 5],
    [999, 0, 0],
    [1, 2000, 0], // 0.83 -> 1
  ])('net %i at %i bp -> tax %i', (net, rate, tax) => {
    expect(priceOne(net, rate, true)).toMatchObject({ netMinor: net, taxMinor: tax, totalMinor: net });
  });
});

describe('tax per line', () => {
  it('uses each line’s own tax code and adds line taxes up to the cart tax', () => {
    // COLA STD 8.25%: 597 -> 49.25 -> 49; WATER ZERO; CHEESE STD: 1798 -> 148.335 -> 148
    const result = priceCart(cart([item('COLA', '3'), item('WATER', '2'), item('CHEESE', '2', 'lb')]));
    expect(result.lines.map((line) => [line.taxCode, line.taxMinor])).toEqual([
      ['STD', 49],
      ['ZERO', 0],
      ['STD', 148],
    ]);
    expect(result).toMatchObject({ subtotalMinor: 597 + 200 + 1798, taxMinor: 197, totalMinor: 2595 + 197 });
    expectConsistent(result, false);
  });

  it('rounds per line rather than on the cart subtotal', () => {
    // Three lines of 200 at 8.25% are 16.5 each -> 17 each = 51, although 600 × 8.25% = 49.5 -> 50.
    const priceBook: PriceBookEntry[] = [
      { sku: 'X', name: 'X', unitPriceMinor: 200, pricingUnit: 'each', taxCode: 'STD' },
    ];
    const result = priceCart(cart([item('X'), item('X'), item('X')], { priceBook }));
    expect(result.taxMinor).toBe(51);
  });

  it('taxes the net after discounts', () => {
    const result = priceCart(
      cart([item('COLA', '2')], {
        promotions: [{ id: 'P', name: 'Half off', kind: 'PERCENT_OFF', skus: ['COLA'], percentBasisPoints: 5000 }],
      }),
    );
    // 99.5 -> 100 off per unit: net 198, tax 16.335 -> 16
    expect(result.lines[0]).toMatchObject({
      grossMinor: 398,
      discountMinor: 200,
      netMinor: 198,
      taxMinor: 16,
      totalMinor: 214,
    });
  });
});
