import { percentile, summarizeLatencies } from '../../../../src/tools/loadtest/latencyStats';

describe('summarizeLatencies', () => {
  test('when there are 100 samples 1..100, then p50, p95, p99 and max are the 50th, 95th, 99th and 100th', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // unsorted on purpose
    expect(summarizeLatencies(samples)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  test('when there are few samples, then a percentile is the nearest measured value at or above its rank', () => {
    expect(summarizeLatencies([10, 30, 20])).toEqual({ count: 3, p50: 20, p95: 30, p99: 30, max: 30 });
    expect(percentile([5], 1)).toBe(5);
  });

  test('when there are no samples, then every figure is null', () => {
    expect(summarizeLatencies([])).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null });
  });
});
