/**
 * The POS that prices carts. Built in: the pricing engine over the catalog's price book,
 * promotions and tax rates. For a retailer's own POS: POST POS_URL with a PosRequest, answer
 * 200 with a PricingResult (src/domain/pricing/types.ts); a 4xx means the POS refuses the cart
 * (it goes to bad-cart review), a 5xx or timeout is retried. An answer that does not add up goes to
 * review too (checked by the purchase's priceLines for every POS).
 */
import { z } from 'zod';
import type { Queryable } from '../db/database';
import { loadPricingData } from '../catalog/catalogStore';
import { priceCart, type CartLine, type PricingResult } from '../../domain/pricing';

export interface PosRequest {
  storeId: string;
  currency: string;
  taxInclusive: boolean;
  /** ISO time of the trip's end: selects the promotions in force. */
  at: string;
  lines: CartLine[];
}

export interface Pos {
  price(request: PosRequest): Promise<PricingResult>;
}

export class PosRejectedCart extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PosRejectedCart';
  }
}

export function builtInPos(db: Queryable): Pos {
  return {
    async price(request) {
      const data = await loadPricingData(
        db,
        request.storeId,
        [...new Set(request.lines.map((l) => l.sku))],
        request.at,
      );
      return priceCart({
        currency: request.currency,
        at: request.at,
        taxInclusive: request.taxInclusive,
        lines: request.lines,
        ...data,
      });
    },
  };
}

const money = z.number().int();
const pricingResult = z.object({
  currency: z.string(),
  lines: z.array(
    z.object({
      lineId: z.string(),
      sku: z.string(),
      name: z.string(),
      quantity: z.string(),
      unit: z.string(),
      pricingUnit: z.string(),
      unitPriceMinor: money,
      grossMinor: money,
      discounts: z.array(z.object({ promotionId: z.string(), name: z.string(), amountMinor: money })),
      discountMinor: money,
      netMinor: money,
      taxCode: z.string(),
      taxRateBasisPoints: z.number().int(),
      taxMinor: money,
      totalMinor: money,
    }),
  ),
  subtotalMinor: money,
  discountMinor: money,
  taxMinor: money,
  totalMinor: money,
  promotionsApplied: z.array(z.object({ promotionId: z.string(), name: z.string(), amountMinor: money })),
  unpriceable: z.array(
    z.object({
      lineId: z.string(),
      sku: z.string(),
      reason: z.enum(['UNKNOWN_SKU', 'UNIT_MISMATCH', 'BAD_QUANTITY', 'NO_TAX_RATE']),
      detail: z.string(),
    }),
  ),
});

export function httpPos(url: string, options: { timeoutMs?: number } = {}): Pos {
  return {
    async price(request) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      if (response.status >= 400 && response.status < 500)
        throw new PosRejectedCart(`POS refused the cart (${response.status}): ${text.slice(0, 500)}`);
      if (!response.ok) throw new Error(`POS answered ${response.status}`);
      const parsed = pricingResult.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`POS answer is not a PricingResult: ${parsed.error.issues[0]?.message}`);
      // Whether it adds up (and is in the store's currency, and sane) is checked where the answer is
      // received, for every POS (priceLines, src/domain/posAnswerCheck.ts): such a cart goes to review.
      return parsed.data as PricingResult;
    },
  };
}
