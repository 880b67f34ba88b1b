/** The check of a POS answer before money moves on it: consistent, in the store's currency, sane. */
import {
  absurdQuantity,
  checkPosAnswer,
  maxTotalMinor,
  quantityProblem,
  type PosQuestion,
} from '../../../src/domain/posAnswerCheck';
import { priceCart, type PricingResult } from '../../../src/domain/pricing';
import { cart, item, PRICE_BOOK, withPromotions } from './pricing/fixtures';

const question = (input: ReturnType<typeof cart>): PosQuestion => ({
  currency: input.currency,
  taxInclusive: input.taxInclusive,
  lines: input.lines,
});

function priced(lines = [item('COLA', '3'), item('CHEESE', '1.5', 'lb'), item('WATER')], taxInclusive = false) {
  const input = withPromotions(
    lines,
    [
      { id: 'COLA3', name: 'Cola 3 for 5', kind: 'MULTI_BUY', skus: ['COLA'], quantity: 3, priceMinor: 500 },
      { id: 'SPEND5', name: '5% over 10', kind: 'SPEND_THRESHOLD', thresholdMinor: 1000, percentOffBasisPoints: 500 },
    ],
    { taxInclusive },
  );
  return { q: question(input), answer: priceCart(input) };
}

const reasons = (answer: PricingResult, q: PosQuestion) => checkPosAnswer(q, answer).map((p) => p.reason);
const details = (answer: PricingResult, q: PosQuestion) => checkPosAnswer(q, answer).map((p) => p.detail);

