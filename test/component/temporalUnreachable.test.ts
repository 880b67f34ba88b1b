/**
 * Temporal down: the gate and Create Purchases answer from the database alone, inside their
 * deadlines (a valid scan is a 200 and its code is consumed by that entry only; a cart is a 201),
 * /readyz says 503; once Temporal is back, the outbox relay starts every workflow that was promised,
 * exactly once. Temporal is put behind a TCP proxy the test switches off and on.
 */
import { createServer, connect, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/api/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/adapters/logger';
import { relayWorkflowStarts, type WorkflowStarter } from '../../src/adapters/temporal/workflowOutbox';
import { entryWorkflowId, purchaseWorkflowId } from '../../src/shared/workflowIds';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { eventually } from '../support/eventually';
import {
  identityKeysRequest,
  item,
  post,
  purchaseRequest,
  scanKeyFor,
  seedShopper,
  seedStore,
} from '../support/fixtures';

/** A TCP proxy to the real Temporal server that can refuse everything while "down". */
class SwitchableProxy {
  private server: NetServer | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;
  constructor(private readonly target: { host: string; port: number }) {}
  async up(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  async down(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
    this.server = null;
  }
}

const [temporalHost, temporalPort] = process.env.JWO_TEST_TEMPORAL_ADDRESS!.split(':');
const proxy = new SwitchableProxy({ host: temporalHost, port: Number(temporalPort) });
const config = loadConfig({ LOG_LEVEL: 'silent' });
let db: TestDatabase;
let server: Server;
let url: string;
let proxied: Connection;
let direct: Connection;
let starter: WorkflowStarter;

beforeAll(async () => {
  db = await openTestDatabase('postgres');
  await seedStore(db);
  await proxy.up();
  await proxy.down(); // keep its port, refuse everything
  proxied = Connection.lazy({ address: `127.0.0.1:${proxy.port}`, connectTimeout: 500 });
  direct = await Connection.connect({ address: process.env.JWO_TEST_TEMPORAL_ADDRESS! });
  const created = createApp({
    config,
    db,
    temporal: new Client({ connection: proxied }),
    logger: createLogger('silent'),
  });
  starter = created.starter;
  const { app } = created;
  server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await starter.drain();
  await proxy.down();
  // The client's retry timers stop at the calls' deadlines; closing the channel before would make them throw.
  await new Promise((r) => setTimeout(r, 2500));
  await proxied.close().catch(() => undefined);
  await direct.close();
  await db.close();
});

const pending = async (workflowId: string) =>
  (
    await db.query<{ started_at: Date | null }>('SELECT started_at FROM workflow_starts WHERE workflow_id = $1', [
      workflowId,
    ])
  )[0];

let admitted: { request: Record<string, any>; shopperId: string };
let trip: Record<string, any>;

test('when a shopper scans while Temporal is down, then 200 inside the gate deadline, the code is theirs, the start is recorded', async () => {
  const shopper = await seedShopper(db);
  const request = identityKeysRequest(await scanKeyFor(db, config, shopper.shopperId));
  const started = Date.now();
  const answer = await post(url, '/v1/identity/identity-keys', request);
  expect(Date.now() - started).toBeLessThan(config.GATE_DEADLINE_MS + 400);
  expect(answer).toEqual({ status: 200, body: { visitorDetails: { id: shopper.shopperId, type: 'SHOPPER' } } });
  expect(await pending(entryWorkflowId(request.authEvent.id))).toEqual({ started_at: null });
  // Amazon's retry gets the same answer: the code was consumed by this entry, not burnt.
  expect(await post(url, '/v1/identity/identity-keys', request)).toEqual(answer);
  admitted = { request, shopperId: shopper.shopperId };
});

test('when a cart arrives while Temporal is down, then 201 with its purchaseId inside the deadline and the start recorded', async () => {
  const authEvent = {
    ...admitted.request.authEvent,
    payloadType: 'SCAN_CODE',
    scanResult: { id: admitted.shopperId, type: 'SHOPPER' },
  };
  trip = purchaseRequest([authEvent], [item('SKU-001')]);
  const started = Date.now();
  const answer = await post(url, '/v1/order/purchases', trip);
  expect(Date.now() - started).toBeLessThan(config.PURCHASE_DEADLINE_MS);
  expect(answer.status).toBe(201);
  expect(answer.body.purchaseId).toMatch(/^P-/);
  expect(await post(url, '/v1/order/purchases', trip)).toEqual(answer);
  expect(await pending(purchaseWorkflowId(trip.idempotentShoppingTripId))).toEqual({ started_at: null });
});

test('when Temporal is down, then /readyz answers 503 naming it and /healthz still 200', async () => {
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({
    status: 'not ready',
    database: 'ok',
    // Refused or silent: either way it names the dependency, never the raw error.
    temporal: expect.stringMatching(/^(unavailable|timeout)$/),
    down: ['temporal'],
  });
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
});

test('when Temporal is back, then the relay starts each promised workflow once', async () => {
  await proxy.up();
  const client = new Client({ connection: proxied });
  // The relay only takes starts that are due (the request's own attempt had its chance): make them due now.
  await db.query('UPDATE workflow_starts SET next_attempt_at = now()');
  await eventually(
    async () => {
      await relayWorkflowStarts(db, client, { callTimeoutMs: 2000 });
      const rows = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM workflow_starts WHERE started_at IS NULL',
      );
      expect(rows[0].n).toBe(0);
    },
    30_000,
    500,
  );
  const temporal = new Client({ connection: direct });
  for (const id of [
    entryWorkflowId(admitted.request.authEvent.id),
    purchaseWorkflowId(trip.idempotentShoppingTripId),
  ]) {
    const description = await temporal.workflow.getHandle(id).describe();
    expect(description.status.name).toBe('RUNNING');
    // Started exactly once: one run under the id.
    const runs = [];
    for await (const run of temporal.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(run);
    expect(runs).toHaveLength(1);
  }
  // A relay pass after that starts nothing more.
  expect(await relayWorkflowStarts(db, client)).toBe(0);
});
