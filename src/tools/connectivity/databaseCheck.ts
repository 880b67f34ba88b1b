/**
 * The connector's PostgreSQL: reachable at DATABASE_URL and migrated to this version's schema (the
 * API and the worker migrate it at start-up). The embedded database (PGlite, DATABASE_URL unset)
 * belongs to the process running it and is not opened from here.
 */
import type { Queryable } from '../../adapters/db/database';
import { MIGRATIONS } from '../../adapters/db/migrations';
import { CHECKS, messageOf, ok, problem, type CheckRow } from './checkRow';

const CHECK = CHECKS.database;

export const DATABASE_URL_UNSET = problem(
  CHECK,
  'DATABASE_URL is not set: the embedded database belongs to the process running it and is not checked from here',
  'run this where the connector runs, with its DATABASE_URL (on ECS: a worker task, whose prelude sets it)',
);

export function databaseUnreachable(err: unknown): CheckRow {
  return problem(
    CHECK,
    messageOf(err),
    'check DATABASE_URL and that this host may reach the database (JwoConnector: the tasks security group, port 5432)',
  );
}

export async function checkDatabase(db: Queryable, where: string): Promise<CheckRow> {
  let applied: Set<number>;
  try {
    const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
    applied = new Set(rows.map((row) => Number(row.version)));
  } catch (err) {
    return problem(
      CHECK,
      `${where} answers, but has no readable schema_migrations: ${messageOf(err)}`,
      'start the API or the worker once against it: they create the schema',
    );
  }
  const missing = MIGRATIONS.filter((migration) => !applied.has(migration.version)).map((m) => m.version);
  if (missing.length) {
    return problem(
      CHECK,
      `${where} answers, but migrations ${missing.join(', ')} are not applied`,
      'start the API or the worker of this version: they migrate the database at start-up',
    );
  }
  return ok(CHECK, `${where} answers; schema at migration ${Math.max(...applied)}`);
}
