/** Waiting on purchases and reading the money that moved, from the ledger. */
import type { Queryable } from '../../src/adapters/db/database';
import { eventually } from './eventually';

export async function purchaseSettled(
  db: Queryable,
  tripId: string,
  statuses = ['CAPTURED', 'EMPTY', 'DEBT', 'NOT_CHARGED', 'CASH_DUE', 'WRITTEN_OFF', 'FAILED'],
): Promise<any> {
  return eventually(async () => {
    const [row] = await db.query<any>('SELECT * FROM purchases WHERE trip_id = $1', [tripId]);
    if (!row || !statuses.includes(row.status)) throw new Error(`purchase ${tripId} is ${row?.status ?? 'missing'}`);
    return row;
  }, 30_000);
}

export async function ledger(
  db: Queryable,
  tripId: string,
): Promise<{ operation: string; outcome: string; amount_minor: number; idempotency_key: string }[]> {
  return db.query(
    'SELECT operation, outcome, amount_minor, idempotency_key FROM payment_ledger WHERE trip_id = $1 ORDER BY entry_id',
    [tripId],
  );
}

export async function authorizationsOf(db: Queryable, authEventId: string): Promise<any[]> {
  return db.query('SELECT * FROM payment_authorizations WHERE auth_event_id = $1', [authEventId]);
}

export async function preAuthPlaced(db: Queryable, authEventId: string): Promise<any> {
  return eventually(async () => {
    const [auth] = await authorizationsOf(db, authEventId);
    if (!auth) throw new Error(`no pre-auth yet for ${authEventId}`);
    return auth;
  });
}
