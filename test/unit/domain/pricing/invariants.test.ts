/**
 * Property checks on pseudo-random carts: whatever the promotions, lines add up exactly to the totals,
 * nothing goes negative, and the result depends only on the configuration, not on its order.
 * The generator is seeded, so a failure is reproducible from the cart number in the test name.
 */
import {
  priceCart,
  type CartLine,
  type PriceBookEntry,
  type PricingInput,
  type PricingUnit,
  type Promotion,
  type TaxRate,
} from '../../../../src/domain/pricing';
import { expectConsistent } from './fixtures';

/** mulberry32: small, fast, good enough to spread test cases; deterministic for a given seed. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  const chance = (probability: number): boolean => next() < probability;
  const shuffle = <T>(items: readonly T[]): T[] => {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = int(0, i);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  };
  return { int, pick, chance, shuffle };
}
type Random = ReturnType<typeof seededRandom>;

const AT = '2024-06-01T12:00:00Z';
const WEIGHT_UNITS: PricingUnit[] = ['kg', 'g', 'lb', 'oz'];
const UNIT_SPELLINGS: Record<PricingUnit, string[]> = {
  each: ['unit', 'units', 'Each', 'ea'],
  kg: ['kg', 'Kilograms'],
  g: ['g', 'grams'],
  lb: ['lb', 'lbs', 'Pounds'],
  oz: ['oz', 'ounce'],
};
const WINDOWS = [
  {},
  { startsAt: AT },
  { endsAt: AT },
  { startsAt: '2024-06-01T11:00:00Z', endsAt: '2024-06-01T13:00:00Z' },
  { startsAt: '2024-07-01T00:00:00+02:00' },
];

function randomPriceBook(random: Random): PriceBookEntry[] {
  return Array.from({ length: 10 }, (_, index) => ({
    sku: `SKU${index}`,
    name: `Product ${index}`,
    unitPriceMinor: random.chance(0.05) ? 0 : random.int(1, 2500),
    pricingUnit: random.chance(0.7) ? 'each' : random.pick(WEIGHT_UNITS),
    taxCode: random.pick(['FOOD', 'STD', 'LUX', 'UNSET']),
  }));
}

function randomTaxRates(random: Random): TaxRate[] {
  return [
    { taxCode: 'FOOD', rateBasisPoints: random.pick([0, 500, 700]) },
    { taxCode: 'STD', rateBasisPoints: random.pick([825, 1000, 2000]) },
    { taxCode: 'LUX', rateBasisPoints: random.int(0, 10000) },
  ];
}

function randomQuantity(random: Random, weighed: boolean): string {
  if (random.chance(0.03)) return random.pick(['0', '', '1.5', '-1', 'abc']);
  if (!weighed) return random.chance(0.1) ? `${random.int(1, 5)}.0` : String(random.int(1, 12));
  return `${random.int(0, 3)}.${String(random.int(1, 9999)).padStart(4, '0')}`;
}

function randomLine(random: Random, priceBook: PriceBookEntry[], index: number): CartLine {
  const entry = random.pick(priceBook);
  const weighed = entry.pricingUnit !== 'each';
  const unit = random.chance(0.03)
    ? random.pick(['each', 'kg', 'bushel'])
    : random.pick(UNIT_SPELLINGS[weighed ? random.pick(WEIGHT_UNITS) : 'each']);
  return {
    lineId: `line-${index}`,
    sku: random.chance(0.03) ? 'UNKNOWN' : entry.sku,
    quantity: randomQuantity(random, weighed),
    unit,
  };
}

function randomPromotion(random: Random, priceBook: PriceBookEntry[], index: number): Promotion {
  const skus = random.shuffle(priceBook.map((entry) => entry.sku)).slice(0, random.int(1, 4));
  const common = {
    id: `PROMO-${index}`,
    name: `Promotion ${index}`,
    priority: random.int(-1, 2),
    ...(random.chance(0.25) ? { exclusive: true } : {}),
    ...random.pick(WINDOWS),
  };
  switch (random.int(0, 4)) {
    case 0:
      return { ...common, kind: 'PERCENT_OFF', skus, percentBasisPoints: random.int(1, 10000) };
    case 1:
      return { ...common, kind: 'FIXED_OFF', skus, amountOffMinor: random.int(1, 3000) };
    case 2:
      return {
        ...common,
        kind: 'BUY_X_GET_Y',
        skus,
        buyQuantity: random.int(1, 3),
        getQuantity: random.int(1, 2),
        ...(random.chance(0.5) ? { getPercentOffBasisPoints: random.int(1, 10000) } : {}),
      };
    case 3:
      return { ...common, kind: 'MULTI_BUY', skus, quantity: random.int(1, 4), priceMinor: random.int(0, 4000) };
    default:
      return {
        ...common,
        kind: 'SPEND_THRESHOLD',
        thresholdMinor: random.int(0, 5000),
        ...(random.chance(0.5)
          ? { amountOffMinor: random.int(1, 3000) }
          : { percentOffBasisPoints: random.int(1, 10000) }),
      };
  }
}

function randomCart(seed: number): PricingInput {
  const random = seededRandom(seed);
  const priceBook = randomPriceBook(random);
  return {
    currency: random.pick(['USD', 'EUR', 'JPY']),
    at: AT,
    taxInclusive: random.chance(0.5),
    lines: Array.from({ length: random.int(0, 9) }, (_, index) => randomLine(random, priceBook, index)),
    priceBook,
    promotions: Array.from({ length: random.int(0, 6) }, (_, index) => randomPromotion(random, priceBook, index)),
    taxRates: randomTaxRates(random),
  };
}

const CARTS = Array.from({ length: 400 }, (_, index) => index + 1);

describe('pricing invariants on pseudo-random carts', () => {
  it.each(CARTS)('cart %i: lines add up exactly to the totals and nothing goes negative', (seed) => {
    const input = randomCart(seed);
    const result = priceCart(input);
    expectConsistent(result, input.taxInclusive);
    expect([...result.lines, ...result.unpriceable].map((line) => line.lineId).sort()).toEqual(
      input.lines.map((line) => line.lineId).sort(),
    );
    const inputOrder = (lineId: string): number => input.lines.findIndex((line) => line.lineId === lineId);
    for (const list of [result.lines, result.unpriceable]) {
      const positions = list.map((line) => inputOrder(line.lineId));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it.each(CARTS.slice(0, 100))(
    'cart %i: the order of the price book, tax rates and promotions does not matter',
    (seed) => {
      const input = randomCart(seed);
      const random = seededRandom(seed * 7919);
      const reordered = {
        ...input,
        priceBook: random.shuffle(input.priceBook),
        taxRates: random.shuffle(input.taxRates),
        promotions: random.shuffle(input.promotions),
      };
      expect(priceCart(reordered)).toEqual(priceCart(input));
    },
  );

  it('exercises every promotion kind, unpriceable reason and both tax styles', () => {
    const inputs = CARTS.map(randomCart);
    const results = inputs.map(priceCart);
    const applied = new Set(
      results.flatMap((result, index) =>
        result.promotionsApplied.map(
          (promotion) => inputs[index].promotions.find((p) => p.id === promotion.promotionId)?.kind,
        ),
      ),
    );
    expect([...applied].sort()).toEqual(['BUY_X_GET_Y', 'FIXED_OFF', 'MULTI_BUY', 'PERCENT_OFF', 'SPEND_THRESHOLD']);
    expect(new Set(results.flatMap((result) => result.unpriceable.map((line) => line.reason)))).toEqual(
      new Set(['UNKNOWN_SKU', 'UNIT_MISMATCH', 'BAD_QUANTITY', 'NO_TAX_RATE']),
    );
    expect(new Set(inputs.map((input) => input.taxInclusive))).toEqual(new Set([true, false]));
  });
});
