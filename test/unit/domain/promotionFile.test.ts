/** Promotions from a POS export (CSV or JSON), and the checks that refuse one that would never apply. */
import {
  neverAppliesBecause,
  parsePromotionFile,
  parsePromotionKind,
  percentToBasisPoints,
  promotionState,
  PromotionFileError,
} from '../../../src/domain/promotionFile';
import type { Promotion } from '../../../src/domain/pricing';

test('kinds are read in the spellings a POS or a person uses', () => {
  expect(parsePromotionKind('percent-off')).toBe('PERCENT_OFF');
  expect(parsePromotionKind('Amount Off')).toBe('FIXED_OFF');
  expect(parsePromotionKind('buy_x_get_y')).toBe('BUY_X_GET_Y');
  expect(parsePromotionKind('free lunch')).toBeNull();
  expect(percentToBasisPoints('12.5')).toBe(1250);
  expect(percentToBasisPoints('8.875')).toBeNull();
});

describe('CSV', () => {
  test('when every kind is in the file, then each row becomes the engine definition in minor units', () => {
    const rows = parsePromotionFile(
      `ID,Name,Kind,SKUs,Percent,Amount,Quantity,Price,Buy,Get,Get_Percent,Threshold,Starts_At,Ends_At,Priority,Exclusive
A,a,percent-off,S1|S2,10,,,,,,,,,,,
B,b,amount-off,S1,,0.25,,,,,,,,,,
C,c,multi-buy,S1;S2,,,3,5,,,,,,,2,
D,d,buy-x-get-y,S1,,,,,2,1,50,,,,,
E,e,spend-threshold,,,5,,,,,,50,2024-01-01T00:00:00Z,2025-01-01T00:00:00Z,,yes
`,
      'csv',
      'USD',
    );
    expect(rows.map((r) => r.problems)).toEqual([[], [], [], [], []]);
    expect(rows.map((r) => r.promotion)).toEqual([
      { id: 'A', name: 'a', kind: 'PERCENT_OFF', skus: ['S1', 'S2'], percentBasisPoints: 1000 },
      { id: 'B', name: 'b', kind: 'FIXED_OFF', skus: ['S1'], amountOffMinor: 25 },
      { id: 'C', name: 'c', kind: 'MULTI_BUY', skus: ['S1', 'S2'], quantity: 3, priceMinor: 500, priority: 2 },
      {
        id: 'D',
        name: 'd',
        kind: 'BUY_X_GET_Y',
        skus: ['S1'],
        buyQuantity: 2,
        getQuantity: 1,
        getPercentOffBasisPoints: 5000,
      },
      {
        id: 'E',
        name: 'e',
        kind: 'SPEND_THRESHOLD',
        thresholdMinor: 5000,
        amountOffMinor: 500,
        startsAt: '2024-01-01T00:00:00Z',
        endsAt: '2025-01-01T00:00:00Z',
        exclusive: true,
      },
    ]);
  });

  test('when rows are wrong, then each is reported on its line with its reasons', () => {
    const rows = parsePromotionFile(
      `id,name,kind,skus,percent,amount,starts_at,ends_at
A,a,percent-off,S1,,,,
B,b,teleport,S1,,,,
C,c,amount-off,S1,,1.999,,
D,d,amount-off,S1,,1,2030-02-01T00:00:00Z,2030-01-01T00:00:00Z
`,
      'csv',
      'USD',
    );
    expect(rows.map((r) => [r.line, r.promotion])).toEqual([
      [2, null],
      [3, null],
      [4, null],
      [5, null],
    ]);
    expect(rows[0].problems.join()).toMatch(/percentBasisPoints/);
    expect(rows[1].problems.join()).toMatch(/kind must be one of/);
    expect(rows[2].problems.join()).toMatch(/amount "1.999" is not an amount in USD/);
    expect(rows[3].problems.join()).toMatch(/ends before it starts/);
  });

  test('when the header lacks a required column or the file is empty, then the file is refused', () => {
    expect(() => parsePromotionFile('id,name\nA,a\n', 'csv', 'USD')).toThrow(PromotionFileError);
    expect(() => parsePromotionFile('', 'csv', 'USD')).toThrow('the file is empty');
  });
});

describe('JSON', () => {
  test('when the file is a list or an object with promotions, then each entry is read', () => {
    const promotion = { id: 'A', name: 'a', kind: 'PERCENT_OFF', skus: ['S1'], percentBasisPoints: 100 };
    expect(parsePromotionFile(JSON.stringify([promotion]), 'json', 'USD')[0].promotion).toEqual(promotion);
    const [row] = parsePromotionFile(
      JSON.stringify({ promotions: [{ ...promotion, kind: 'percent-off' }] }),
      'json',
      'USD',
    );
    expect(row).toEqual({ line: 1, id: 'A', promotion, problems: [] });
    expect(() => parsePromotionFile('{"x":1}', 'json', 'USD')).toThrow(/must be a list/);
    expect(() => parsePromotionFile('nope', 'json', 'USD')).toThrow(/not valid JSON/);
    expect(parsePromotionFile('[42]', 'json', 'USD')[0].problems).toEqual(['must be an object']);
  });
});

describe('neverAppliesBecause and promotionState', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const promotion: Promotion = { id: 'A', name: 'a', kind: 'PERCENT_OFF', skus: ['S1', 'S2'], percentBasisPoints: 100 };

  test('when none of its SKUs is in the catalog, then it would never apply; when some are, the others are listed', () => {
    expect(neverAppliesBecause(promotion, now, new Set()).problems[0]).toMatch(
      /no SKU of it is in the store's catalog/,
    );
    expect(neverAppliesBecause(promotion, now, new Set(['S1']))).toEqual({ problems: [], missingSkus: ['S2'] });
  });

  test('when it ended before now, then it would never apply', () => {
    const ended = { ...promotion, endsAt: '2025-12-31T23:59:59Z' };
    expect(neverAppliesBecause(ended, now, new Set(['S1'])).problems[0]).toMatch(/before now/);
    expect(promotionState(ended, now)).toBe('ENDED');
    expect(promotionState({ ...promotion, startsAt: '2026-02-01T00:00:00Z' }, now)).toBe('SCHEDULED');
    expect(promotionState(promotion, now)).toBe('ACTIVE');
  });
});
