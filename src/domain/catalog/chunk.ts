/** Upload Catalog's limits (jwo-api.md §3.3): larger catalogs go in several requests, paced. */
export const MAX_ITEMS_PER_REQUEST = 10000;
export const MAX_REQUESTS_PER_SECOND = 10;

/** Splits items, in order, into runs of at most `max`; every run is full except perhaps the last. */
export function chunkItems<T>(items: readonly T[], max: number = MAX_ITEMS_PER_REQUEST): T[][] {
  if (!Number.isInteger(max) || max < 1 || max > MAX_ITEMS_PER_REQUEST) {
    throw new RangeError(`chunk size must be an integer from 1 to ${MAX_ITEMS_PER_REQUEST}, got ${max}`);
  }
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += max) chunks.push(items.slice(start, start + max));
  return chunks;
}
