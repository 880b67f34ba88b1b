/** Tax on one line, rounded half-up per line so line taxes add up exactly to the cart's tax. */
import { rational, roundHalfUp } from '../money';
import { BASIS_POINTS_PER_WHOLE, basisPointsOf } from './basisPoints';

/**
 * Tax-exclusive (US style): tax = round(net × rate); the shopper pays net + tax.
 * Tax-inclusive (VAT style): the net already contains the tax; tax = net − round(net / (1 + rate)).
 */
export function lineTaxMinor(netMinor: bigint, rateBasisPoints: number, taxInclusive: boolean): bigint {
  if (!taxInclusive) return basisPointsOf(netMinor, rateBasisPoints);
  const whole = BigInt(BASIS_POINTS_PER_WHOLE);
  const netOfTax = roundHalfUp(rational(netMinor * whole, whole + BigInt(rateBasisPoints)));
  return netMinor - netOfTax;
}
