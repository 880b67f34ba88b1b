import { seededRandom } from '../../../../src/tools/simulator/journey/random';

const draws = (seed: number, n = 20) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

describe('seededRandom', () => {
  test('when two generators share a seed, then they draw the same sequence', () => {
    expect(draws(42)).toEqual(draws(42));
  });

  test('when the seeds differ, then the sequences differ', () => {
    expect(draws(42)).not.toEqual(draws(43));
  });

  test('when drawing integers, then they stay within both bounds and reach each of them', () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 2000 }, () => random.int(3, 6));
    expect(Math.min(...values)).toBe(3);
    expect(Math.max(...values)).toBe(6);
  });

  test('when sampling, then the items are distinct members of the list', () => {
    const random = seededRandom(9);
    const items = ['a', 'b', 'c', 'd', 'e'];
    const sample = random.sample(items, 3);
    expect(new Set(sample).size).toBe(3);
    for (const item of sample) expect(items).toContain(item);
    expect(random.sample(items, 10)).toHaveLength(5);
  });
});
