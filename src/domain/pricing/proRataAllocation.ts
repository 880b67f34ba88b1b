/**
 * Splits a whole number of minor units across weights in proportion, so the shares add up exactly
 * (largest-remainder method): everyone gets the floor of their exact share, and the units left over
 * go one each to the largest fractional remainders, ties to the earlier weight so the split is
 * deterministic. No share exceeds ceil(exact share), so when the amount is at most the total weight
 * no share exceeds its own weight: a discount split this way never takes a line below zero.
 */
import { sumOf } from './bigintMath';

export function allocateProRata(amountMinor: bigint, weights: readonly bigint[]): bigint[] {
  if (amountMinor < 0n || weights.some((weight) => weight < 0n)) {
    throw new RangeError(`Cannot allocate ${amountMinor} across weights ${weights.join(', ')}: negative values`);
  }
  const totalWeight = sumOf(weights);
  if (totalWeight === 0n) {
    if (amountMinor === 0n) return weights.map(() => 0n);
    throw new RangeError(`Cannot allocate ${amountMinor} across weights that are all zero`);
  }
  const shares = weights.map((weight) => (amountMinor * weight) / totalWeight);
  const byRemainderDescending = weights
    .map((weight, index) => ({ index, remainder: (amountMinor * weight) % totalWeight }))
    .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  let leftover = amountMinor - sumOf(shares);
  for (const { index } of byRemainderDescending) {
    if (leftover === 0n) break;
    shares[index] += 1n;
    leftover -= 1n;
  }
  return shares;
}
