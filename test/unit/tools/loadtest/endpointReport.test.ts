import { endpointReport, gateVerdict, type Outcome } from '../../../../src/tools/loadtest/endpointReport';
import { isPurchaseArrival } from '../../../../src/tools/loadtest/runLoadTest';

const ok = (latencyMs: number): Outcome => ({ status: 200, latencyMs });

describe('endpointReport and gateVerdict', () => {
  test('when every scan is answered 200 fast, then the budget holds', () => {
    const report = endpointReport([ok(5), ok(7), ok(9)]);
    expect(report).toMatchObject({ requests: 3, succeeded: 3, errors: {} });
    expect(gateVerdict(report)).toEqual({ held: true, reasons: [] });
  });

  test('when errors happen, then they are counted by status or failure and latency covers answered requests only', () => {
    const report = endpointReport([
      ok(5),
      { status: 429, latencyMs: 1 },
      { status: 500, latencyMs: 3 },
      { failure: 'timeout', latencyMs: 10_000 },
    ]);
    expect(report.errors).toEqual({ '429': 1, '500': 1, timeout: 1 });
    expect(report.latency.max).toBe(5);
  });

  test('when p99 reaches 2 seconds, or a scan gets a 5xx or no answer, then the budget does not hold and says why', () => {
    expect(gateVerdict(endpointReport([ok(2000)])).reasons).toEqual(['gate p99 2000 ms is not under 2000 ms']);
    expect(gateVerdict(endpointReport([ok(5), { status: 503, latencyMs: 5 }])).reasons).toEqual([
      '1 gate scan(s) answered 5xx',
    ]);
    expect(gateVerdict(endpointReport([{ failure: 'network', latencyMs: 1 }])).held).toBe(false);
  });

  test('when a 4xx is answered within the budget, then the budget holds (the run still reports the error)', () => {
    const report = endpointReport([ok(5), { status: 429, latencyMs: 2 }]);
    expect(gateVerdict(report).held).toBe(true);
    expect(report.succeeded).toBe(1);
  });
});

describe('isPurchaseArrival', () => {
  const purchases = (n: number, ratio: number) =>
    Array.from({ length: n }, (_, i) => isPurchaseArrival(i, ratio)).filter(Boolean).length;

  test('when the ratio is one half, then gate scans and purchases alternate', () => {
    expect(Array.from({ length: 4 }, (_, i) => isPurchaseArrival(i, 0.5))).toEqual([false, true, false, true]);
  });

  test('when the ratio is 0, 1 or a fraction, then the share of purchases follows it', () => {
    expect(purchases(100, 0)).toBe(0);
    expect(purchases(100, 1)).toBe(100);
    expect(purchases(100, 0.3)).toBe(30);
  });
});
