/**
 * SPEND_THRESHOLD ("5.00 off when you spend 50.00", "10% off over 100.00"), applied after every item
 * promotion. The threshold is tested against the eligible subtotal: line nets after item promotions,
 * leaving out units claimed by exclusive item promotions. Thresholds that qualify apply in turn, each
 * to what is still eligible after the previous ones (so two 10% offs make 19%), and each discount is
 * split across lines pro rata to their eligible amounts. An exclusive threshold combines with no
 * other: it is skipped if a threshold already applied, and stops the rest once it applies.
 */
import { basisPointsOf } from './basisPoints';
import { smallerOf, sumOf } from './bigintMath';
import { basketEligibleMinor, giveBasketDiscount, type LedgerLine } from './discountLedger';
import { allocateProRata } from './proRataAllocation';
import type { SpendThresholdPromotion } from './types';

export function applySpendThresholds(
  thresholds: readonly SpendThresholdPromotion[],
  ledger: readonly LedgerLine[],
): void {
  const eligibleSubtotal = sumOf(ledger.map(basketEligibleMinor));
  let anyApplied = false;
  for (const promotion of thresholds) {
    if (anyApplied && promotion.exclusive === true) continue;
    if (eligibleSubtotal < BigInt(promotion.thresholdMinor)) continue;
    const eligible = ledger.map(basketEligibleMinor);
    const discount = thresholdDiscount(promotion, sumOf(eligible));
    if (discount === 0n) continue;
    const shares = allocateProRata(discount, eligible);
    ledger.forEach((entry, index) => giveBasketDiscount(entry, shares[index], promotion));
    anyApplied = true;
    if (promotion.exclusive === true) return;
  }
}

/** The discount on what is still eligible; never more than that. Validation guarantees exactly one of the two forms. */
function thresholdDiscount(promotion: SpendThresholdPromotion, eligibleMinor: bigint): bigint {
  if (promotion.percentOffBasisPoints !== undefined)
    return basisPointsOf(eligibleMinor, promotion.percentOffBasisPoints);
  return smallerOf(BigInt(promotion.amountOffMinor ?? 0), eligibleMinor);
}
