/** The itemized receipt of a purchase (pure): lines, promotions applied, savings, tax, total, payment. */
import type { PricingResult } from './pricing';

export interface Receipt {
  purchaseId: string;
  tripId: string;
  storeId: string;
  shopperId: string | null;
  tripEndedAt: string;
  currency: string;
  lines: {
    lineId: string;
    sku: string;
    name: string;
    quantity: string;
    unit: string;
    unitPriceMinor: number;
    pricingUnit: string;
    grossMinor: number;
    discounts: { promotionId: string; name: string; amountMinor: number }[];
    taxMinor: number;
    totalMinor: number;
  }[];
  promotionsApplied: { promotionId: string; name: string; amountMinor: number }[];
  subtotalMinor: number;
  savingsMinor: number;
  taxMinor: number;
  totalMinor: number;
  /** Lines left out after a bad-cart decision (unknown items not charged). */
  notCharged: { lineId: string; itemId: string; reason: string }[];
  payment: { method: 'CARD' | 'CASH' | 'NONE'; capturedMinor: number; outstandingMinor: number };
  /** Money given back after the purchase (`jwo purchases refund`), oldest first. */
  refunds?: ReceiptRefund[];
}

export interface ReceiptRefund {
  refundId: string;
  at: string;
  amountMinor: number;
  /** The lines refunded and how much of each; empty for a refund of an amount or of the whole purchase. */
  lines: { lineId: string; quantity: string; amountMinor: number }[];
  reason: string;
}

/** Who and what the receipt is for; the rest comes from the pricing and the payment. */
export type ReceiptHeader = Pick<Receipt, 'purchaseId' | 'tripId' | 'storeId' | 'shopperId' | 'tripEndedAt'>;

/**
 * The lines of a bad cart an operator chose not to charge ("charge the known lines"), as the receipt
 * lists them: the problem's detail is for operators, not for the shopper.
 */
export const notChargedLines = (
  problems: { lineId: string; itemId: string; reason: string }[],
): Receipt['notCharged'] => problems.map((p) => ({ lineId: p.lineId, itemId: p.itemId, reason: p.reason }));

export function buildReceipt(
  header: ReceiptHeader,
  pricing: PricingResult,
  notCharged: Receipt['notCharged'],
  payment: Receipt['payment'],
): Receipt {
  return {
    ...header,
    currency: pricing.currency,
    lines: pricing.lines.map((l) => ({
      lineId: l.lineId,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      unit: l.unit,
      unitPriceMinor: l.unitPriceMinor,
      pricingUnit: l.pricingUnit,
      grossMinor: l.grossMinor,
      discounts: l.discounts,
      taxMinor: l.taxMinor,
      totalMinor: l.totalMinor,
    })),
    promotionsApplied: pricing.promotionsApplied,
    subtotalMinor: pricing.subtotalMinor,
    savingsMinor: pricing.discountMinor,
    taxMinor: pricing.taxMinor,
    totalMinor: pricing.totalMinor,
    notCharged,
    payment,
  };
}
