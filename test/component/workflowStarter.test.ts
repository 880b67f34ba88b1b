/**
 * The starter behind both Amazon endpoints: the request waits for a workflow start at most its
 * budget, the start carries on past it and is recorded when made; beyond maxInFlight starts are
 * left to the relay. Real Temporal server, real database; no worker is needed for a start.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { enqueueWorkflowStart, WorkflowStarter, type WorkflowStart } from '../../src/adapters/temporal/workflowOutbox';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { eventually } from '../support/eventually';

let db: TestDatabase;
let connection: Connection;
let client: Client;

beforeAll(async () => {
  db = await openTestDatabase('postgres');
  connection = await Connection.connect({ address: process.env.JWO_TEST_TEMPORAL_ADDRESS! });
  client = new Client({ connection });
});
afterAll(async () => {
  await connection.close();
  await db.close();
});

/** A start recorded as a request would record it; the task queue has no worker, so it only starts. */
async function recordedStart(): Promise<WorkflowStart> {
  const tripId = `starter-${randomUUID()}`;
  const start: WorkflowStart = {
    workflowType: 'purchaseWorkflow',
    workflowId: `purchase-${tripId}`,
    taskQueue: `starter-test-${randomUUID()}`,
    args: [] as unknown as WorkflowStart['args'],
    searchAttributes: { StoreId: 'STORE-001', TripId: tripId },
  };
  await enqueueWorkflowStart(db, start);
  return start;
}

const row = async (workflowId: string) =>
  (
    await db.query<{ started: boolean; attempts: number }>(
      'SELECT started_at IS NOT NULL AS started, attempts FROM workflow_starts WHERE workflow_id = $1',
      [workflowId],
    )
  )[0];

test('when Temporal takes longer than the budget, then the request stops waiting and the start is still made and recorded', async () => {
  // A zero budget expires before any answer from the server can arrive.
  const starter = new WorkflowStarter(db, client, { budgetMs: 0 });
  const start = await recordedStart();
  expect(await starter.start(start)).toBe(false);
  await starter.drain();
  expect(await row(start.workflowId)).toEqual({ started: true, attempts: 0 });
  const description = await client.workflow.getHandle(start.workflowId).describe();
  expect(description.status.name).toBe('RUNNING');
  await client.workflow.getHandle(start.workflowId).terminate('test done');
});

test('when Temporal answers within the budget, then the request learns the start was made', async () => {
  const starter = new WorkflowStarter(db, client, { budgetMs: 5000 });
  const start = await recordedStart();
  expect(await starter.start(start)).toBe(true);
  expect(await row(start.workflowId)).toEqual({ started: true, attempts: 0 });
  await client.workflow.getHandle(start.workflowId).terminate('test done');
});

test('when maxInFlight starts are running, then a further start is left to the relay untouched', async () => {
  const starter = new WorkflowStarter(db, client, { budgetMs: 0, maxInFlight: 1 });
  const first = await recordedStart();
  const second = await recordedStart();
  await starter.start(first);
  expect(await starter.start(second)).toBe(false);
  await starter.drain();
  expect(await row(first.workflowId)).toEqual({ started: true, attempts: 0 });
  // Not tried at all: still due for the relay, with no failed attempt counted.
  expect(await row(second.workflowId)).toEqual({ started: false, attempts: 0 });
  await eventually(async () => {
    expect((await client.workflow.getHandle(first.workflowId).describe()).status.name).toBe('RUNNING');
  });
  await expect(client.workflow.getHandle(second.workflowId).describe()).rejects.toThrow(/not found/i);
  await client.workflow.getHandle(first.workflowId).terminate('test done');
});
