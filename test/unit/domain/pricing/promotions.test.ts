import { priceCart, type CartLine, type Promotion } from '../../../../src/domain/pricing';
import { discountsByLine, expectConsistent, item, withPromotions } from './fixtures';

type Lines = Omit<CartLine, 'lineId'>[];

/** Prices the lines with the promotions and returns the discounts per line (after checking invariants). */
function discounts(lines: Lines, promotions: Promotion[]): Record<string, number>[] {
  const result = priceCart(withPromotions(lines, promotions));
  expectConsistent(result, false);
  return discountsByLine(result);
}

const percentOff = (percentBasisPoints: number, skus: string[], extra: Partial<Promotion> = {}): Promotion =>
  ({ id: 'PCT', name: 'Percent off', kind: 'PERCENT_OFF', skus, percentBasisPoints, ...extra }) as Promotion;
const fixedOff = (amountOffMinor: number, skus: string[], extra: Partial<Promotion> = {}): Promotion =>
  ({ id: 'FIX', name: 'Fixed off', kind: 'FIXED_OFF', skus, amountOffMinor, ...extra }) as Promotion;
const buyGet = (buyQuantity: number, getQuantity: number, skus: string[], extra: Partial<Promotion> = {}): Promotion =>
  ({ id: 'BXGY', name: 'Buy X get Y', kind: 'BUY_X_GET_Y', skus, buyQuantity, getQuantity, ...extra }) as Promotion;
const multiBuy = (quantity: number, priceMinor: number, skus: string[], extra: Partial<Promotion> = {}): Promotion =>
  ({ id: 'MULTI', name: 'Multi buy', kind: 'MULTI_BUY', skus, quantity, priceMinor, ...extra }) as Promotion;
const spend = (
  thresholdMinor: number,
  off: { amountOffMinor?: number; percentOffBasisPoints?: number },
  extra: Partial<Promotion> = {},
): Promotion =>
  ({ id: 'SPEND', name: 'Spend and save', kind: 'SPEND_THRESHOLD', thresholdMinor, ...off, ...extra }) as Promotion;

describe('PERCENT_OFF: rounded half-up per unit, or per line for weighed items', () => {
  it.each<[string, Lines, Promotion, Record<string, number>[]]>([
    ['15% off 3 × 1.99 (29.85 -> 30 each)', [item('COLA', '3')], percentOff(1500, ['COLA']), [{ PCT: 90 }]],
    ['33.33% off 3 × 1.50 (49.995 -> 50 each)', [item('CHIPS', '3')], percentOff(3333, ['CHIPS']), [{ PCT: 150 }]],
    ['10% off a weighed line of 1.13', [item('BANANA', '0.4536', 'kg')], percentOff(1000, ['BANANA']), [{ PCT: 11 }]],
    ['100% off', [item('COLA', '2')], percentOff(10000, ['COLA']), [{ PCT: 398 }]],
    ['only the listed skus', [item('COLA'), item('CHIPS')], percentOff(1000, ['CHIPS']), [{}, { PCT: 15 }]],
    [
      'every line of a listed sku',
      [item('COLA'), item('COLA', '2')],
      percentOff(1000, ['COLA']),
      [{ PCT: 20 }, { PCT: 40 }],
    ],
  ])('%s', (_, lines, promotion, expected) => {
    expect(discounts(lines, [promotion])).toEqual(expected);
  });
});

describe('FIXED_OFF: per unit for each items, per line for weighed items, never below zero', () => {
  it.each<[string, Lines, Promotion, Record<string, number>[]]>([
    ['0.50 off each of 2 colas', [item('COLA', '2')], fixedOff(50, ['COLA']), [{ FIX: 100 }]],
    ['5.00 off a 1.99 cola is capped at 1.99 each', [item('COLA', '2')], fixedOff(500, ['COLA']), [{ FIX: 398 }]],
    ['0.50 off a weighed line, once', [item('BANANA', '2', 'kg')], fixedOff(50, ['BANANA']), [{ FIX: 50 }]],
    [
      '5.00 off a 1.13 weighed line is capped at 1.13',
      [item('BANANA', '0.4536', 'kg')],
      fixedOff(500, ['BANANA']),
      [{ FIX: 113 }],
    ],
  ])('%s', (_, lines, promotion, expected) => {
    expect(discounts(lines, [promotion])).toEqual(expected);
  });

  it('leaves a fully discounted line at zero', () => {
    const result = priceCart(withPromotions([item('COLA', '2')], [fixedOff(500, ['COLA'])]));
    expect(result.lines[0]).toMatchObject({ netMinor: 0, taxMinor: 0, totalMinor: 0 });
  });
});

