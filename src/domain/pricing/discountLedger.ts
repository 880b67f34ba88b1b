/**
 * The running discount state of each priced line while promotions are applied: how many of its
 * units no item promotion has claimed yet, which units an exclusive promotion keeps away from basket
 * promotions, and the discounts given so far (per promotion, in the order they were given).
 */
import type { ResolvedLine } from './resolveLine';
import type { ItemPromotion, Promotion, SpendThresholdPromotion } from './types';

export interface LineDiscount {
  readonly promotionId: string;
  readonly name: string;
  amountMinor: bigint;
}

export interface LedgerLine {
  readonly line: ResolvedLine;
  unclaimedUnits: bigint;
  itemDiscountMinor: bigint;
  basketDiscountMinor: bigint;
  /** Units claimed by exclusive item promotions, and the discount given on them. */
  exclusiveUnits: bigint;
  exclusiveDiscountMinor: bigint;
  readonly discounts: LineDiscount[];
}

export function openLedger(lines: readonly ResolvedLine[]): LedgerLine[] {
  return lines.map((line) => ({
    line,
    unclaimedUnits: line.units,
    itemDiscountMinor: 0n,
    basketDiscountMinor: 0n,
    exclusiveUnits: 0n,
    exclusiveDiscountMinor: 0n,
    discounts: [],
  }));
}

/** Records that an item promotion used `units` of the line's unclaimed units and took `discountMinor` off them. */
export function claimUnits(entry: LedgerLine, units: bigint, discountMinor: bigint, promotion: ItemPromotion): void {
  if (units > entry.unclaimedUnits || discountMinor > units * entry.line.unitValueMinor) {
    throw new Error(
      `Pricing invariant broken: promotion "${promotion.id}" over-claimed line "${entry.line.cartLine.lineId}"`,
    );
  }
  entry.unclaimedUnits -= units;
  entry.itemDiscountMinor += discountMinor;
  if (promotion.exclusive === true) {
    entry.exclusiveUnits += units;
    entry.exclusiveDiscountMinor += discountMinor;
  }
  recordDiscount(entry, promotion, discountMinor);
}

/** The part of the line basket promotions may still discount: its net, minus units locked by exclusive promotions. */
export function basketEligibleMinor(entry: LedgerLine): bigint {
  const eligibleGross = (entry.line.units - entry.exclusiveUnits) * entry.line.unitValueMinor;
  const eligibleItemDiscount = entry.itemDiscountMinor - entry.exclusiveDiscountMinor;
  return eligibleGross - eligibleItemDiscount - entry.basketDiscountMinor;
}

export function giveBasketDiscount(entry: LedgerLine, discountMinor: bigint, promotion: SpendThresholdPromotion): void {
  if (discountMinor > basketEligibleMinor(entry)) {
    throw new Error(
      `Pricing invariant broken: promotion "${promotion.id}" over-discounted line "${entry.line.cartLine.lineId}"`,
    );
  }
  entry.basketDiscountMinor += discountMinor;
  recordDiscount(entry, promotion, discountMinor);
}

export function totalDiscountMinor(entry: LedgerLine): bigint {
  return entry.itemDiscountMinor + entry.basketDiscountMinor;
}

function recordDiscount(entry: LedgerLine, promotion: Promotion, amountMinor: bigint): void {
  if (amountMinor === 0n) return;
  const earlier = entry.discounts.find((discount) => discount.promotionId === promotion.id);
  if (earlier === undefined) entry.discounts.push({ promotionId: promotion.id, name: promotion.name, amountMinor });
  else earlier.amountMinor += amountMinor;
}
