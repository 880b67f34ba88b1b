/**
 * MULTI_BUY ("any 3 for 5.00"), items sold by the each only, mixing any of the listed skus. Units are
 * grouped most valuable first, which gives the shopper the largest saving; each complete group that
 * costs more than the deal price is discounted down to it, the saving split across the group's lines
 * pro rata to their value. Grouping stops at the first group that would not save anything (later
 * groups are cheaper still); its units stay available to lower-priority promotions.
 *
 * Quantities can be large ("9999999999" units), so runs of groups inside one line are handled in one
 * step rather than unit by unit.
 */
import { smallerOf, sumOf } from './bigintMath';
import { claimUnits, type LedgerLine } from './discountLedger';
import { allocateProRata } from './proRataAllocation';
import { claimableItemsByValue } from './promotionTargets';
import type { MultiBuyPromotion } from './types';

export function applyMultiBuy(promotion: MultiBuyPromotion, ledger: readonly LedgerLine[]): void {
  const groupSize = BigInt(promotion.quantity);
  const dealPrice = BigInt(promotion.priceMinor);
  const queue = claimableItemsByValue(ledger, promotion.skus);
  let available = sumOf(queue.map((entry) => entry.unclaimedUnits));

  while (available >= groupSize) {
    while (queue[0].unclaimedUnits === 0n) queue.shift();
    const head = queue[0];
    if (head.unclaimedUnits >= groupSize) {
      const saving = groupSize * head.line.unitValueMinor - dealPrice;
      if (saving <= 0n) return;
      const groups = head.unclaimedUnits / groupSize;
      claimUnits(head, groups * groupSize, groups * saving, promotion);
      available -= groups * groupSize;
    } else {
      const members = nextMixedGroup(queue, groupSize);
      const values = members.map(({ entry, units }) => units * entry.line.unitValueMinor);
      const saving = sumOf(values) - dealPrice;
      if (saving <= 0n) return;
      const shares = allocateProRata(saving, values);
      members.forEach(({ entry, units }, index) => claimUnits(entry, units, shares[index], promotion));
      available -= groupSize;
    }
  }
}

/** The next `groupSize` units when they span several lines, without claiming them yet. */
function nextMixedGroup(queue: readonly LedgerLine[], groupSize: bigint): { entry: LedgerLine; units: bigint }[] {
  const members: { entry: LedgerLine; units: bigint }[] = [];
  let missing = groupSize;
  for (const entry of queue) {
    if (missing === 0n) break;
    const units = smallerOf(entry.unclaimedUnits, missing);
    members.push({ entry, units });
    missing -= units;
  }
  return members;
}