describe('BUY_X_GET_Y: the cheapest units of complete groups get the reward, each items only', () => {
  it.each<[string, Lines, Promotion, Record<string, number>[]]>([
    ['buy 2 get 1: 3 colas, one free', [item('COLA', '3')], buyGet(2, 1, ['COLA']), [{ BXGY: 199 }]],
    ['buy 2 get 1: 2 colas is no complete group', [item('COLA', '2')], buyGet(2, 1, ['COLA']), [{}]],
    ['buy 2 get 1: 5 colas, one group', [item('COLA', '5')], buyGet(2, 1, ['COLA']), [{ BXGY: 199 }]],
    ['buy 2 get 1: 6 colas, two groups', [item('COLA', '6')], buyGet(2, 1, ['COLA']), [{ BXGY: 398 }]],
    [
      'buy 1 get 1 across skus: the cheapest unit is free',
      [item('COLA'), item('CHIPS'), item('WATER')],
      buyGet(1, 1, ['COLA', 'CHIPS', 'WATER']),
      [{}, {}, { BXGY: 100 }],
    ],
    [
      'buy 1 get 1 across lines: the 2 cheapest of 4 are free',
      [item('WATER', '2'), item('COLA', '2')],
      buyGet(1, 1, ['COLA', 'WATER']),
      [{ BXGY: 200 }, {}],
    ],
    [
      'buy 1 get 1 half price (75)',
      [item('CHIPS', '2')],
      buyGet(1, 1, ['CHIPS'], { getPercentOffBasisPoints: 5000 }),
      [{ BXGY: 75 }],
    ],
    [
      'buy 1 get 1 at 33.33% off (49.995 -> 50)',
      [item('CHIPS', '2')],
      buyGet(1, 1, ['CHIPS'], { getPercentOffBasisPoints: 3333 }),
      [{ BXGY: 50 }],
    ],
    ['buy 1 get 2: 3 colas, two free', [item('COLA', '3')], buyGet(1, 2, ['COLA']), [{ BXGY: 398 }]],
    [
      'weighed lines are ignored',
      [item('BANANA', '1', 'kg'), item('BANANA', '1', 'kg')],
      buyGet(1, 1, ['BANANA']),
      [{}, {}],
    ],
    ['a huge quantity is one step', [item('COLA', '9999999999')], buyGet(2, 1, ['COLA']), [{ BXGY: 3333333333 * 199 }]],
  ])('%s', (_, lines, promotion, expected) => {
    expect(discounts(lines, [promotion])).toEqual(expected);
  });
});

