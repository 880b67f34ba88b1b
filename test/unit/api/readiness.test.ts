/** /readyz names the dependency that is down and never answers its raw error (hosts, users, addresses). */
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Client } from '@temporalio/client';
import { healthRouter } from '../../../src/api/health';
import type { Database } from '../../../src/adapters/db/database';

const SECRETIVE = 'password authentication failed for user "jwo_admin" at db-7.internal:5432';

async function serve(db: Partial<Database>, temporalAnswers: () => Promise<unknown>) {
  const logged: unknown[] = [];
  const temporal = {
    connection: {
      withDeadline: (_d: number, fn: () => Promise<unknown>) => fn(),
      workflowService: { describeNamespace: temporalAnswers },
    },
  } as unknown as Client;
  const app = express().use(
    healthRouter({
      db: db as Database,
      temporal,
      namespace: 'default',
      demoMode: false,
      logger: { warn: (...args: unknown[]) => logged.push(args) } as never,
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, logged };
}

test('when the database refuses, then /readyz is 503 naming the database, with the error logged, not answered', async () => {
  const { url, server, logged } = await serve({ ping: () => Promise.reject(new Error(SECRETIVE)) }, async () => ({}));
  try {
    const response = await fetch(`${url}/readyz`);
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      status: 'not ready',
      down: ['database'],
      database: 'unavailable',
      temporal: 'ok',
      demoMode: false,
    });
    expect(text).not.toMatch(/jwo_admin|db-7|password/);
    expect(JSON.stringify(logged)).toContain('jwo_admin');
  } finally {
    server.close();
  }
});

test('when both answer, then /readyz is 200 and says whether this is the demo', async () => {
  const { url, server } = await serve({ ping: async () => undefined }, async () => ({}));
  try {
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', database: 'ok', temporal: 'ok', demoMode: false });
  } finally {
    server.close();
  }
});
