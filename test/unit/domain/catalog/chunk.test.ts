import { MAX_ITEMS_PER_REQUEST, MAX_REQUESTS_PER_SECOND, chunkItems } from '../../../../src/domain/catalog';

const items = (count: number): number[] => Array.from({ length: count }, (_, index) => index);
const sizes = (chunks: unknown[][]): number[] => chunks.map((chunk) => chunk.length);

describe('chunkItems', () => {
  it("carries Amazon's limits", () => {
    expect(MAX_ITEMS_PER_REQUEST).toBe(10000);
    expect(MAX_REQUESTS_PER_SECOND).toBe(10);
  });

  it.each([
    [9999, [9999]],
    [10000, [10000]],
    [10001, [10000, 1]],
    [100000, Array(10).fill(10000)],
  ])('splits %d items into requests of %j', (count, expected) => {
    expect(sizes(chunkItems(items(count)))).toEqual(expected);
  });

  it('keeps every item once, in order', () => {
    const all = items(25001);
    expect(chunkItems(all).flat()).toEqual(all);
  });

  it('gives no chunks for no items', () => {
    expect(chunkItems([])).toEqual([]);
  });

  it('takes a smaller size', () => {
    expect(chunkItems(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 3)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    expect(sizes(chunkItems(items(2), 1))).toEqual([1, 1]);
  });

  it.each([0, -1, 10001, 1.5, Number.NaN])('refuses a size of %d', (max) => {
    expect(() => chunkItems(items(3), max)).toThrow(RangeError);
  });
});