describe('MULTI_BUY: most valuable units grouped first, only groups that save money', () => {
  it.each<[string, Lines, Promotion, Record<string, number>[]]>([
    ['3 for 5.00 on 3 colas (5.97)', [item('COLA', '3')], multiBuy(3, 500, ['COLA']), [{ MULTI: 97 }]],
    ['3 for 5.00 on 7 colas: two groups', [item('COLA', '7')], multiBuy(3, 500, ['COLA']), [{ MULTI: 194 }]],
    ['3 for 5.00 on 2 colas: no group', [item('COLA', '2')], multiBuy(3, 500, ['COLA']), [{}]],
    ['3 for 7.00 on 3 colas costs more than the shelf price', [item('COLA', '3')], multiBuy(3, 700, ['COLA']), [{}]],
    [
      // 1.99 + 1.99 + 1.50 = 5.48 -> 1.48 off, split 398:150 with the largest remainder going to CHIPS
      'a mixed group splits the saving pro rata',
      [item('COLA', '2'), item('CHIPS', '2')],
      multiBuy(3, 400, ['COLA', 'CHIPS']),
      [{ MULTI: 107 }, { MULTI: 41 }],
    ],
    [
      // group 1: 3 colas (5.97 -> 1.47 off); group 2: 1 cola + 2 chips (4.99 -> 0.49 off, split 199:300)
      'a run inside one line, then a group spanning lines',
      [item('CHIPS', '2'), item('COLA', '4')],
      multiBuy(3, 450, ['COLA', 'CHIPS']),
      [{ MULTI: 29 }, { MULTI: 147 + 20 }],
    ],
    [
      // 3 colas save 1.47; 3 waters (3.00) would cost more as a deal, so grouping stops
      'stops at the first group that would not save',
      [item('WATER', '3'), item('COLA', '3')],
      multiBuy(3, 450, ['COLA', 'WATER']),
      [{}, { MULTI: 147 }],
    ],
    ['2 for 0.00 makes both free', [item('WATER', '2')], multiBuy(2, 0, ['WATER']), [{ MULTI: 200 }]],
    [
      'a huge quantity is one step',
      [item('COLA', '9999999999')],
      multiBuy(3, 500, ['COLA']),
      [{ MULTI: 3333333333 * 97 }],
    ],
    ['weighed lines are ignored', [item('BANANA', '3', 'kg')], multiBuy(1, 1, ['BANANA']), [{}]],
  ])('%s', (_, lines, promotion, expected) => {
    expect(discounts(lines, [promotion])).toEqual(expected);
  });
});

describe('SPEND_THRESHOLD: basket level, after item promotions, split pro rata', () => {
  it.each<[string, Lines, Promotion[], Record<string, number>[]]>([
    [
      '1.00 off at 5.99: met exactly',
      [item('COLA'), item('CHIPS', '2'), item('WATER')],
      [spend(599, { amountOffMinor: 100 })],
      [{ SPEND: 33 }, { SPEND: 50 }, { SPEND: 17 }],
    ],
    [
      '1.00 off at 6.00: missed by a cent',
      [item('COLA'), item('CHIPS', '2'), item('WATER')],
      [spend(600, { amountOffMinor: 100 })],
      [{}, {}, {}],
    ],
    [
      '10% off at 0: 59.9 -> 60',
      [item('COLA'), item('CHIPS', '2'), item('WATER')],
      [spend(0, { percentOffBasisPoints: 1000 })],
      [{ SPEND: 20 }, { SPEND: 30 }, { SPEND: 10 }],
    ],
    ['amount capped at the basket', [item('COLA')], [spend(0, { amountOffMinor: 10000 })], [{ SPEND: 199 }]],
    [
      'measured after item promotions: 5.97 - 0.90 = 5.07 misses 5.50',
      [item('COLA', '3')],
      [percentOff(1500, ['COLA']), spend(550, { amountOffMinor: 100 })],
      [{ PCT: 90 }],
    ],
    [
      'applied on the net after item promotions',
      [item('COLA', '3')],
      [percentOff(1500, ['COLA']), spend(500, { percentOffBasisPoints: 1000 })],
      [{ PCT: 90, SPEND: 51 }], // 10% of 5.07 = 50.7
    ],
    [
      'two thresholds stack, the second on what the first left: 10% of 10.00, then 10% of 9.00',
      [item('WATER', '10')],
      [spend(0, { percentOffBasisPoints: 1000 }, { id: 'A' }), spend(0, { percentOffBasisPoints: 1000 }, { id: 'B' })],
      [{ A: 100, B: 90 }],
    ],
    [
      'weighed lines take part',
      [item('BANANA', '2', 'kg'), item('WATER')],
      [spend(0, { amountOffMinor: 60 })],
      [{ SPEND: 50 }, { SPEND: 10 }],
    ],
  ])('%s', (_, lines, promotions, expected) => {
    expect(discounts(lines, promotions)).toEqual(expected);
  });

  it('splits with the largest remainder so the shares add up exactly', () => {
    // 1.00 over three equal lines: 33.33 each, the leftover cent goes to the first.
    expect(discounts([item('WATER'), item('WATER'), item('WATER')], [spend(0, { amountOffMinor: 100 })])).toEqual([
      { SPEND: 34 },
      { SPEND: 33 },
      { SPEND: 33 },
    ]);
  });
});

