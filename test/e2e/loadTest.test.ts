/**
 * `jwo loadtest` end to end on a real stack, briefly and gently (the figures themselves are
 * measured against the all-in-one, not asserted here): codes prepared ahead pass the gate, purchases
 * are taken, and the result is recorded where operators can read it.
 */
import { seedDemoStore } from '../../src/tools/cli/demoStore';
import { recordLoadTestResult, runLoadTest } from '../../src/tools/loadtest/runLoadTest';
import { startTestStack, type TestStack } from '../support/stack';

describe('jwo loadtest against a running connector', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await seedDemoStore(stack.db);
  });
  afterAll(() => stack?.close());

  test('when a short load runs, then every scan is admitted, every purchase taken, and the run is recorded', async () => {
    const address = {
      apiUrl: stack.url,
      operatorKey: 'demo-operator-key',
      connectorKey: 'demo-connector-key',
      connectorAuthHeader: 'x-api-key',
    };
    const result = await runLoadTest({
      ...address,
      storeId: 'STORE-001',
      ratePerSecond: 4,
      durationSeconds: 3,
      purchaseRatio: 0.5,
    });
    expect(result.gate).toMatchObject({ requests: 6, succeeded: 6, errors: {} });
    expect(result.purchases).toMatchObject({ requests: 6, succeeded: 6, errors: {} });
    expect(result.gate.latency.count).toBe(6);
    expect(result.clean).toBe(true);

    await recordLoadTestResult(address, result);
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
});
