/**
 * Exact cart quantities and the units they come in.
 *
 * Amazon reports a cart line's quantity as a short decimal string (`quantity.value`, at most 10
 * characters: "2", "1.0", "0.4536") plus a free-form unit string. Weights must be priced exactly,
 * so a quantity is kept as a decimal `coefficient × 10^-scale` with a bigint coefficient, never as a
 * float. Parsed quantities are normalised (no trailing fractional zeros: "1.50" -> 15 × 10^-1), so
 * equal values have equal representations.
 *
 * Weight conversions use the exact legal definitions (1 lb = 0.45359237 kg, 1 oz = 1/16 lb) and
 * produce exact fractions; rounding happens only when a price is computed.
 *
 * Pure code: no I/O and no clock, so it also runs inside Temporal's workflow sandbox.
 */
import { rational, type Rational } from './money';

export type WeightUnit = 'kg' | 'g' | 'lb' | 'oz';
/** The unit a price book entry is priced in: per item ("each") or per unit of weight. */
export type PricingUnit = 'each' | WeightUnit;
export const PRICING_UNITS: readonly PricingUnit[] = ['each', 'kg', 'g', 'lb', 'oz'];

/** A positive decimal quantity, exactly `coefficient × 10^-scale`. */
export interface Quantity {
  readonly coefficient: bigint;
  readonly scale: number;
}

export type QuantityErrorReason = 'EMPTY' | 'TOO_LONG' | 'NOT_A_DECIMAL' | 'NOT_POSITIVE';

export class QuantityError extends Error {
  constructor(
    readonly value: string,
    readonly reason: QuantityErrorReason,
  ) {
    super(`Invalid quantity "${value}": ${QUANTITY_ERROR_EXPLANATIONS[reason]}`);
    this.name = 'QuantityError';
  }
}

/** Amazon's limit on the length of `quantity.value`. */
export const MAX_QUANTITY_LENGTH = 10;

const QUANTITY_ERROR_EXPLANATIONS: Readonly<Record<QuantityErrorReason, string>> = {
  EMPTY: 'empty',
  TOO_LONG: `longer than ${MAX_QUANTITY_LENGTH} characters`,
  NOT_A_DECIMAL: 'not a plain non-negative decimal such as "2" or "0.4536"',
  NOT_POSITIVE: 'a cart line needs a quantity greater than zero',
};

const PLAIN_DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parses Amazon's `quantity.value`; throws `QuantityError` for anything but a positive plain decimal. */
export function parseQuantity(value: string): Quantity {
  if (typeof value !== 'string') throw new QuantityError(String(value), 'NOT_A_DECIMAL');
  if (value.length === 0) throw new QuantityError(value, 'EMPTY');
  if (value.length > MAX_QUANTITY_LENGTH) throw new QuantityError(value, 'TOO_LONG');
  const match = PLAIN_DECIMAL.exec(value);
  if (match === null) throw new QuantityError(value, 'NOT_A_DECIMAL');
  const [, whole, fraction = ''] = match;
  const significantFraction = fraction.replace(/0+$/, '');
  const coefficient = BigInt(whole + significantFraction);
  if (coefficient === 0n) throw new QuantityError(value, 'NOT_POSITIVE');
  return { coefficient, scale: significantFraction.length };
}

export function isWholeNumber(quantity: Quantity): boolean {
  return quantity.coefficient % 10n ** BigInt(quantity.scale) === 0n;
}

export function quantityToRational(quantity: Quantity): Rational {
  return rational(quantity.coefficient, 10n ** BigInt(quantity.scale));
}

export function isWeightUnit(unit: PricingUnit): unit is WeightUnit {
  return unit !== 'each';
}

/** Grams in one of each unit, as exact fractions (453.59237 g per lb by definition; 16 oz per lb). */
const GRAMS_PER_UNIT: Readonly<Record<WeightUnit, Rational>> = {
  kg: rational(1000n),
  g: rational(1n),
  lb: rational(45359237n, 100000n),
  oz: rational(45359237n, 1600000n),
};

/** Converts an exact amount of weight between units, exactly (1 lb -> 45359237/100000000 kg). */
export function convertWeight(amount: Rational, from: WeightUnit, to: WeightUnit): Rational {
  const gramsFrom = GRAMS_PER_UNIT[from];
  const gramsTo = GRAMS_PER_UNIT[to];
  return rational(
    amount.numerator * gramsFrom.numerator * gramsTo.denominator,
    amount.denominator * gramsFrom.denominator * gramsTo.numerator,
  );
}

const UNIT_SPELLINGS: ReadonlyMap<string, PricingUnit> = new Map<string, PricingUnit>([
  ...spellings('each', 'unit', 'units', 'each', 'ea'),
  ...spellings('kg', 'kg', 'kilogram', 'kilograms'),
  ...spellings('g', 'g', 'gram', 'grams'),
  ...spellings('lb', 'lb', 'lbs', 'pound', 'pounds'),
  ...spellings('oz', 'oz', 'ounce', 'ounces'),
]);

function spellings(unit: PricingUnit, ...names: string[]): [string, PricingUnit][] {
  return names.map((name) => [name, unit]);
}

/** Maps Amazon's free-form unit string ("Units", "lbs", "Kilograms") to a pricing unit; null when unknown. */
export function normaliseUnit(raw: string): PricingUnit | null {
  if (typeof raw !== 'string') return null;
  return UNIT_SPELLINGS.get(raw.trim().toLowerCase()) ?? null;
}
