/** Public API of the built-in POS pricing engine; the rules are documented in ./priceCart.ts. */
export { priceCart } from './priceCart';
export { PricingInputError } from './errors';
export type {
  AppliedDiscount,
  BuyXGetYPromotion,
  CartLine,
  FixedOffPromotion,
  ItemPromotion,
  MultiBuyPromotion,
  PercentOffPromotion,
  PriceBookEntry,
  PricedLine,
  PricingInput,
  PricingResult,
  PricingUnit,
  Promotion,
  PromotionKind,
  SpendThresholdPromotion,
  TaxRate,
  UnpriceableLine,
  UnpriceableReason,
} from './types';
