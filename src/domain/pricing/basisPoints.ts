/** Percentages and tax rates are integer basis points: 1 bp = 0.01%, so 10000 bp is the whole amount. */
import { rational, roundHalfUp } from '../money';

export const BASIS_POINTS_PER_WHOLE = 10_000;

/** `basisPoints` of `amountMinor`, rounded half-up to whole minor units: (999, 1500) -> 150. */
export function basisPointsOf(amountMinor: bigint, basisPoints: number): bigint {
  return roundHalfUp(rational(amountMinor * BigInt(basisPoints), BigInt(BASIS_POINTS_PER_WHOLE)));
}
