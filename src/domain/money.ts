/**
 * Money as integer minor units (cents, pence, yen, fils...).
 *
 * Amounts that leave this module are plain numbers that are always safe integers (`Minor`), so they
 * survive JSON and Temporal payloads unchanged. Intermediate results that are not a whole number of
 * minor units (a price times a weight, a percentage of a price) are kept as exact `Rational`s of
 * bigints and rounded exactly once, half-up (`roundHalfUp`). No floating point is used for money
 * anywhere.
 *
 * Pure code: no I/O and no clock, so it also runs inside Temporal's workflow sandbox.
 */

/** An amount in the currency's minor unit; always a safe integer. */
export type Minor = number;

/** An exact fraction. `rational()` builds one in lowest terms with a positive denominator. */
export interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

export class MoneyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** ISO 4217 currencies whose minor unit is not 1/100; every other well-formed code uses exponent 2. */
const MINOR_UNIT_EXPONENT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** True for a well-formed ISO 4217 code (three upper-case letters). */
export function isCurrencyCode(currency: string): boolean {
  return typeof currency === 'string' && CURRENCY_CODE.test(currency);
}

/** Number of decimal places of the currency's minor unit (USD 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  if (!isCurrencyCode(currency)) {
    throw new MoneyError(`Invalid currency code "${String(currency)}": expected three upper-case letters (ISO 4217)`);
  }
  return MINOR_UNIT_EXPONENT_EXCEPTIONS[currency] ?? 2;
}

/** Formats minor units as a plain major-unit decimal: (1234, 'USD') -> "12.34", (-5, 'USD') -> "-0.05", (1234, 'JPY') -> "1234". */
export function formatMinor(minor: Minor, currency: string): string {
  assertMinor(minor, 'amount');
  const exponent = currencyExponent(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Throws unless `value` is a safe integer; `label` names the value in the message. */
export function assertMinor(value: unknown, label: string): asserts value is Minor {
  if (!Number.isSafeInteger(value)) {
    throw new MoneyError(`Invalid ${label} ${String(value)}: expected a whole number of minor units`);
  }
}

/** Converts an exact bigint amount to `Minor`, refusing values a number cannot hold exactly. */
export function toMinor(value: bigint): Minor {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new MoneyError(`Amount ${value} minor units is outside the safe integer range`);
  }
  return Number(value);
}

/** Builds a fraction in lowest terms with a positive denominator. */
export function rational(numerator: bigint, denominator: bigint = 1n): Rational {
  if (denominator === 0n) throw new MoneyError(`Invalid fraction ${numerator}/0: zero denominator`);
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = greatestCommonDivisor(numerator, denominator);
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

/**
 * Rounds to the nearest integer, ties away from zero (2.5 -> 3, -2.5 -> -3), like Java's HALF_UP.
 * This is the commercial rounding used for every price, discount and tax in the pricing engine.
 */
export function roundHalfUp(value: Rational): bigint {
  const { quotient, doubledRemainder, denominator, sign } = divide(value);
  return doubledRemainder >= denominator ? quotient + sign : quotient;
}

/** Truncating division plus what rounding needs: twice the absolute remainder, to compare with the denominator. */
function divide(value: Rational) {
  const { numerator, denominator } = rational(value.numerator, value.denominator);
  const remainder = numerator % denominator;
  return {
    quotient: numerator / denominator,
    doubledRemainder: 2n * (remainder < 0n ? -remainder : remainder),
    denominator,
    sign: numerator < 0n ? -1n : 1n,
  };
}

function greatestCommonDivisor(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}