describe('checkPosAnswer', () => {
  test.each([false, true])(
    'when the built-in engine prices a cart (tax inclusive %s), then its answer passes',
    (inc) => {
      const { q, answer } = priced(undefined, inc);
      expect(answer.discountMinor).toBeGreaterThan(0);
      expect(checkPosAnswer(q, answer)).toEqual([]);
    },
  );

  test('when a line cannot be priced, then the answer still passes (the line goes to review on its own)', () => {
    const { q, answer } = priced([item('COLA'), item('NOPE')]);
    expect(answer.unpriceable).toHaveLength(1);
    expect(checkPosAnswer(q, answer)).toEqual([]);
  });

  test('when the currency is not the store’s, then it is inconsistent', () => {
    const { q, answer } = priced();
    expect(checkPosAnswer(q, { ...answer, currency: 'EUR' })).toEqual([
      {
        lineId: '*',
        itemId: '*',
        reason: 'POS_INCONSISTENT',
        detail: "the POS answered in EUR, the store's currency is USD",
      },
    ]);
  });

  test('when an amount is negative or a fraction, then it is inconsistent', () => {
    const { q, answer } = priced([item('WATER')]);
    const line = answer.lines[0];
    const negative = {
      ...answer,
      lines: [{ ...line, unitPriceMinor: -100, grossMinor: -100, netMinor: -100, totalMinor: -100 }],
      subtotalMinor: -100,
      totalMinor: -100,
    };
    expect(details(negative, q)).toEqual(
      expect.arrayContaining([
        'line L1 unitPriceMinor is negative (-100)',
        'line L1 grossMinor is negative (-100)',
        'totalMinor is negative (-100)',
      ]),
    );
    expect(new Set(reasons(negative, q))).toEqual(new Set(['POS_INCONSISTENT']));
    expect(details({ ...answer, taxMinor: 0.5 }, q)).toContain('taxMinor is not a whole number of minor units');
  });

  test('when the lines do not add up to the totals, then each broken sum is named', () => {
    const { q, answer } = priced();
    expect(details({ ...answer, totalMinor: answer.totalMinor + 1 }, q)).toEqual([
      `totalMinor is ${answer.totalMinor + 1}, the lines add up to ${answer.totalMinor}`,
      `totalMinor is ${answer.totalMinor + 1}, subtotal, discount and tax add up to ${answer.totalMinor}`,
    ]);
    expect(details({ ...answer, subtotalMinor: answer.subtotalMinor - 1 }, q)).toContain(
      `subtotalMinor is ${answer.subtotalMinor - 1}, the lines add up to ${answer.subtotalMinor}`,
    );
    expect(details({ ...answer, taxMinor: 0 }, q)).toContain(`taxMinor is 0, the lines add up to ${answer.taxMinor}`);
    expect(details({ ...answer, promotionsApplied: [] }, q)).toEqual([
      `discountMinor is ${answer.discountMinor}, the promotions applied add up to 0`,
    ]);
  });

  test('when a line does not add up (discounts, net, total), then it is inconsistent and names the line', () => {
    const { q, answer } = priced();
    const [first, ...rest] = answer.lines;
    const broken = { ...answer, lines: [{ ...first, totalMinor: first.totalMinor - 10 }, ...rest] };
    expect(checkPosAnswer(q, broken)).toEqual(
      expect.arrayContaining([
        {
          lineId: 'L1',
          itemId: 'COLA',
          reason: 'POS_INCONSISTENT',
          detail: `line L1 totalMinor is ${first.totalMinor - 10}, its parts add up to ${first.totalMinor}`,
        },
      ]),
    );
    const discounts = { ...answer, lines: [{ ...first, discounts: [] }, ...rest] };
    expect(details(discounts, q)).toContain(`line L1 discountMinor is ${first.discountMinor}, its parts add up to 0`);
    const net = { ...answer, lines: [{ ...first, netMinor: first.netMinor + 1 }, ...rest] };
    expect(details(net, q)).toContain(
      `line L1 netMinor is ${first.netMinor + 1}, its parts add up to ${first.netMinor}`,
    );
  });

  test('when lines are missing, repeated, foreign, or priced as another SKU or quantity, then it is inconsistent', () => {
    const { q, answer } = priced();
    const [first, second] = answer.lines;
    expect(details({ ...answer, lines: answer.lines.slice(1) }, q)).toContain('line L1 is missing from the answer');
    expect(details({ ...answer, lines: [...answer.lines, first] }, q)).toContain('line L1 is answered more than once');
    expect(details({ ...answer, lines: [...answer.lines, { ...first, lineId: 'L9' }] }, q)).toContain(
      'line L9 was not in the cart',
    );
    expect(details({ ...answer, lines: [{ ...first, sku: 'CHIPS' }, ...answer.lines.slice(1)] }, q)).toContain(
      'line L1 is priced as CHIPS, the cart has COLA',
    );
    expect(details({ ...answer, lines: [first, { ...second, quantity: '1' }, answer.lines[2]] }, q)).toContain(
      'line L2 is priced for quantity 1, the cart has 1.5',
    );
  });

  test('when the total is above 1,000,000.00 in the store’s currency, then the cart is absurd', () => {
    expect(maxTotalMinor('USD')).toBe(100_000_000);
    expect(maxTotalMinor('JPY')).toBe(1_000_000);
    expect(maxTotalMinor('KWD')).toBe(1_000_000_000);
    const gold = {
      sku: 'GOLD',
      name: 'Gold bar',
      unitPriceMinor: 5_000_000,
      pricingUnit: 'each',
      taxCode: 'ZERO',
    } as const;
    const input = cart([item('GOLD', '30')], { priceBook: [...PRICE_BOOK, gold] });
    const answer = priceCart(input);
    expect(answer.totalMinor).toBeGreaterThan(maxTotalMinor('USD'));
    expect(checkPosAnswer(question(input), answer)).toEqual([
      {
        lineId: '*',
        itemId: '*',
        reason: 'ABSURD_CART',
        detail: `total ${answer.totalMinor} minor units of USD is above 1,000,000 USD`,
      },
    ]);
    const small = cart([item('COLA', '5000')]);
    expect(checkPosAnswer(question(small), priceCart(small))).toEqual([]);
  });

  test('when a line quantity is above 9,999 (the fuzzed "9999999999"), then the cart is absurd', () => {
    expect(absurdQuantity('9999')).toBe(false);
    expect(absurdQuantity('9999.0')).toBe(false);
    expect(absurdQuantity('9999.5')).toBe(true);
    expect(absurdQuantity('9999999999')).toBe(true);
    expect(quantityProblem({ lineId: 'L-1', itemId: 'SKU-1', quantity: '9999999999' })).toEqual({
      lineId: 'L-1',
      itemId: 'SKU-1',
      reason: 'ABSURD_CART',
      detail: 'quantity 9999999999 is above 9,999',
    });
    expect(quantityProblem({ lineId: 'L-1', itemId: 'SKU-1', quantity: '2' })).toBeNull();
    const input = cart([item('COLA', '9999999999')]);
    const answer = priceCart(input);
    expect(reasons(answer, question(input))).toEqual(['ABSURD_CART', 'ABSURD_CART']);
  });
});
