import { applyBuyXGetY } from './buyXGetY';
import type { LedgerLine } from './discountLedger';
import { applyMultiBuy } from './multiBuy';
import { applyFixedOff, applyPercentOff } from './perUnitDiscounts';
import type { ItemPromotion } from './types';

/** Applies one item-level promotion to the units no earlier promotion has claimed. */
export function applyItemPromotion(promotion: ItemPromotion, ledger: readonly LedgerLine[]): void {
  switch (promotion.kind) {
    case 'PERCENT_OFF':
      return applyPercentOff(promotion, ledger);
    case 'FIXED_OFF':
      return applyFixedOff(promotion, ledger);
    case 'BUY_X_GET_Y':
      return applyBuyXGetY(promotion, ledger);
    case 'MULTI_BUY':
      return applyMultiBuy(promotion, ledger);
  }
}
