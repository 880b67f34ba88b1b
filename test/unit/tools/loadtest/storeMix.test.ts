import {
  completionLatencyMs,
  CompletionTracker,
  isFinalPurchaseStatus,
  parseDuration,
  storeMixSchedule,
} from '../../../../src/tools/loadtest/storeMix';

describe('parseDuration', () => {
  test('when a unit is given, then it is read as ms, s or m; a bare number takes the flag’s unit', () => {
    expect(parseDuration('500ms', 's')).toBe(500);
    expect(parseDuration('3s', 'ms')).toBe(3000);
    expect(parseDuration('1.5m', 's')).toBe(90_000);
    expect(parseDuration('60', 's')).toBe(60_000);
    expect(parseDuration('100', 'ms')).toBe(100);
  });

  test('when the text is not a duration, then it is refused', () => {
    for (const bad of ['', '3x', '-1s', 's', '1 h']) expect(() => parseDuration(bad, 's')).toThrow(/not a duration/);
  });
});

describe('storeMixSchedule', () => {
  test('when 5 entries a second run for 4 s, then 20 entries arrive every 200 ms, each purchase its delay later', () => {
    const schedule = storeMixSchedule({ entriesPerSecond: 5, durationSeconds: 4, purchaseDelayMs: 3000, shoppers: 20 });
    expect(schedule).toHaveLength(20);
    expect(schedule.map((e) => e.index)).toEqual([...Array(20).keys()]);
    schedule.forEach((e, i) => {
      expect(e.entryAtMs).toBeCloseTo(i * 200, 6);
      expect(e.purchaseAtMs - e.entryAtMs).toBeCloseTo(3000, 6);
    });
    expect(schedule.at(-1)!.entryAtMs).toBeLessThan(4000);
  });

  test('when there are fewer shoppers than entries, then shoppers are distinct first and reused cyclically', () => {
    const schedule = storeMixSchedule({ entriesPerSecond: 10, durationSeconds: 1, purchaseDelayMs: 0, shoppers: 4 });
    expect(schedule.map((e) => e.shopper)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1]);
    const distinct = storeMixSchedule({ entriesPerSecond: 3, durationSeconds: 2, purchaseDelayMs: 0, shoppers: 6 });
    expect(new Set(distinct.map((e) => e.shopper)).size).toBe(6);
  });

  test('when the rate times the duration is fractional, then the count rounds; nonsense is refused', () => {
    expect(
      storeMixSchedule({ entriesPerSecond: 2.5, durationSeconds: 3, purchaseDelayMs: 0, shoppers: 1 }),
    ).toHaveLength(8);
    expect(() =>
      storeMixSchedule({ entriesPerSecond: 0, durationSeconds: 3, purchaseDelayMs: 0, shoppers: 1 }),
    ).toThrow();
    expect(() =>
      storeMixSchedule({ entriesPerSecond: 1, durationSeconds: 3, purchaseDelayMs: -1, shoppers: 1 }),
    ).toThrow();
    expect(() =>
      storeMixSchedule({ entriesPerSecond: 1, durationSeconds: 3, purchaseDelayMs: 0, shoppers: 0 }),
    ).toThrow();
  });
});

describe('completion latency', () => {
  test('when the clocks agree, then it is the connector’s time of the final status minus the 201', () => {
    expect(completionLatencyMs(1000, 1800, 2500)).toBe(800);
  });

  test('when the connector’s clock is off, then the figure stays between the 201 and the poll that saw it', () => {
    expect(completionLatencyMs(1000, 500, 2500)).toBe(0);
    expect(completionLatencyMs(1000, 9000, 2500)).toBe(1500);
  });

  test('when a status is final or still moving, then it says so (a bad cart waits for an operator)', () => {
    for (const s of ['CAPTURED', 'DEBT', 'FAILED', 'NOT_CHARGED', 'CASH_DUE', 'EMPTY', 'WRITTEN_OFF'])
      expect(isFinalPurchaseStatus(s)).toBe(true);
    for (const s of ['RECEIVED', 'PRICED', 'BAD_CART']) expect(isFinalPurchaseStatus(s)).toBe(false);
  });
});

describe('CompletionTracker', () => {
  const at = (ms: number) => new Date(ms).toISOString();

  test('when polls see purchases reach final statuses, then each completes once, in its phase, and the backlog shrinks', () => {
    const tracker = new CompletionTracker();
    tracker.taken('a', 1000);
    tracker.taken('b', 2000);
    tracker.taken('c', 3000);
    expect(tracker.backlog).toBe(3);
    expect(tracker.oldestPendingAt()).toBe(1000);

    const first = [
      { tripId: 'a', status: 'CAPTURED', updatedAt: at(1500) },
      { tripId: 'b', status: 'PRICED', updatedAt: at(2100) },
      { tripId: 'someone-else', status: 'CAPTURED', updatedAt: at(100) },
    ];
    expect(tracker.observe(first, 4000, 'run')).toBe(1);
    expect(tracker.backlog).toBe(2);
    expect(tracker.oldestPendingAt()).toBe(2000);
    expect(tracker.pendingNotListed(first, 10)).toEqual(['c']);

    const second = [
      { tripId: 'a', status: 'CAPTURED', updatedAt: at(1500) },
      { tripId: 'b', status: 'DEBT', updatedAt: at(4500) },
      { tripId: 'c', status: 'BAD_CART', updatedAt: at(3100) },
    ];
    expect(tracker.observe(second, 5000, 'drain')).toBe(1);
    tracker.taken('a', 9000); // an answer for a trip already final does not reopen it
    expect(tracker.backlog).toBe(1);
    expect(tracker.completions).toEqual([
      { tripId: 'a', status: 'CAPTURED', latencyMs: 500, phase: 'run' },
      { tripId: 'b', status: 'DEBT', latencyMs: 2500, phase: 'drain' },
    ]);
  });

  test('when a listing misses pending trips, then the oldest are named first, at most as many as asked', () => {
    const tracker = new CompletionTracker();
    tracker.taken('new', 3000);
    tracker.taken('old', 1000);
    tracker.taken('mid', 2000);
    expect(tracker.pendingNotListed([], 2)).toEqual(['old', 'mid']);
    expect(tracker.pendingNotListed([{ tripId: 'old', status: 'RECEIVED', updatedAt: at(1) }], 5)).toEqual([
      'mid',
      'new',
    ]);
  });
});
