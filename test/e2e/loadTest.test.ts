/**
 * `jwo loadtest` end to end on a real stack, briefly and gently (the figures themselves are
 * measured against the all-in-one, not asserted here): codes prepared ahead pass the gate, purchases
 * are taken, and the result is recorded where operators can read it. The store mix also follows
 * every purchase to its final status.
 */
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { recordLoadTestResult, runLoadTest } from '../../src/tools/loadtest/runLoadTest';
import { recordStoreMixResult, runStoreMix } from '../../src/tools/loadtest/runStoreMix';
import { formatStoreMix } from '../../src/tools/loadtest/storeMixReport';
import { startTestStack, type TestStack } from '../support/stack';

describe('jwo loadtest against a running connector', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());
  const address = () => ({
    apiUrl: stack.url,
    operatorKey: 'demo-operator-key',
    connectorKey: 'demo-connector-key',
    connectorAuthHeader: 'x-api-key',
  });

  test('when a short load runs, then every scan is admitted, every purchase taken, and the run is recorded', async () => {
    const result = await runLoadTest({
      ...address(),
      storeId: 'STORE-001',
      ratePerSecond: 4,
      durationSeconds: 3,
      purchaseRatio: 0.5,
    });
    expect(result.gate).toMatchObject({ requests: 6, succeeded: 6, errors: {} });
    expect(result.purchases).toMatchObject({ requests: 6, succeeded: 6, errors: {} });
    expect(result.gate.latency.count).toBe(6);
    expect(result.clean).toBe(true);

    await recordLoadTestResult(address(), result);
    const latest = await (
      await fetch(`${stack.url}/ops/v1/loadtests/latest`, { headers: { 'x-operator-key': 'demo-operator-key' } })
    ).json();
    expect(latest).toMatchObject({
      ratePerSecond: 4,
      durationSeconds: 3,
      gateP99Ms: result.gate.latency.p99,
      budgetHeld: result.verdict.held,
    });
  });

  test('when the store mix runs, then every entry is scanned, every admitted shopper buys, every purchase becomes final and the counts add up', async () => {
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    const result = await runStoreMix({
      ...address(),
      storeId: 'STORE-001',
      entriesPerSecond: 5,
      durationSeconds: 4,
      purchaseDelayMs: 3000,
      drainMs: 30_000,
      // The gate's latency is measured, not asserted, on a test machine.
      gateP99TargetMs: 60_000,
    });
    process.stdout.write(`${formatStoreMix(result)}\n`);

    expect(result.gate.requests).toBe(20);
    expect(sum(result.gate.byStatus)).toBe(20);
    expect(result.gate.byStatus).toEqual({ '200': 20 });
    expect(result.gate.serverErrors).toBe(0);
    expect(result.purchases.requests).toBe(result.gate.byStatus['200']);
    expect(sum(result.purchases.byStatus)).toBe(result.purchases.requests);
    expect(result.purchases.byStatus).toEqual({ '201': 20 });

    const c = result.completion;
    expect(c.taken).toBe(20);
    expect(c.completed).toBe(20);
    expect(c.completedInRun + c.completedInDrain).toBe(c.completed);
    expect(sum(c.byStatus)).toBe(c.completed);
    expect(c.byStatus).toEqual({ CAPTURED: 20 });
    expect(c.latency.count).toBe(20);
    expect(c.backlogAtDrainEnd).toBe(0);
    expect(c.backlogAtRunEnd).toBe(c.taken - c.completedInRun);
    expect(result.targets).toEqual({ met: true, missed: [] });

    await recordStoreMixResult(address(), result);
    const latest = await (
      await fetch(`${stack.url}/ops/v1/loadtests/latest`, { headers: { 'x-operator-key': 'demo-operator-key' } })
    ).json();
    expect(latest).toMatchObject({
      ratePerSecond: 5,
      durationSeconds: 4,
      gateP99Ms: result.gate.latency.p99,
      result: { mix: 'store', completion: { completed: 20, backlogAtDrainEnd: 0 } },
    });
  }, 120_000);
});
