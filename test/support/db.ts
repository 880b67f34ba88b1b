/**
 * Test databases of both kinds: embedded PGlite in memory, and a fresh database on the
 * machine's PostgreSQL (JWO_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres)
 * that is dropped afterwards. An unreachable PostgreSQL fails the tests; it is never skipped.
 */
import { randomBytes } from 'node:crypto';
import { openPglite, openPostgres, type Database } from '../../src/adapters/db/database';
import { migrate } from '../../src/adapters/db/migrate';

export type DbKind = 'pglite' | 'postgres';
export const DB_KINDS: DbKind[] = ['pglite', 'postgres'];

const ADMIN_URL = process.env.JWO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends Database {
  url: string | null;
}

export async function openTestDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const db = await openPglite(null);
    await migrate(db);
    return Object.assign(db, { url: null });
  }
  const name = `jwo_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openPostgres(ADMIN_URL, { poolSize: 1 });
  await admin.exec(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = ADMIN_URL.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  const db = await openPostgres(url);
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    url,
    async close() {
      await close();
      const again = await openPostgres(ADMIN_URL, { poolSize: 1 });
      await again.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.close();
    },
  });
}