describe('stacking', () => {
  it('gives each unit at most one item promotion, higher priority first', () => {
    const lines = [item('COLA', '2')];
    expect(discounts(lines, [percentOff(1000, ['COLA'], { priority: 1 }), fixedOff(50, ['COLA'])])).toEqual([
      { PCT: 40 },
    ]);
    expect(discounts(lines, [percentOff(1000, ['COLA']), fixedOff(50, ['COLA'], { priority: 1 })])).toEqual([
      { FIX: 100 },
    ]);
  });

  it('breaks priority ties by id, whatever the input order', () => {
    const a = fixedOff(50, ['COLA'], { id: 'A' });
    const b = percentOff(1000, ['COLA'], { id: 'B' });
    expect(discounts([item('COLA')], [b, a])).toEqual([{ A: 50 }]);
    expect(discounts([item('COLA')], [a, b])).toEqual([{ A: 50 }]);
  });

  it('lets a lower-priority promotion take the units a higher one left', () => {
    // buy 2 get 1 uses 3 of 4 colas; the 4th gets 10% off
    expect(
      discounts([item('COLA', '4')], [buyGet(2, 1, ['COLA'], { priority: 5 }), percentOff(1000, ['COLA'])]),
    ).toEqual([{ BXGY: 199, PCT: 20 }]);
  });

  it('lists line discounts and promotionsApplied in application order', () => {
    const result = priceCart(
      withPromotions(
        [item('COLA', '4'), item('WATER')],
        [spend(0, { amountOffMinor: 10 }), percentOff(1000, ['COLA']), buyGet(2, 1, ['COLA'], { priority: 5 })],
      ),
    );
    expect(result.lines[0].discounts.map((discount) => discount.promotionId)).toEqual(['BXGY', 'PCT', 'SPEND']);
    expect(result.promotionsApplied).toEqual([
      { promotionId: 'BXGY', name: 'Buy X get Y', amountMinor: 199 },
      { promotionId: 'PCT', name: 'Percent off', amountMinor: 20 },
      { promotionId: 'SPEND', name: 'Spend and save', amountMinor: 10 },
    ]);
    expectConsistent(result, false);
  });

  it('omits promotions that saved nothing from promotionsApplied', () => {
    const result = priceCart(
      withPromotions([item('COLA', '2')], [buyGet(2, 1, ['COLA']), multiBuy(2, 1000, ['COLA'])]),
    );
    expect(result.promotionsApplied).toEqual([]);
  });

  it('keeps units of an exclusive item promotion out of spend thresholds', () => {
    const lines = [item('COLA', '2'), item('CHIPS', '2')];
    // exclusive: eligible = chips 3.00 only, 10% = 30
    expect(
      discounts(lines, [percentOff(1000, ['COLA'], { exclusive: true }), spend(100, { percentOffBasisPoints: 1000 })]),
    ).toEqual([{ PCT: 40 }, { SPEND: 30 }]);
    // not exclusive: eligible = 3.58 + 3.00, 10% = 65.8 -> 66, split 358:300
    expect(discounts(lines, [percentOff(1000, ['COLA']), spend(100, { percentOffBasisPoints: 1000 })])).toEqual([
      { PCT: 40, SPEND: 36 },
      { SPEND: 30 },
    ]);
  });

  it('measures the threshold without exclusive units too', () => {
    const lines = [item('COLA', '2'), item('CHIPS', '2')];
    expect(
      discounts(lines, [percentOff(1000, ['COLA'], { exclusive: true }), spend(301, { amountOffMinor: 100 })]),
    ).toEqual([{ PCT: 40 }, {}]);
  });

  it('only excludes the units the exclusive promotion claimed', () => {
    // exclusive buy 2 get 1 claims 3 of 4 colas: the 4th (1.99) and the water (1.00) share the 0.30
    expect(
      discounts(
        [item('COLA', '4'), item('WATER')],
        [buyGet(2, 1, ['COLA'], { exclusive: true }), spend(0, { amountOffMinor: 30 })],
      ),
    ).toEqual([{ BXGY: 199, SPEND: 20 }, { SPEND: 10 }]);
  });

  it('never combines an exclusive spend threshold with another one', () => {
    const lines = [item('WATER', '10')];
    const flat = spend(500, { amountOffMinor: 100 }, { id: 'FLAT' });
    const exclusive = spend(500, { percentOffBasisPoints: 2000 }, { id: 'EXCL', exclusive: true });
    // the exclusive one comes first and wins alone
    expect(discounts(lines, [flat, { ...exclusive, priority: 1 }])).toEqual([{ EXCL: 200 }]);
    // a threshold already applied, so the exclusive one is skipped
    expect(discounts(lines, [{ ...flat, priority: 1 }, exclusive])).toEqual([{ FLAT: 100 }]);
    // an exclusive threshold that does not qualify blocks nothing
    const unmet = spend(5000, { percentOffBasisPoints: 2000 }, { id: 'EXCL', exclusive: true, priority: 1 });
    expect(discounts(lines, [flat, unmet])).toEqual([{ FLAT: 100 }]);
  });

  it('never takes a line below zero however promotions stack', () => {
    const result = priceCart(
      withPromotions(
        [item('COLA', '3'), item('BANANA', '0.4536', 'kg')],
        [
          fixedOff(1000, ['COLA', 'BANANA']),
          spend(0, { amountOffMinor: 100000 }),
          spend(0, { percentOffBasisPoints: 10000 }, { id: 'ALL' }),
        ],
      ),
    );
    expect(result.lines.map((line) => line.netMinor)).toEqual([0, 0]);
    expect(result.totalMinor).toBe(0);
    expectConsistent(result, false);
  });
});

