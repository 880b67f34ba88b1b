/** Which ledger lines an item promotion can still claim units from. */
import type { LedgerLine } from './discountLedger';

/** Lines of the promotion's skus that still have units no item promotion has claimed, in input order. */
export function claimableLines(ledger: readonly LedgerLine[], skus: readonly string[]): LedgerLine[] {
  const wanted = new Set(skus);
  return ledger.filter((entry) => entry.unclaimedUnits > 0n && wanted.has(entry.line.entry.sku));
}

/**
 * Claimable lines of items sold by the each (weighed lines are left out), most valuable unit first,
 * ties in input order (Array.prototype.sort is stable): the order in which BUY_X_GET_Y and
 * MULTI_BUY walk through units.
 */
export function claimableItemsByValue(ledger: readonly LedgerLine[], skus: readonly string[]): LedgerLine[] {
  return claimableLines(ledger, skus)
    .filter((entry) => entry.line.entry.pricingUnit === 'each')
    .sort((a, b) =>
      a.line.unitValueMinor === b.line.unitValueMinor ? 0 : a.line.unitValueMinor > b.line.unitValueMinor ? -1 : 1,
    );
}
