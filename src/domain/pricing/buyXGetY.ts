/**
 * BUY_X_GET_Y ("buy 2 get 1 free"), items sold by the each only. With n eligible units and
 * g = floor(n / (X + Y)) complete groups, the g·Y cheapest units get the reward (free, or the
 * configured percent off, rounded half-up per unit) and the g·X most valuable units are used up as
 * the qualifying purchases. Units left over (fewer than a full group) stay available to
 * lower-priority promotions.
 */
import { BASIS_POINTS_PER_WHOLE, basisPointsOf } from './basisPoints';
import { smallerOf, sumOf } from './bigintMath';
import { claimUnits, type LedgerLine } from './discountLedger';
import { claimableItemsByValue } from './promotionTargets';
import type { BuyXGetYPromotion } from './types';

export function applyBuyXGetY(promotion: BuyXGetYPromotion, ledger: readonly LedgerLine[]): void {
  const mostValuableFirst = claimableItemsByValue(ledger, promotion.skus);
  const available = sumOf(mostValuableFirst.map((entry) => entry.unclaimedUnits));
  const groups = available / (BigInt(promotion.buyQuantity) + BigInt(promotion.getQuantity));
  if (groups === 0n) return;
  const percentOff = promotion.getPercentOffBasisPoints ?? BASIS_POINTS_PER_WHOLE;
  const claim = (lines: LedgerLine[], wanted: bigint, discountPerUnit: (entry: LedgerLine) => bigint): void => {
    let remaining = wanted;
    for (const entry of lines) {
      const units = smallerOf(entry.unclaimedUnits, remaining);
      if (units === 0n) continue;
      claimUnits(entry, units, units * discountPerUnit(entry), promotion);
      remaining -= units;
    }
  };
  claim([...mostValuableFirst].reverse(), groups * BigInt(promotion.getQuantity), (entry) =>
    basisPointsOf(entry.line.unitValueMinor, percentOff),
  );
  claim(mostValuableFirst, groups * BigInt(promotion.buyQuantity), () => 0n);
}