describe('promotion schedule: startsAt <= at < endsAt', () => {
  const at = '2024-06-01T12:00:00Z';
  it.each<[string, boolean, { startsAt?: string; endsAt?: string }]>([
    ['no window', true, {}],
    ['starts exactly at the trip', true, { startsAt: at }],
    ['starts a nanosecond after', false, { startsAt: '2024-06-01T12:00:00.000000001Z' }],
    ['ends exactly at the trip', false, { endsAt: at }],
    ['ends a nanosecond after', true, { endsAt: '2024-06-01T12:00:00.000000001Z' }],
    ['inside the window', true, { startsAt: '2024-06-01T00:00:00Z', endsAt: '2024-06-02T00:00:00Z' }],
    ['window in the past', false, { startsAt: '2024-05-01T00:00:00Z', endsAt: '2024-06-01T00:00:00Z' }],
    ['window in the future', false, { startsAt: '2024-06-02T00:00:00Z' }],
    ['same instant written with an offset', true, { startsAt: '2024-06-01T13:00:00+01:00' }],
    ['a minute later with an offset', false, { startsAt: '2024-06-01T08:01-04:00' }],
  ])('%s -> active %p', (_, active, window) => {
    const result = priceCart(withPromotions([item('COLA')], [percentOff(1000, ['COLA'], window)], { at }));
    expect(result.promotionsApplied.length).toBe(active ? 1 : 0);
  });

  it('selects the promotions live at the trip time', () => {
    const morning = fixedOff(10, ['COLA'], { id: 'MORNING', endsAt: '2024-06-01T12:00:00Z' });
    const afternoon = fixedOff(20, ['COLA'], { id: 'AFTERNOON', startsAt: '2024-06-01T12:00:00Z' });
    expect(discounts([item('COLA')], [morning, afternoon])).toEqual([{ AFTERNOON: 20 }]);
  });
});
