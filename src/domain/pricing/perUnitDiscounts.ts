/**
 * PERCENT_OFF and FIXED_OFF: every unclaimed unit of a matching sku gets the discount. For weighed
 * lines the "unit" is the whole line, so the discount applies once, to the line's gross.
 */
import { basisPointsOf } from './basisPoints';
import { smallerOf } from './bigintMath';
import { claimUnits, type LedgerLine } from './discountLedger';
import { claimableLines } from './promotionTargets';
import type { FixedOffPromotion, PercentOffPromotion } from './types';

/** Percent off each unit, rounded half-up per unit, so a shopper sees the same saving on every item. */
export function applyPercentOff(promotion: PercentOffPromotion, ledger: readonly LedgerLine[]): void {
  for (const entry of claimableLines(ledger, promotion.skus)) {
    const perUnit = basisPointsOf(entry.line.unitValueMinor, promotion.percentBasisPoints);
    claimUnits(entry, entry.unclaimedUnits, perUnit * entry.unclaimedUnits, promotion);
  }
}

/** A fixed amount off each unit, capped at the unit's value so no unit goes below zero. */
export function applyFixedOff(promotion: FixedOffPromotion, ledger: readonly LedgerLine[]): void {
  for (const entry of claimableLines(ledger, promotion.skus)) {
    const perUnit = smallerOf(BigInt(promotion.amountOffMinor), entry.line.unitValueMinor);
    claimUnits(entry, entry.unclaimedUnits, perUnit * entry.unclaimedUnits, promotion);
  }
}
