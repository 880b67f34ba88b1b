/**
 * `standard_price` is a decimal string such as "9.99" (jwo-api.md §3.2). Our price book keeps
 * integer minor units, so the string is converted digit by digit and never passes through a float.
 */
import { CheckResult, OK, fail } from './checkResult';

/** Whole units, then optionally a point and one or two decimals: "9", "9.9", "9.99". */
const DECIMAL_PRICE = /^(\d+)(?:\.(\d{1,2}))?$/;

function formatProblem(price: string): string {
  return price.startsWith('-') && DECIMAL_PRICE.test(price.slice(1))
    ? 'must not be negative'
    : 'must be a decimal number with at most 2 decimals, like "9.99"';
}

export function validateStandardPrice(price: string): CheckResult {
  return DECIMAL_PRICE.test(price) ? OK : fail(formatProblem(price));
}

/**
 * A `standard_price` in hundredths ("9.9" → 990); hundredths because the field carries at most two
 * decimals. Also fails when the amount is beyond a safe integer, which no real price reaches.
 */
export function priceToMinorUnits(price: string): { ok: true; minor: number } | { ok: false; reason: string } {
  const match = DECIMAL_PRICE.exec(price);
  if (!match) return { ok: false, reason: formatProblem(price) };
  const [, whole, decimals = ''] = match;
  const minor = Number(whole + decimals.padEnd(2, '0'));
  return Number.isSafeInteger(minor) ? { ok: true, minor } : { ok: false, reason: 'is too large to keep exactly' };
}
