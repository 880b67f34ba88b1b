/**
 * Turns one cart line into a priceable line (price book entry, exact quantity, gross, tax rate) or
 * explains why it cannot be priced. Checks run in this order and the first failure wins:
 * UNKNOWN_SKU, BAD_QUANTITY (unparseable), UNIT_MISMATCH, BAD_QUANTITY (fractional count of each
 * items), NO_TAX_RATE, BAD_QUANTITY (gross beyond the safe integer range).
 */
import { rational, roundHalfUp, type Rational } from '../money';
import {
  convertWeight,
  isWeightUnit,
  isWholeNumber,
  normaliseUnit,
  parseQuantity,
  QuantityError,
  quantityToRational,
  type PricingUnit,
  type Quantity,
} from '../quantity';
import type { CartLine, PriceBookEntry, TaxRate, UnpriceableLine, UnpriceableReason } from './types';

export interface ResolvedLine {
  readonly cartLine: CartLine;
  readonly entry: PriceBookEntry;
  /** The cart line's unit, normalised. */
  readonly unit: PricingUnit;
  readonly grossMinor: bigint;
  readonly taxRateBasisPoints: number;
  /**
   * How item promotions see the line: each items are `units` items worth `unitValueMinor` apiece;
   * a weighed line is a single unit worth its gross.
   */
  readonly units: bigint;
  readonly unitValueMinor: bigint;
}

export type LineResolution = { ok: true; line: ResolvedLine } | { ok: false; unpriceable: UnpriceableLine };

export function resolveLine(
  cartLine: CartLine,
  priceBook: ReadonlyMap<string, PriceBookEntry>,
  taxRates: ReadonlyMap<string, TaxRate>,
): LineResolution {
  const reject = (reason: UnpriceableReason, detail: string): LineResolution => ({
    ok: false,
    unpriceable: { lineId: cartLine.lineId, sku: cartLine.sku, reason, detail },
  });

  const entry = priceBook.get(cartLine.sku);
  if (entry === undefined) return reject('UNKNOWN_SKU', `sku "${cartLine.sku}" is not in the price book`);

  let quantity: Quantity;
  try {
    quantity = parseQuantity(cartLine.quantity);
  } catch (error) {
    if (error instanceof QuantityError) return reject('BAD_QUANTITY', error.message);
    throw error;
  }

  const unit = normaliseUnit(cartLine.unit);
  if (unit === null) return reject('UNIT_MISMATCH', `unknown unit "${cartLine.unit}"`);
  if (isWeightUnit(unit) !== isWeightUnit(entry.pricingUnit)) {
    return reject('UNIT_MISMATCH', `sku "${entry.sku}" is priced per ${entry.pricingUnit} but the line is in ${unit}`);
  }
  if (!isWeightUnit(unit) && !isWholeNumber(quantity)) {
    return reject('BAD_QUANTITY', `sku "${entry.sku}" is sold by the item but the quantity is "${cartLine.quantity}"`);
  }

  const taxRate = taxRates.get(entry.taxCode);
  if (taxRate === undefined) return reject('NO_TAX_RATE', `no tax rate for tax code "${entry.taxCode}"`);

  const unitPriceMinor = BigInt(entry.unitPriceMinor);
  const amount = quantityToRational(quantity);
  const measure =
    isWeightUnit(unit) && isWeightUnit(entry.pricingUnit)
      ? measureWeighed(convertWeight(amount, unit, entry.pricingUnit), unitPriceMinor)
      : measureEach(amount.numerator, unitPriceMinor);
  if (measure.grossMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
    return reject('BAD_QUANTITY', `quantity "${cartLine.quantity}" makes the line amount too large to represent`);
  }
  return { ok: true, line: { cartLine, entry, unit, taxRateBasisPoints: taxRate.rateBasisPoints, ...measure } };
}

type Measure = Pick<ResolvedLine, 'units' | 'unitValueMinor' | 'grossMinor'>;

/** `count` items at the unit price (a whole quantity reduces to count/1, so the numerator is the count). */
function measureEach(count: bigint, unitPriceMinor: bigint): Measure {
  return { units: count, unitValueMinor: unitPriceMinor, grossMinor: count * unitPriceMinor };
}

/** Unit price times the weight in the price book's unit, rounded half-up once for the whole line. */
function measureWeighed(weight: Rational, unitPriceMinor: bigint): Measure {
  const grossMinor = roundHalfUp(rational(unitPriceMinor * weight.numerator, weight.denominator));
  return { units: 1n, unitValueMinor: grossMinor, grossMinor };
}
