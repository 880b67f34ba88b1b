/**
 * PostgreSQL connections terminated under load (a failover, an admin's pg_terminate_backend, a
 * network blip): the failing statements reject, the process never crashes on an unhandled 'error'
 * event of a checked-out client, and the pool serves again once the storm is over.
 */
import { openPostgres, type Database } from '../../src/adapters/db/database';
import { openTestDatabase, type TestDatabase } from '../support/db';

let db: TestDatabase;
let admin: Database;

beforeAll(async () => {
  db = await openTestDatabase('postgres');
  admin = await openPostgres(process.env.JWO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', {
    poolSize: 1,
  });
  await db.exec('CREATE TABLE hits (n int PRIMARY KEY)');
});
afterAll(async () => {
  await admin.close();
  await db.close();
});

const databaseName = () => new URL(db.url!).pathname.slice(1);

async function terminateBackends(): Promise<number> {
  const rows = await admin.query<{ n: number }>(
    `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [databaseName()],
  );
  return rows[0].n;
}

test("when the connector's backends are terminated again and again under load, then requests fail one by one and the pool recovers", async () => {
  let next = 0;
  const committed: number[] = [];
  let failures = 0;
  const crashes: unknown[] = [];
  const onCrash = (err: unknown) => crashes.push(err);
  process.on('uncaughtException', onCrash);
  try {
    const load = Array.from({ length: 8 }, async () => {
      for (let i = 0; i < 40; i++) {
        const n = next++;
        try {
          await db.transaction(async (tx) => {
            await tx.query('INSERT INTO hits (n) VALUES ($1)', [n]);
            await tx.query('SELECT pg_sleep(0.005)');
          });
          committed.push(n);
        } catch {
          failures++;
        }
      }
    });
    let terminated = 0;
    const storm = (async () => {
      for (let round = 0; round < 10; round++) {
        await new Promise((r) => setTimeout(r, 30));
        terminated += await terminateBackends();
      }
    })();
    await Promise.all([...load, storm]);
    expect(terminated).toBeGreaterThan(0);
    expect(failures).toBeGreaterThan(0);
  } finally {
    process.removeListener('uncaughtException', onCrash);
  }
  expect(crashes).toEqual([]);
  // Every transaction that answered success is durable; none that failed left a row.
  const rows = await db.query<{ n: number }>('SELECT n FROM hits ORDER BY n');
  expect(rows.map((r) => r.n)).toEqual([...committed].sort((a, b) => a - b));
  // And the pool serves again.
  await expect(db.query('SELECT 1 AS ok')).resolves.toEqual([{ ok: 1 }]);
});
