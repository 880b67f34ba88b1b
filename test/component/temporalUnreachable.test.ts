/** With Temporal unreachable, the gate answers 500 inside its deadline (the store default applies) and /readyz says 503. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/adapters/logger';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { identityKeysRequest, post, scanKeyFor, seedShopper, seedStore } from '../support/fixtures';

let db: TestDatabase;
let server: Server;
let url: string;
let connection: Connection;
const config = loadConfig({ GATE_DEADLINE_MS: '800', LOG_LEVEL: 'silent' });

beforeAll(async () => {
  db = await openTestDatabase('pglite');
  await seedStore(db);
  // Nothing listens on port 1: every call fails or hangs in the client's retries.
  connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
  const { app } = createApp({ config, db, temporal: new Client({ connection }), logger: createLogger('silent') });
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  // The client's retry timers stop at the calls' deadlines; closing the channel before would make them throw.
  await new Promise((r) => setTimeout(r, 2500));
  await connection.close().catch(() => undefined);
  await db.close();
});

test('when a shopper scans while Temporal is down, then 500 comes within the gate deadline, never a hang', async () => {
  const shopper = await seedShopper(db);
  const started = Date.now();
  const response = await post(
    url,
    '/v1/identity/identity-keys',
    identityKeysRequest(await scanKeyFor(db, config, shopper.shopperId)),
  );
  expect(response.status).toBe(500);
  expect(response.body.message).toMatch(/store default/);
  expect(Date.now() - started).toBeLessThan(1900);
});

test('when Temporal is down, then /readyz answers 503 naming it and /healthz still 200', async () => {
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({
    status: 'not ready',
    database: 'ok',
    temporal: expect.stringMatching(/^unavailable/),
  });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
});
