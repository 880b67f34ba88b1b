/** Public data shapes of the pricing engine. All amounts are integer minor units (see ../money.ts). */
import type { PricingUnit } from '../quantity';

export type { PricingUnit } from '../quantity';

export interface PriceBookEntry {
  sku: string;
  name: string;
  /** Price of one item (pricingUnit 'each') or of one kg/g/lb/oz (weighed items). */
  unitPriceMinor: number;
  pricingUnit: PricingUnit;
  taxCode: string;
}

interface PromotionCommon {
  id: string;
  name: string;
  /** ISO-8601 instant with an explicit offset; active from this instant on (inclusive). */
  startsAt?: string;
  /** ISO-8601 instant with an explicit offset; inactive from this instant on (exclusive). */
  endsAt?: string;
  /** Higher applies first; default 0. Ties break on id, ascending. */
  priority?: number;
  /** Never shares units with another promotion; see the stacking rules in priceCart.ts. */
  exclusive?: boolean;
}

export interface PercentOffPromotion extends PromotionCommon {
  kind: 'PERCENT_OFF';
  skus: string[];
  /** 1500 = 15% off each matching item, or off the line for weighed items. */
  percentBasisPoints: number;
}

export interface FixedOffPromotion extends PromotionCommon {
  kind: 'FIXED_OFF';
  skus: string[];
  /** Off each item (each items) or off the line (weighed items); never below zero. */
  amountOffMinor: number;
}

export interface BuyXGetYPromotion extends PromotionCommon {
  kind: 'BUY_X_GET_Y';
  skus: string[];
  buyQuantity: number;
  getQuantity: number;
  /** Discount on the "get" items; default 10000 = free. */
  getPercentOffBasisPoints?: number;
}

export interface MultiBuyPromotion extends PromotionCommon {
  kind: 'MULTI_BUY';
  /** Any mix of these skus forms a group ("any 3 for 5.00"). */
  skus: string[];
  quantity: number;
  priceMinor: number;
}

export interface SpendThresholdPromotion extends PromotionCommon {
  kind: 'SPEND_THRESHOLD';
  thresholdMinor: number;
  /** Exactly one of amountOffMinor and percentOffBasisPoints. */
  amountOffMinor?: number;
  percentOffBasisPoints?: number;
}

export type ItemPromotion = PercentOffPromotion | FixedOffPromotion | BuyXGetYPromotion | MultiBuyPromotion;
export type Promotion = ItemPromotion | SpendThresholdPromotion;
export type PromotionKind = Promotion['kind'];

export interface TaxRate {
  taxCode: string;
  /** 825 = 8.25%. */
  rateBasisPoints: number;
  name?: string;
}

export interface CartLine {
  lineId: string;
  sku: string;
  /** Amazon's `quantity.value`: a plain decimal string of at most 10 characters. */
  quantity: string;
  /** Amazon's free-form unit string ("unit", "lbs", "kg"...). */
  unit: string;
}

export interface PricingInput {
  /** ISO 4217 code; decides the minor unit only when formatting, the engine works in minor units. */
  currency: string;
  /** ISO-8601 instant of the shopping trip, with an explicit offset; selects the active promotions. */
  at: string;
  /** true: shelf prices include tax (VAT style). false: tax is added on top (US style). */
  taxInclusive: boolean;
  lines: CartLine[];
  priceBook: PriceBookEntry[];
  promotions: Promotion[];
  taxRates: TaxRate[];
}

export interface AppliedDiscount {
  promotionId: string;
  name: string;
  amountMinor: number;
}

export interface PricedLine {
  lineId: string;
  sku: string;
  name: string;
  /** The quantity as Amazon sent it. */
  quantity: string;
  /** The unit Amazon sent, normalised. */
  unit: PricingUnit;
  /** The unit `unitPriceMinor` is quoted in (the price book's). */
  pricingUnit: PricingUnit;
  unitPriceMinor: number;
  grossMinor: number;
  discounts: AppliedDiscount[];
  discountMinor: number;
  /** grossMinor - discountMinor. */
  netMinor: number;
  taxCode: string;
  taxRateBasisPoints: number;
  taxMinor: number;
  /** What the shopper pays for the line: netMinor (tax-inclusive) or netMinor + taxMinor. */
  totalMinor: number;
}

export type UnpriceableReason = 'UNKNOWN_SKU' | 'UNIT_MISMATCH' | 'BAD_QUANTITY' | 'NO_TAX_RATE';

export interface UnpriceableLine {
  lineId: string;
  sku: string;
  reason: UnpriceableReason;
  /** Human-readable explanation for logs and support tooling. */
  detail: string;
}

export interface PricingResult {
  currency: string;
  /** Priced lines in input order. */
  lines: PricedLine[];
  /** Sum of line grossMinor. */
  subtotalMinor: number;
  /** Sum of line discountMinor. */
  discountMinor: number;
  /** Sum of line taxMinor. */
  taxMinor: number;
  /** Sum of line totalMinor. */
  totalMinor: number;
  /** Per promotion, the total it took off, in the order promotions were applied. */
  promotionsApplied: AppliedDiscount[];
  /** Lines left out of `lines` and the totals, in input order. */
  unpriceable: UnpriceableLine[];
}
