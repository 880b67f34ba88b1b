/**
 * The built-in POS pricing engine: prices an Amazon Just Walk Out cart from the retailer's price
 * book, promotions and tax rates. Pure and deterministic (no I/O, no clock, no host time zone), so
 * it runs unchanged inside Temporal's workflow sandbox, and the same input always prices the same.
 *
 * Rules
 *
 * 1. Money. Every amount is an integer number of minor units (cents); intermediate values are exact
 *    bigint fractions, never floating point. Rounding is half-up (ties away from zero) and happens
 *    at the points named below, once each.
 *
 * 2. Lines. Items priced 'each' need a whole-number quantity in an each unit ("unit", "units",
 *    "each", "ea"). Weighed items (priced per kg, g, lb or oz) accept any weight unit, converted
 *    exactly (1 lb = 0.45359237 kg, 1 oz = 1/16 lb) to the price book's unit.
 *    gross = round(unit price × quantity), per line. A weight unit on an each item, an each unit on
 *    a weighed item, or an unknown unit is UNIT_MISMATCH; an unparseable, zero or fractional-each
 *    quantity is BAD_QUANTITY; a sku missing from the price book is UNKNOWN_SKU; a tax code without
 *    a rate is NO_TAX_RATE. Unpriceable lines are listed in `unpriceable` and left out of `lines`
 *    and of every total: the caller decides what to do with them.
 *
 * 3. Promotion schedule. A promotion is live when startsAt <= at < endsAt (a missing bound is open).
 *    Instants must carry an offset ("Z" or "+01:00") so the host time zone never matters.
 *
 * 4. Stacking.
 *    - Item promotions (PERCENT_OFF, FIXED_OFF, BUY_X_GET_Y, MULTI_BUY) apply one after another in
 *      priority order (higher first, default 0, ties by id ascending). Each unit gets at most one
 *      item promotion: a promotion only sees units no earlier promotion claimed. A weighed line
 *      counts as one unit. BUY_X_GET_Y and MULTI_BUY consider items sold by the each only.
 *    - SPEND_THRESHOLD promotions apply after all item promotions, in the same order, on the
 *      eligible subtotal (line nets after item promotions), split across lines pro rata with the
 *      largest-remainder method so the shares add up exactly. Qualifying thresholds stack, each on
 *      what the previous ones left.
 *    - `exclusive` means "nothing else on these units": units discounted by an exclusive item
 *      promotion are left out of spend thresholds (both the subtotal and the discount), and an
 *      exclusive spend threshold never combines with another spend threshold.
 *    - A discount never exceeds what it applies to, so no unit or line goes below zero.
 *    Rounding: PERCENT_OFF and BUY_X_GET_Y rewards per unit; MULTI_BUY savings per group, split pro
 *    rata over the group's lines; percentage spend thresholds once on the eligible amount.
 *
 * 5. Tax, per line, by the price book entry's tax code, on the line net (gross − discounts).
 *    Tax-exclusive: tax = round(net × rate), line total = net + tax.
 *    Tax-inclusive: tax = net − round(net / (1 + rate)), line total = net.
 *
 * 6. Totals are sums of the line values (subtotal = Σ gross, discount = Σ discounts, tax = Σ tax,
 *    total = Σ line totals), so lines always add up exactly to the totals. Lines come out in input
 *    order; `promotionsApplied` lists each promotion that saved something, in application order.
 *
 * Invalid configuration (price book, tax rates, promotions, currency, trip time) throws a
 * PricingInputError listing every problem; problems with cart lines never throw.
 */
import { toMinor } from '../money';
import { sumOf } from './bigintMath';
import { applyItemPromotion } from './applyItemPromotion';
import { openLedger, totalDiscountMinor, type LedgerLine } from './discountLedger';
import { lineTaxMinor } from './lineTax';
import { prepareInput } from './prepareInput';
import { resolveLine, type ResolvedLine } from './resolveLine';
import { applySpendThresholds } from './spendThreshold';
import type { AppliedDiscount, PricedLine, PricingInput, PricingResult, Promotion, UnpriceableLine } from './types';

export function priceCart(input: PricingInput): PricingResult {
  const { priceBook, taxRates, itemPromotions, spendThresholds } = prepareInput(input);

  const priceable: ResolvedLine[] = [];
  const unpriceable: UnpriceableLine[] = [];
  for (const cartLine of input.lines) {
    const resolution = resolveLine(cartLine, priceBook, taxRates);
    if (resolution.ok) priceable.push(resolution.line);
    else unpriceable.push(resolution.unpriceable);
  }

  const ledger = openLedger(priceable);
  for (const promotion of itemPromotions) applyItemPromotion(promotion, ledger);
  applySpendThresholds(spendThresholds, ledger);

  const lines = ledger.map((entry) => priceLine(entry, input.taxInclusive));
  const total = (pick: (line: PricedLine) => number): number => toMinor(sumOf(lines.map((line) => BigInt(pick(line)))));
  return {
    currency: input.currency,
    lines,
    subtotalMinor: total((line) => line.grossMinor),
    discountMinor: total((line) => line.discountMinor),
    taxMinor: total((line) => line.taxMinor),
    totalMinor: total((line) => line.totalMinor),
    promotionsApplied: summarisePromotions([...itemPromotions, ...spendThresholds], ledger),
    unpriceable,
  };
}

function priceLine(entry: LedgerLine, taxInclusive: boolean): PricedLine {
  const { cartLine, entry: priceBookEntry, unit, grossMinor, taxRateBasisPoints } = entry.line;
  const discountMinor = totalDiscountMinor(entry);
  const netMinor = grossMinor - discountMinor;
  const taxMinor = lineTaxMinor(netMinor, taxRateBasisPoints, taxInclusive);
  return {
    lineId: cartLine.lineId,
    sku: priceBookEntry.sku,
    name: priceBookEntry.name,
    quantity: cartLine.quantity,
    unit,
    pricingUnit: priceBookEntry.pricingUnit,
    unitPriceMinor: priceBookEntry.unitPriceMinor,
    grossMinor: toMinor(grossMinor),
    discounts: entry.discounts.map(({ promotionId, name, amountMinor }) => ({
      promotionId,
      name,
      amountMinor: toMinor(amountMinor),
    })),
    discountMinor: toMinor(discountMinor),
    netMinor: toMinor(netMinor),
    taxCode: priceBookEntry.taxCode,
    taxRateBasisPoints,
    taxMinor: toMinor(taxMinor),
    totalMinor: toMinor(taxInclusive ? netMinor : netMinor + taxMinor),
  };
}

/** Each promotion's total saving across lines, in application order, leaving out those that saved nothing. */
function summarisePromotions(appliedInOrder: readonly Promotion[], ledger: readonly LedgerLine[]): AppliedDiscount[] {
  return appliedInOrder.flatMap((promotion) => {
    const saved = sumOf(
      ledger.flatMap((entry) =>
        entry.discounts
          .filter((discount) => discount.promotionId === promotion.id)
          .map((discount) => discount.amountMinor),
      ),
    );
    return saved > 0n ? [{ promotionId: promotion.id, name: promotion.name, amountMinor: toMinor(saved) }] : [];
  });
}
