import { allocateProRata } from '../../../../src/domain/pricing/proRataAllocation';

describe('allocateProRata (largest remainder)', () => {
  it.each<[bigint, bigint[], bigint[]]>([
    [100n, [1n, 1n, 1n], [34n, 33n, 33n]],
    [2n, [1n, 1n, 1n], [1n, 1n, 0n]],
    [148n, [398n, 150n], [107n, 41n]],
    [10n, [0n, 5n, 5n], [0n, 5n, 5n]],
    [7n, [7n], [7n]],
    [0n, [3n, 4n], [0n, 0n]],
    [0n, [0n, 0n], [0n, 0n]],
    [548n, [398n, 150n], [398n, 150n]],
    [1n, [1n, 2n], [0n, 1n]],
  ])('%i over %p -> %p', (amount, weights, expected) => {
    expect(allocateProRata(amount, weights)).toEqual(expected);
  });

  it('adds up exactly and never exceeds a weight when the amount fits', () => {
    let seed = 7;
    const next = (limit: number): bigint => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return BigInt(seed % limit);
    };
    for (let run = 0; run < 200; run += 1) {
      const weights = Array.from({ length: Number(next(8)) + 1 }, () => next(1000));
      const total = weights.reduce((sum, weight) => sum + weight, 0n);
      const amount = total === 0n ? 0n : next(Number(total) + 1);
      const shares = allocateProRata(amount, weights);
      expect(shares.reduce((sum, share) => sum + share, 0n)).toBe(amount);
      shares.forEach((share, index) => expect(share <= weights[index] && share >= 0n).toBe(true));
    }
  });

  it('refuses what it cannot split', () => {
    expect(() => allocateProRata(1n, [0n, 0n])).toThrow('all zero');
    expect(() => allocateProRata(-1n, [1n])).toThrow('negative');
    expect(() => allocateProRata(1n, [-1n, 2n])).toThrow('negative');
  });
});
