/**
 * `jwo connectivity-test` against the Catalog API simulator, the local SQS server with the real
 * notification consumer, a running connector on PostgreSQL and the run's Temporal dev server: the
 * all-ok run, then each failure mode, asserting the row it produces (and that the others stay ok).
 */
import { CHECKS, type CheckRow } from '../../src/tools/connectivity/checkRow';
import { renderJson, renderTable } from '../../src/tools/connectivity/render';
import { runConnectivityTest } from '../../src/tools/connectivity/runConnectivityTest';
import { confirmedSubscriptions } from '../../src/adapters/catalogNotifications/subscriptionStore';
import { CATALOG_KEYS, startCatalogStack, type CatalogStack } from '../support/catalogStack';
import { eventually } from '../support/eventually';
import { temporalAddress } from '../support/stack';

describe('jwo connectivity-test', () => {
  let cat: CatalogStack;
  let env: (overrides?: Record<string, string | undefined>) => NodeJS.ProcessEnv;

  beforeAll(async () => {
    cat = await startCatalogStack({ dbKind: 'postgres', notifications: {} });
    // The simulated topic sends its SubscriptionConfirmation at start; the consumer confirms and records it.
    await eventually(async () => expect(await confirmedSubscriptions(cat.stack.db, cat.queueUrl!)).toHaveLength(1));
    env = (overrides = {}) => ({
      CATALOG_API_ENDPOINT: cat.sim.url,
      CATALOG_API_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: CATALOG_KEYS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CATALOG_KEYS.secretAccessKey,
      CATALOG_SQS_QUEUE_URL: cat.queueUrl!,
      DATABASE_URL: cat.stack.db.url!,
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: 'default',
      JWO_CONNECTOR_KEY: cat.stack.config.CONNECTOR_API_KEYS[0],
      ...overrides,
    });
  });
  afterAll(() => cat?.close());

  const run = (overrides?: Record<string, string | undefined>) =>
    runConnectivityTest({ env: env(overrides), publicUrl: cat.stack.url });
  const row = (rows: CheckRow[], check: string) => rows.find((r) => r.check === check)!;
  const problems = (rows: CheckRow[]) => rows.filter((r) => r.status === 'problem').map((r) => r.check);

  test('when every link works, then every row is ok, in order, and the report says so', async () => {
    const result = await run();
    expect(result.rows.map((r) => [r.check, r.status])).toEqual(Object.values(CHECKS).map((check) => [check, 'ok']));
    expect(result.ok).toBe(true);
    expect(row(result.rows, CHECKS.catalogApi).detail).toMatch(
      /the documented 400 for an unknown ingestion id \("InvalidRequestException: .*not associated.*"\): signing, IAM role and allow-list work/,
    );
    expect(row(result.rows, CHECKS.subscription).detail).toMatch(
      /^confirmed for topic arn:aws:sns:us-east-1:000000000000:jwo-catalog-upload-status at /,
    );
    expect(row(result.rows, CHECKS.identityConnector).detail).toBe(
      `${cat.stack.url}/v1/identity/identity-keys: 400 with the key (reachable, TLS valid, key accepted), 401 without`,
    );
    expect(row(result.rows, CHECKS.searchAttributes).detail).toBe(
      'StoreId, ShopperId, TripId, PurchaseStatus registered on default',
    );
    expect(row(result.rows, CHECKS.database).detail).toMatch(/^127\.0\.0\.1:5432 answers; schema at migration \d+$/);
    expect(renderTable(result)).toMatch(/\nall 8 checks passed\n$/);
    expect(JSON.parse(renderJson(result))).toEqual({ ok: true, rows: result.rows });
  });

  test('when the AWS secret key is wrong, then the simulator refuses the signature and the Catalog API row says which keys to fix', async () => {
    const result = await run({ AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    expect(problems(result.rows)).toEqual([CHECKS.catalogApi]);
    expect(result.ok).toBe(false);
    expect(row(result.rows, CHECKS.catalogApi)).toEqual({
      check: CHECKS.catalogApi,
      status: 'problem',
      detail: expect.stringMatching(
        /^Amazon refused the signature or the keys \(403: The request signature we calculated does not match/,
      ),
      fix: expect.stringContaining('the keys are wrong: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY'),
    });
    expect(renderTable(result)).toMatch(/\n1 of 8 checks failed\n$/);
  });

  test('when the queue does not exist, then the queue row says so (and no subscription is recorded for it)', async () => {
    const missing = `${cat.sqsServer!.url}/000000000000/no-such-queue`;
    const result = await run({ CATALOG_SQS_QUEUE_URL: missing });
    expect(problems(result.rows)).toEqual([CHECKS.queue, CHECKS.subscription]);
    expect(row(result.rows, CHECKS.queue)).toMatchObject({
      detail: expect.stringMatching(new RegExp(`^the queue ${missing} does not exist`)),
      fix: expect.stringContaining('CatalogNotificationQueueUrl'),
    });
  });

  test('when the queue exists but its SNS subscription was never confirmed, then only the subscription row fails', async () => {
    const unconfirmed = cat.sqsServer!.createQueue('never-subscribed');
    const result = await run({ CATALOG_SQS_QUEUE_URL: unconfirmed });
    expect(problems(result.rows)).toEqual([CHECKS.subscription]);
    expect(row(result.rows, CHECKS.subscription)).toMatchObject({
      detail: `no confirmed SNS subscription recorded for ${unconfirmed}`,
      fix: expect.stringContaining('CatalogNotificationQueueArn'),
    });
  });

  test('when the connector key is wrong, then both connector rows say the key was refused', async () => {
    const result = await run({ JWO_CONNECTOR_KEY: 'not-a-connector-key' });
    expect(problems(result.rows)).toEqual([CHECKS.identityConnector, CHECKS.orderingConnector]);
    for (const check of [CHECKS.identityConnector, CHECKS.orderingConnector]) {
      expect(row(result.rows, check)).toMatchObject({
        detail: 'the key was refused (401 with x-api-key from JWO_CONNECTOR_KEY)',
        fix: expect.stringContaining('CONNECTOR_API_KEYS'),
      });
    }
  });

  test('when the namespace is missing and DATABASE_URL unset, then the Temporal, database and subscription rows say what to do', async () => {
    const result = await run({ TEMPORAL_NAMESPACE: 'no-such-namespace', DATABASE_URL: undefined });
    expect(problems(result.rows)).toEqual([
      CHECKS.subscription,
      CHECKS.temporal,
      CHECKS.searchAttributes,
      CHECKS.database,
    ]);
    expect(row(result.rows, CHECKS.temporal)).toMatchObject({
      detail: `connected to ${temporalAddress()}, but the namespace no-such-namespace does not exist`,
      fix: expect.stringContaining('temporal operator namespace create --namespace no-such-namespace'),
    });
    expect(row(result.rows, CHECKS.database).detail).toMatch(/^DATABASE_URL is not set/);
    expect(row(result.rows, CHECKS.subscription).detail).toBe('not checked: the database is not available');
  });

  test('when Temporal is unreachable, then the Temporal row says where it tried', async () => {
    const result = await run({ TEMPORAL_ADDRESS: '127.0.0.1:1' });
    expect(problems(result.rows)).toEqual([CHECKS.temporal, CHECKS.searchAttributes]);
    expect(row(result.rows, CHECKS.temporal).detail).toMatch(/^cannot connect to 127\.0\.0\.1:1: /);
  });
});
