/**
 * What a shopper should pay, computed by the simulator on its own, so the reconciliation checks the
 * connector's POS against a second implementation instead of against itself. It deliberately does
 * not import the pricing engine (src/domain/pricing). It covers what the simulator buys in a
 * tax-exclusive store with MULTI_BUY and PERCENT_OFF promotions, from the store's documented rules:
 *
 * - Gross: each items count × price; weighed items (quantity in the price's own unit)
 *   round(price × weight), half-up, once per line.
 * - Promotions live at the trip's end (startsAt <= at < endsAt) apply one after another, higher
 *   priority first, ties by id; a unit gets at most one promotion.
 *   PERCENT_OFF: round(unit value × percent) off each unit (a weighed line is one unit).
 *   MULTI_BUY ("any 3 for 5.00"): units of items sold by the each, most valuable first, form groups;
 *   each group costing more than the deal price is brought down to it, and grouping stops at the
 *   first group that would save nothing. A group's saving is split over its lines in proportion to
 *   their value (largest remainder; ties to the line that came first in the group).
 * - Tax per line on the net (gross − discounts): round(net × rate), half-up; total = net + tax.
 * - Cart totals are sums of the line values.
 */
import type { CatalogItem, SimPromotion, StorePricing } from './storeData';

export interface ShopperLine {
  lineId: string;
  sku: string;
  /** As sent to Amazon's Create Purchases: a decimal string ("2.0", "1.35"). */
  quantity: string;
  unit: string;
}

export interface ExpectedLine {
  lineId: string;
  sku: string;
  grossMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
}

export interface ExpectedBill {
  lines: ExpectedLine[];
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
}

interface WorkLine {
  line: ShopperLine;
  item: CatalogItem;
  gross: bigint;
  /** How promotions see the line: `units` units worth `unitValue` each (a weighed line is one unit). */
  units: bigint;
  unitValue: bigint;
  unclaimed: bigint;
  discount: bigint;
}

/** Half-up division of non-negative integers: 5/2 → 3, 4/3 → 1. */
const divideHalfUp = (numerator: bigint, denominator: bigint): bigint =>
  (2n * numerator + denominator) / (2n * denominator);

function decimal(value: string): { digits: bigint; scale: bigint } {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new Error(`quantity "${value}" is not a decimal`);
  const fraction = match[2] ?? '';
  return { digits: BigInt(match[1] + fraction), scale: 10n ** BigInt(fraction.length) };
}

function workLine(line: ShopperLine, item: CatalogItem | undefined): WorkLine {
  if (!item) throw new Error(`line ${line.lineId}: sku ${line.sku} is not in the catalog`);
  const { digits, scale } = decimal(line.quantity);
  const price = BigInt(item.priceMinor);
  if (item.pricingUnit === 'each') {
    if (line.unit !== 'unit' || digits % scale !== 0n)
      throw new Error(`line ${line.lineId}: ${item.sku} is sold by the item, got "${line.quantity} ${line.unit}"`);
    const count = digits / scale;
    return { line, item, gross: count * price, units: count, unitValue: price, unclaimed: count, discount: 0n };
  }
  if (line.unit !== item.pricingUnit)
    throw new Error(
      `line ${line.lineId}: the check expects ${item.sku} weighed in ${item.pricingUnit}, got ${line.unit}`,
    );
  const gross = divideHalfUp(price * digits, scale);
  return { line, item, gross, units: 1n, unitValue: gross, unclaimed: 1n, discount: 0n };
}

function isLive(promotion: SimPromotion, at: number): boolean {
  return (
    (promotion.startsAt === undefined || Date.parse(promotion.startsAt) <= at) &&
    (promotion.endsAt === undefined || at < Date.parse(promotion.endsAt))
  );
}

function applyPercentOff(promotion: Extract<SimPromotion, { kind: 'PERCENT_OFF' }>, lines: WorkLine[]): void {
  for (const line of lines) {
    if (line.unclaimed === 0n || !promotion.skus.includes(line.item.sku)) continue;
    line.discount += divideHalfUp(line.unitValue * BigInt(promotion.percentBasisPoints), 10_000n) * line.unclaimed;
    line.unclaimed = 0n;
  }
}

/** Splits `amount` over `weights` in proportion; the units left after flooring go to the largest remainders. */
function splitProRata(amount: bigint, weights: bigint[]): bigint[] {
  const total = weights.reduce((a, b) => a + b, 0n);
  const shares = weights.map((w) => (amount * w) / total);
  let left = amount - shares.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, remainder: (amount * w) % total }))
    .sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    shares[i] += 1n;
    left -= 1n;
  }
  return shares;
}

function applyMultiBuy(promotion: Extract<SimPromotion, { kind: 'MULTI_BUY' }>, lines: WorkLine[]): void {
  const eligible = lines
    .filter((l) => l.unclaimed > 0n && l.item.pricingUnit === 'each' && promotion.skus.includes(l.item.sku))
    .sort((a, b) => (a.unitValue === b.unitValue ? 0 : a.unitValue > b.unitValue ? -1 : 1));
  const units = eligible.flatMap((line) => Array.from({ length: Number(line.unclaimed) }, () => line));
  for (let start = 0; start + promotion.quantity <= units.length; start += promotion.quantity) {
    const group = units.slice(start, start + promotion.quantity);
    const saving = group.reduce((sum, line) => sum + line.unitValue, 0n) - BigInt(promotion.priceMinor);
    if (saving <= 0n) return;
    const members = [...new Set(group)];
    const counts = members.map((member) => BigInt(group.filter((line) => line === member).length));
    const shares = splitProRata(
      saving,
      members.map((member, i) => counts[i] * member.unitValue),
    );
    members.forEach((member, i) => {
      member.discount += shares[i];
      member.unclaimed -= counts[i];
    });
  }
}

/** The bill for the lines the shopper is charged for (for a bad cart: the known lines only). */
export function expectedBill(
  store: StorePricing,
  catalog: readonly CatalogItem[],
  lines: readonly ShopperLine[],
  at: string,
): ExpectedBill {
  const bySku = new Map(catalog.map((item) => [item.sku, item]));
  const work = lines.map((line) => workLine(line, bySku.get(line.sku)));
  const atMs = Date.parse(at);
  const promotions = store.promotions
    .filter((p) => isLive(p, atMs))
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const promotion of promotions) {
    if (promotion.kind === 'PERCENT_OFF') applyPercentOff(promotion, work);
    else applyMultiBuy(promotion, work);
  }
  const rates = new Map(store.taxRates.map((r) => [r.taxCode, BigInt(r.rateBasisPoints)]));
  const priced = work.map((w): ExpectedLine => {
    const rate = rates.get(w.item.taxCode);
    if (rate === undefined) throw new Error(`no tax rate for tax code ${w.item.taxCode}`);
    const net = w.gross - w.discount;
    const tax = divideHalfUp(net * rate, 10_000n);
    return {
      lineId: w.line.lineId,
      sku: w.item.sku,
      grossMinor: Number(w.gross),
      discountMinor: Number(w.discount),
      taxMinor: Number(tax),
      totalMinor: Number(net + tax),
    };
  });
  const sum = (pick: (l: ExpectedLine) => number) => priced.reduce((total, l) => total + pick(l), 0);
  return {
    lines: priced,
    subtotalMinor: sum((l) => l.grossMinor),
    discountMinor: sum((l) => l.discountMinor),
    taxMinor: sum((l) => l.taxMinor),
    totalMinor: sum((l) => l.totalMinor),
  };
}
