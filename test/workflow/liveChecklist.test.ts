/** `jwo checklist --live` against a running connector: what a demo deployment fails, and a ready one passes. */
import { recordLoadTestRun } from '../../src/adapters/loadTests/loadTestRuns';
import { runLiveChecks } from '../../src/tools/readiness/checklist';
import { catalogItems, seedCatalog, startCatalogStack } from '../support/catalogStack';
import { seedStore } from '../support/fixtures';
import { startTestStack } from '../support/stack';

test('when the deployment still runs on demo settings with no catalog upload or load test, then those items fail or stay manual', async () => {
  const stack = await startTestStack();
  try {
    await seedStore(stack.db);
    const outcomes = await runLiveChecks({ apiUrl: stack.url, operatorKey: 'demo-operator-key' });
    const status = Object.fromEntries(Object.entries(outcomes).map(([id, o]) => [id, o.status]));
    expect(status).toEqual({
      healthz: 'PASSED',
      readyz: 'PASSED',
      'identity-auth': 'PASSED',
      'purchases-auth': 'PASSED',
      temporal: 'PASSED',
      catalog: 'FAILED',
      'gate-p99': 'MANUAL',
      metrics: 'PASSED',
      secrets: 'FAILED',
    });
    expect(outcomes.secrets.detail).toBe(
      'still at their demo values: CONNECTOR_API_KEYS, OPERATOR_API_KEYS, SCAN_KEY_MAC_KEYS, APP_SESSION_SECRETS',
    );
    expect(outcomes.catalog.detail).toContain('STORE-001: no catalog upload');
  } finally {
    await stack.close();
  }
});

test('when secrets are set, the catalog is uploaded and a load test held the budget, then every live item passes', async () => {
  const catalog = await startCatalogStack({
    env: {
      CONNECTOR_API_KEYS: 'amazon-key-2026',
      OPERATOR_API_KEYS: 'ops-key-2026',
      SCAN_KEY_MAC_KEYS: 'K:a-real-secret-of-32-characters!!',
      APP_SESSION_SECRETS: 'a-real-session-secret-of-40-characters!!',
    },
  });
  try {
    await seedCatalog(catalog.stack.db, catalogItems(20));
    await catalog.summary(await catalog.upload());
    await recordLoadTestRun(catalog.stack.db, {
      startedAt: new Date(),
      ratePerSecond: 20,
      durationSeconds: 30,
      gateP99Ms: 42,
      budgetHeld: true,
      result: {},
    });
    const outcomes = await runLiveChecks({ apiUrl: catalog.stack.url, operatorKey: 'ops-key-2026' });
    expect(Object.entries(outcomes).filter(([, o]) => o.status !== 'PASSED')).toEqual([]);
    expect(outcomes.catalog.detail).toMatch(/^STORE-001: 20 items, DONE at /);
    const metrics = await (await fetch(`${catalog.stack.url}/metrics`)).text();
    expect(metrics).toMatch(/^jwo_catalog_uploads\{status="COMPLETED"\} 1$/m);
  } finally {
    await catalog.close();
  }
});
