import { priceCart, PricingInputError, type PricingInput, type Promotion } from '../../../../src/domain/pricing';
import { cart, item, PRICE_BOOK, TAX_RATES } from './fixtures';

function issuesOf(input: PricingInput): readonly string[] {
  try {
    priceCart(input);
  } catch (error) {
    if (error instanceof PricingInputError) return error.issues;
    throw error;
  }
  throw new Error('expected a PricingInputError');
}

const promo = (fields: Record<string, unknown>): Promotion =>
  ({ id: 'P', name: 'Promo', ...fields }) as unknown as Promotion;

describe('priceCart configuration checks', () => {
  it.each<[string, Partial<PricingInput>, string]>([
    ['lower-case currency', { currency: 'usd' }, 'currency "usd" is not an ISO 4217 code'],
    [
      'trip time without offset',
      { at: '2024-06-01T12:00:00' },
      'at "2024-06-01T12:00:00" is not an ISO-8601 instant with an offset',
    ],
    ['taxInclusive not a boolean', { taxInclusive: 'yes' as unknown as boolean }, 'taxInclusive must be a boolean'],
    ['lines not a list', { lines: undefined as unknown as [] }, 'lines must be a list'],
    ['price book not a list', { priceBook: {} as unknown as [] }, 'priceBook must be a list'],
    ['duplicate sku', { priceBook: [...PRICE_BOOK, PRICE_BOOK[0]] }, 'duplicate price book sku "COLA"'],
    ['empty sku', { priceBook: [{ ...PRICE_BOOK[0], sku: '' }] }, 'price book sku "" must be a non-empty string'],
    [
      'negative price',
      { priceBook: [{ ...PRICE_BOOK[0], unitPriceMinor: -1 }] },
      'price book sku "COLA": unitPriceMinor must be a non-negative integer',
    ],
    [
      'fractional price',
      { priceBook: [{ ...PRICE_BOOK[0], unitPriceMinor: 1.99 }] },
      'unitPriceMinor must be a non-negative integer',
    ],
    [
      'unknown pricing unit',
      { priceBook: [{ ...PRICE_BOOK[0], pricingUnit: 'litre' as 'kg' }] },
      'pricingUnit "litre" must be one of each, kg, g, lb, oz',
    ],
    ['duplicate tax code', { taxRates: [...TAX_RATES, TAX_RATES[0]] }, 'duplicate tax code "STD"'],
    [
      'fractional tax rate',
      { taxRates: [{ taxCode: 'STD', rateBasisPoints: 8.25 }] },
      'tax code "STD": rateBasisPoints must be a non-negative integer',
    ],
    [
      'duplicate promotion id',
      {
        promotions: [
          promo({ kind: 'FIXED_OFF', skus: ['COLA'], amountOffMinor: 1 }),
          promo({ kind: 'FIXED_OFF', skus: ['COLA'], amountOffMinor: 2 }),
        ],
      },
      'duplicate promotion id "P"',
    ],
    ['unknown promotion kind', { promotions: [promo({ kind: 'BOGOF' })] }, 'promotion id "P": unknown kind "BOGOF"'],
    [
      'percent over 100%',
      { promotions: [promo({ kind: 'PERCENT_OFF', skus: ['COLA'], percentBasisPoints: 10001 })] },
      'percentBasisPoints must be an integer from 1 to 10000',
    ],
    [
      'no skus',
      { promotions: [promo({ kind: 'PERCENT_OFF', skus: [], percentBasisPoints: 100 })] },
      'skus must be a non-empty list of skus',
    ],
    [
      'zero fixed amount',
      { promotions: [promo({ kind: 'FIXED_OFF', skus: ['COLA'], amountOffMinor: 0 })] },
      'amountOffMinor must be a positive integer',
    ],
    [
      'buy 0',
      { promotions: [promo({ kind: 'BUY_X_GET_Y', skus: ['COLA'], buyQuantity: 0, getQuantity: 1 })] },
      'buyQuantity must be a positive integer',
    ],
    [
      'get 1.5',
      { promotions: [promo({ kind: 'BUY_X_GET_Y', skus: ['COLA'], buyQuantity: 1, getQuantity: 1.5 })] },
      'getQuantity must be a positive integer',
    ],
    [
      'get 0% off',
      {
        promotions: [
          promo({ kind: 'BUY_X_GET_Y', skus: ['COLA'], buyQuantity: 1, getQuantity: 1, getPercentOffBasisPoints: 0 }),
        ],
      },
      'getPercentOffBasisPoints must be an integer from 1 to 10000',
    ],
    [
      'multi-buy of 0',
      { promotions: [promo({ kind: 'MULTI_BUY', skus: ['COLA'], quantity: 0, priceMinor: 100 })] },
      'quantity must be a positive integer',
    ],
    [
      'negative multi-buy price',
      { promotions: [promo({ kind: 'MULTI_BUY', skus: ['COLA'], quantity: 2, priceMinor: -1 })] },
      'priceMinor must be a non-negative integer',
    ],
    [
      'threshold with both forms',
      {
        promotions: [
          promo({ kind: 'SPEND_THRESHOLD', thresholdMinor: 0, amountOffMinor: 1, percentOffBasisPoints: 1 }),
        ],
      },
      'exactly one of amountOffMinor and percentOffBasisPoints must be set',
    ],
    [
      'threshold with neither form',
      { promotions: [promo({ kind: 'SPEND_THRESHOLD', thresholdMinor: 0 })] },
      'exactly one of amountOffMinor and percentOffBasisPoints must be set',
    ],
    [
      'negative threshold',
      { promotions: [promo({ kind: 'SPEND_THRESHOLD', thresholdMinor: -5, amountOffMinor: 1 })] },
      'thresholdMinor must be a non-negative integer',
    ],
    [
      'fractional priority',
      { promotions: [promo({ kind: 'FIXED_OFF', skus: ['COLA'], amountOffMinor: 1, priority: 0.5 })] },
      'priority must be an integer',
    ],
    [
      'bad startsAt',
      { promotions: [promo({ kind: 'FIXED_OFF', skus: ['COLA'], amountOffMinor: 1, startsAt: 'tomorrow' })] },
      'startsAt "tomorrow" is not an ISO-8601 instant with an offset',
    ],
    [
      'empty window',
      {
        promotions: [
          promo({
            kind: 'FIXED_OFF',
            skus: ['COLA'],
            amountOffMinor: 1,
            startsAt: '2024-06-02T00:00:00Z',
            endsAt: '2024-06-01T00:00:00Z',
          }),
        ],
      },
      'startsAt must be before endsAt',
    ],
  ])('%s', (_, overrides, issue) => {
    expect(issuesOf(cart([item('COLA')], overrides))).toContainEqual(expect.stringContaining(issue));
  });

  it('checks promotions that are not live too', () => {
    const expired = promo({
      kind: 'PERCENT_OFF',
      skus: ['COLA'],
      percentBasisPoints: 0,
      endsAt: '2020-01-01T00:00:00Z',
    });
    expect(issuesOf(cart([item('COLA')], { promotions: [expired] }))).toEqual([
      'promotion id "P": percentBasisPoints must be an integer from 1 to 10000',
    ]);
  });

  it('reports every problem at once in the message', () => {
    const error = (() => {
      try {
        priceCart(cart([item('COLA')], { currency: 'usd', at: 'now' }));
      } catch (thrown) {
        return thrown as PricingInputError;
      }
      throw new Error('expected a PricingInputError');
    })();
    expect(error).toBeInstanceOf(PricingInputError);
    expect(error.name).toBe('PricingInputError');
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe(
      'Invalid pricing input: currency "usd" is not an ISO 4217 code; at "now" is not an ISO-8601 instant with an offset',
    );
  });
});
