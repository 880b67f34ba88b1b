/**
 * `npm run bench:pricing`: carts priced per second by the built-in engine for 1-, 20- and 100-line
 * carts with 20 active promotions, beside the same carts with no promotions (the baseline in the
 * same process: what promotions cost).
 */
import { priceCart, type PricingInput, type Promotion } from '../../domain/pricing';
import { machineLine } from './stats';

const SKUS = Array.from({ length: 200 }, (_, i) => `SKU-${String(i).padStart(3, '0')}`);

function promotions(): Promotion[] {
  const kinds: Promotion[] = [];
  for (let i = 0; i < 20; i++) {
    const skus = SKUS.slice(i * 10, i * 10 + 10);
    const id = `P${i}`;
    const kind = i % 5;
    if (kind === 0) kinds.push({ id, name: id, kind: 'PERCENT_OFF', skus, percentBasisPoints: 1000 + i * 50 });
    else if (kind === 1) kinds.push({ id, name: id, kind: 'FIXED_OFF', skus, amountOffMinor: 25 });
    else if (kind === 2) kinds.push({ id, name: id, kind: 'BUY_X_GET_Y', skus, buyQuantity: 2, getQuantity: 1 });
    else if (kind === 3) kinds.push({ id, name: id, kind: 'MULTI_BUY', skus, quantity: 3, priceMinor: 500 });
    else kinds.push({ id, name: id, kind: 'SPEND_THRESHOLD', thresholdMinor: 5000 + i * 100, amountOffMinor: 300 });
  }
  return kinds;
}

function cart(lines: number, withPromotions: boolean): PricingInput {
  return {
    currency: 'USD',
    at: '2026-06-01T12:00:00Z',
    taxInclusive: false,
    lines: Array.from({ length: lines }, (_, i) => ({
      lineId: `l${i}`,
      sku: SKUS[(i * 7) % SKUS.length],
      quantity: i % 9 === 0 ? '1.375' : String(1 + (i % 4)),
      unit: i % 9 === 0 ? 'kg' : 'unit',
    })),
    priceBook: SKUS.map((sku, i) => ({
      sku,
      name: sku,
      unitPriceMinor: 99 + i * 13,
      pricingUnit: (i * 7) % 9 === 0 ? 'kg' : 'each',
      taxCode: i % 2 ? 'GENERAL' : 'FOOD',
    })),
    promotions: withPromotions ? promotions() : [],
    taxRates: [
      { taxCode: 'GENERAL', rateBasisPoints: 825 },
      { taxCode: 'FOOD', rateBasisPoints: 0 },
    ],
  };
}

/** Carts per second over at least minMs of repeated pricing. */
function rate(input: PricingInput, minMs = 1500): number {
  for (let i = 0; i < 50; i++) priceCart(input); // warm-up
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    priceCart(input);
    count++;
  }
  return (count / (performance.now() - started)) * 1000;
}

export interface PricingFigures {
  lines: number;
  withPromotions: number;
  withoutPromotions: number;
  ratio: number;
}

export function runPricingBench(): PricingFigures[] {
  return [1, 20, 100].map((lines) => {
    const withPromotions = rate(cart(lines, true));
    const withoutPromotions = rate(cart(lines, false));
    return { lines, withPromotions, withoutPromotions, ratio: withPromotions / withoutPromotions };
  });
}

export function pricingTable(figures: PricingFigures[]): string {
  return [
    '| cart lines | carts/s, 20 promotions | carts/s, no promotions | ratio |',
    '|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.lines} | ${f.withPromotions.toFixed(0)} | ${f.withoutPromotions.toFixed(0)} | ${(f.ratio * 100).toFixed(0)}% |`,
    ),
  ].join('\n');
}

if (require.main === module) {
  console.log(machineLine());
  console.log(pricingTable(runPricingBench()));
}
