/**
 * Which Catalog API the connector talks to: the in-process simulator when CATALOG_API_ENDPOINT is
 * unset (all-in-one), otherwise the configured endpoint signed with the environment's AWS keys or,
 * without them, the AWS SDK's default chain (an ECS task role).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { catalogApiFromConfig } from '../../src/adapters/amazonCatalog/fromConfig';
import { createLogger } from '../../src/adapters/logger';
import { startCatalogSide } from '../../src/tools/cli/catalogSide';
import { loadConfig } from '../../src/config';
import { startCatalogApiSimulator, UNKNOWN_STORE } from '../../src/tools/simulator/catalog';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { seedStore, STORE_ID } from '../support/fixtures';
import { catalogItem, CATALOG_KEYS } from '../support/catalogStack';

describe('Catalog API wiring', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    await seedStore(db);
  });
  afterAll(() => db?.close());

  test('when CATALOG_API_ENDPOINT is unset, then a simulator with keys of its own serves the client and knows the stores of the database', async () => {
    const side = await startCatalogSide({
      config: loadConfig({}),
      db,
      temporal: {} as Client,
      logger: createLogger('silent'),
    });
    try {
      expect(side.description).toMatch(/^simulator http:\/\/127\.0\.0\.1:\d+ .*notifications on the local queue/);
      expect(await side.api.uploadCatalog([catalogItem(1)])).toEqual({ kind: 'ok', ingestionId: expect.any(String) });
      expect(await side.api.uploadCatalog([catalogItem(2, { store_id: 'NOT-IN-DB' })])).toMatchObject({
        status: 400,
        errorMsg: UNKNOWN_STORE,
      });
    } finally {
      await side.close();
    }
  });

  test('when CATALOG_API_ENDPOINT is set, then calls go there signed with the AWS_* keys of the environment', async () => {
    const sim = await startCatalogApiSimulator({
      credentials: CATALOG_KEYS,
      region: 'eu-west-1',
      stores: [{ storeId: STORE_ID, retailerId: 'r' }],
    });
    try {
      const config = { CATALOG_API_ENDPOINT: sim.url, CATALOG_API_REGION: 'eu-west-1' };
      const env = { AWS_ACCESS_KEY_ID: CATALOG_KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: CATALOG_KEYS.secretAccessKey };
      expect(await catalogApiFromConfig(config, env).uploadCatalog([catalogItem(1)])).toMatchObject({ kind: 'ok' });
      expect(() => catalogApiFromConfig(config, { AWS_ACCESS_KEY_ID: CATALOG_KEYS.accessKeyId })).toThrow(
        'AWS credentials missing or empty in the environment: AWS_SECRET_ACCESS_KEY',
      );
    } finally {
      await sim.close();
    }
  });

  test("when no AWS_* keys are set (an ECS task), then the AWS SDK's default chain gets the task role's keys from the container credentials endpoint", async () => {
    const taskRoleKeys = {
      accessKeyId: 'ASIATASKROLE',
      secretAccessKey: 'task-role-secret',
      sessionToken: 'task-token',
    };
    const sim = await startCatalogApiSimulator({
      credentials: taskRoleKeys,
      region: 'eu-west-1',
      stores: [{ storeId: STORE_ID, retailerId: 'r' }],
    });
    // What the ECS agent serves at AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (here the FULL_URI form, on loopback).
    let served = 0;
    const agent = createServer((_req, res) => {
      served++;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          AccessKeyId: taskRoleKeys.accessKeyId,
          SecretAccessKey: taskRoleKeys.secretAccessKey,
          Token: taskRoleKeys.sessionToken,
          Expiration: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      );
    });
    await new Promise<void>((resolve) => agent.listen(0, '127.0.0.1', resolve));
    const saved = { ...process.env };
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) {
      delete process.env[name];
    }
    process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${(agent.address() as AddressInfo).port}/v2/credentials/task`;
    process.env.AWS_CONFIG_FILE = '/nonexistent/aws-config';
    process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/aws-credentials';
    try {
      const config = { CATALOG_API_ENDPOINT: sim.url, CATALOG_API_REGION: 'eu-west-1' };
      const api = catalogApiFromConfig(config, process.env);
      expect(await api.uploadCatalog([catalogItem(1)])).toMatchObject({ kind: 'ok' });
      expect(await api.uploadCatalog([catalogItem(2)])).toMatchObject({ kind: 'ok' });
      expect(served).toBe(1); // cached until near expiry
    } finally {
      process.env = saved;
      await new Promise((resolve) => agent.close(resolve));
      await sim.close();
    }
  });

  test('when no endpoint is configured for a standalone worker, then every call fails at once saying what to set', async () => {
    expect(await catalogApiFromConfig({}).uploadCatalog([catalogItem(1)])).toEqual({
      kind: 'error',
      status: null,
      retryable: false,
      errorMsg: expect.stringContaining('set CATALOG_API_ENDPOINT'),
    });
  });
});
