import type { Outcome } from '../../../../src/tools/loadtest/endpointReport';
import type { Completion } from '../../../../src/tools/loadtest/storeMix';
import {
  formatStoreMix,
  statusReport,
  storeMixResult,
  storeMixTargets,
} from '../../../../src/tools/loadtest/storeMixReport';

const answered = (status: number, latencyMs: number): Outcome => ({ status, latencyMs });
const done = (tripId: string, latencyMs: number, phase: 'run' | 'drain', status = 'CAPTURED'): Completion => ({
  tripId,
  status,
  latencyMs,
  phase,
});

const run = (overrides: Partial<Parameters<typeof storeMixResult>[0]> = {}) =>
  storeMixResult({
    startedAt: '2026-01-01T00:00:00.000Z',
    entriesPerSecond: 2,
    durationSeconds: 2,
    purchaseDelayMs: 3000,
    drainMs: 60_000,
    gateP99TargetMs: 100,
    shoppers: 4,
    gateOutcomes: [answered(200, 10), answered(200, 20), answered(200, 30), answered(401, 5)],
    purchaseOutcomes: [answered(201, 40), answered(201, 50), answered(201, 60)],
    taken: 3,
    completions: [done('a', 900, 'run'), done('b', 1200, 'run'), done('c', 2500, 'drain', 'DEBT')],
    backlogAtRunEnd: 1,
    backlogAtDrainEnd: 0,
    drainedMs: 1500,
    sendLagsMs: [0, 1, 2],
    ...overrides,
  });

describe('statusReport', () => {
  test('when answers and failures mix, then every request is counted by status, 5xx and no-answer apart', () => {
    const report = statusReport([
      answered(200, 1),
      answered(200, 2),
      answered(401, 3),
      answered(500, 4),
      answered(503, 5),
      { failure: 'timeout', latencyMs: 10_000 },
    ]);
    expect(report.byStatus).toEqual({ '200': 2, '401': 1, '500': 1, '503': 1, timeout: 1 });
    expect(Object.values(report.byStatus).reduce((a, b) => a + b, 0)).toBe(report.requests);
    expect(report.serverErrors).toBe(2);
    expect(report.unanswered).toBe(1);
    expect(report.latency.max).toBe(5);
  });
});

describe('storeMixResult', () => {
  test('when a run ends, then its counts add up from entries to final statuses', () => {
    const r = run();
    expect(r.gate.requests).toBe(4);
    expect(r.purchases.requests).toBe(r.gate.byStatus['200']);
    expect(r.completion).toMatchObject({
      taken: 3,
      completed: 3,
      completedInRun: 2,
      completedInDrain: 1,
      byStatus: { CAPTURED: 2, DEBT: 1 },
      backlogAtRunEnd: 1,
      backlogAtDrainEnd: 0,
    });
    expect(r.completion.latency).toEqual({ count: 3, p50: 1200, p95: 2500, p99: 2500, max: 2500 });
    expect(r.targets).toEqual({ met: true, missed: [] });
    expect(r.verdict.held).toBe(true);
  });
});

describe('storeMixTargets', () => {
  const base = run();
  const check = (o: Partial<Parameters<typeof storeMixTargets>[0]>) =>
    storeMixTargets({
      gate: base.gate,
      purchases: base.purchases,
      completion: base.completion,
      gateP99TargetMs: 100,
      drainMs: 60_000,
      ...o,
    });

  test('when the gate p99 is over the target, then that target is named with the figure; at the target it is met', () => {
    expect(check({ gateP99TargetMs: 25 }).missed).toEqual(['gate p99 within 25 ms: it was 30.0 ms']);
    expect(check({ gateP99TargetMs: 30 }).met).toBe(true);
  });

  test('when a gate scan is answered 5xx, then the run misses, even with p99 in target', () => {
    const gate = statusReport([answered(200, 1), answered(500, 2)]);
    expect(check({ gate })).toEqual({ met: false, missed: ['no gate 5xx: 1 scan(s) answered 5xx'] });
  });

  test('when a 201 is not final by the end of the drain, then the run misses and says how many', () => {
    expect(check({ completion: { backlogAtDrainEnd: 2 } }).missed).toEqual([
      'every purchase completed: 2 answered 201 still not final at the end of the 60 s drain',
    ]);
  });

  test('when several targets are missed, then each is named', () => {
    const gate = statusReport([answered(503, 500), { failure: 'timeout', latencyMs: 10_000 }]);
    const purchases = statusReport([answered(500, 1)]);
    expect(check({ gate, purchases, completion: { backlogAtDrainEnd: 1 } }).missed).toHaveLength(5);
    expect(check({ gate: statusReport([]) }).missed).toEqual(['gate: no scan was sent']);
  });
});

describe('formatStoreMix', () => {
  test('when printed, then it shows the gate, purchase and completion figures, the backlog, and the verdict', () => {
    const text = formatStoreMix(run());
    expect(text).toContain('2 entries/s for 2 s (4 entries, 4 shoppers), purchase 3 s after entry, drain up to 60 s');
    expect(text).toMatch(/gate scans\s+4 sent {2}p50 10\.0 ms {2}p95 30\.0 ms {2}p99 30\.0 ms {2}max 30\.0 ms/);
    expect(text).toContain('statuses: 200×3 401×1  5xx: 0');
    expect(text).toMatch(/completion\s+3 of 3 201s final \(2 within the run, 1 in the drain\)/);
    expect(text).toContain('final: CAPTURED×2 DEBT×1');
    expect(text).toContain('1 not final when the load stopped, 0 at the end of the drain (1.5 s)');
    expect(text).toContain('targets            met');

    const missed = formatStoreMix(run({ gateP99TargetMs: 10, backlogAtDrainEnd: 1 }));
    expect(missed).toContain('MISSED: gate p99 within 10 ms: it was 30.0 ms; every purchase completed: 1 answered 201');
  });
});
