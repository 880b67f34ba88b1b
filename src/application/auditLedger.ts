/**
 * The ledger audit (`jwo ledger audit`, GET /ops/v1/ledger/audit, role viewer): reads the
 * connector's payment ledger, never a gateway's own state, and reports every violation of
 *   TOTAL_MISMATCH          a closed trip's captured + charged − refunded differs from its receipt's
 *                           total minus its recorded debt minus its recorded refunds (card purchases;
 *                           cash, associates and write-offs must have moved nothing)
 *   AUTHORIZATION_LEFT_OPEN a pre-auth still AUTHORIZED past its trip's close plus the grace period,
 *                           or past its own expiry when no trip closed it
 *   MONEY_MOVED_TWICE       one step moved money under more than one key (an authorization captured
 *                           twice, a gateway payment recorded under two keys) or refunds above what
 *                           a payment took; keys are unique in the ledger, so one key is one move
 *   OUTCOME_UNKNOWN         a call still PENDING past the grace period: money may have moved
 */
import type { Queryable } from '../adapters/db/database';

export type LedgerViolationKind =
  'TOTAL_MISMATCH' | 'AUTHORIZATION_LEFT_OPEN' | 'MONEY_MOVED_TWICE' | 'OUTCOME_UNKNOWN';

export interface LedgerViolation {
  kind: LedgerViolationKind;
  tripId: string | null;
  detail: string;
}

export interface LedgerAudit {
  tripsChecked: number;
  violations: LedgerViolation[];
}

/** Statuses of a closed trip (FAILED and BAD_CART trips are still open: they will be replayed or decided). */
const CLOSED = ['CAPTURED', 'DEBT', 'EMPTY', 'NOT_CHARGED', 'CASH_DUE', 'WRITTEN_OFF'];

export const DEFAULT_AUDIT_GRACE_MS = 60 * 60 * 1000;

export async function auditLedger(
  db: Queryable,
  filter: { storeId?: string; since?: Date; graceMs?: number; now?: Date } = {},
): Promise<LedgerAudit> {
  const graceMs = filter.graceMs ?? DEFAULT_AUDIT_GRACE_MS;
  const now = filter.now ?? new Date();
  const cutoff = new Date(now.getTime() - graceMs);
  const storeId = filter.storeId ?? null;
  const since = filter.since ?? null;
  const violations: LedgerViolation[] = [];

  const trips = await db.query<{
    trip_id: string;
    status: string;
    receipt: any;
    moved: string | number;
    debt: string | number;
  }>(
    `SELECT p.trip_id, p.status, p.receipt,
            coalesce((SELECT sum(CASE WHEN l.operation = 'REFUND' THEN -l.amount_minor ELSE l.amount_minor END)
                        FROM payment_ledger l
                       WHERE l.trip_id = p.trip_id AND l.outcome = 'APPROVED' AND l.operation IN ('CAPTURE', 'CHARGE', 'REFUND')), 0) AS moved,
            coalesce((SELECT sum(d.amount_minor) FROM debts d WHERE d.trip_id = p.trip_id), 0) AS debt
       FROM purchases p
      WHERE p.status = ANY($1::text[]) AND ($2::text IS NULL OR p.store_id = $2) AND ($3::timestamptz IS NULL OR p.created_at >= $3)
      ORDER BY p.created_at`,
    [CLOSED, storeId, since],
  );
  for (const trip of trips) {
    const receipt = trip.receipt;
    const refunded = ((receipt?.refunds ?? []) as { amountMinor: number }[]).reduce((s, r) => s + r.amountMinor, 0);
    const byCard = receipt?.payment?.method === 'CARD';
    const expected = byCard ? Number(receipt.totalMinor) - Number(trip.debt) - refunded : -refunded;
    const moved = Number(trip.moved);
    if (moved !== expected)
      violations.push({
        kind: 'TOTAL_MISMATCH',
        tripId: trip.trip_id,
        detail: byCard
          ? `captured + charged − refunded is ${moved}; the receipt's total ${receipt.totalMinor} − debt ${trip.debt} − refunds ${refunded} is ${expected} (${trip.status})`
          : `${moved} moved for a purchase not paid by card (${trip.status}); expected ${expected}`,
      });
  }

  // Pre-auths still held: past their trip's close + grace, or (no trip closed them) past their expiry.
  const open = await db.query<{
    authorization_id: string;
    auth_event_id: string;
    trip_id: string | null;
    closed_at: Date | null;
    expires_at: Date;
  }>(
    `SELECT a.authorization_id, a.auth_event_id, a.expires_at, p.trip_id, p.updated_at AS closed_at
       FROM payment_authorizations a
       LEFT JOIN purchases p ON p.status = ANY($1::text[])
            AND p.request -> 'shoppingTrip' -> 'authEvents' @> jsonb_build_array(jsonb_build_object('id', a.auth_event_id))
      WHERE a.status = 'AUTHORIZED' AND ($2::text IS NULL OR a.store_id = $2) AND ($3::timestamptz IS NULL OR a.created_at >= $3)`,
    [CLOSED, storeId, since],
  );
  for (const a of open) {
    if (a.closed_at && new Date(a.closed_at) < cutoff)
      violations.push({
        kind: 'AUTHORIZATION_LEFT_OPEN',
        tripId: a.trip_id,
        detail: `authorization ${a.authorization_id} (auth event ${a.auth_event_id}) is still AUTHORIZED; its trip closed at ${new Date(a.closed_at).toISOString()}`,
      });
    else if (!a.closed_at && new Date(a.expires_at) < cutoff)
      violations.push({
        kind: 'AUTHORIZATION_LEFT_OPEN',
        tripId: null,
        detail: `authorization ${a.authorization_id} (auth event ${a.auth_event_id}) is still AUTHORIZED past its expiry ${new Date(a.expires_at).toISOString()}`,
      });
  }

  // One step, one key, one move.
  const scope = `($1::text IS NULL OR l.trip_id IN (SELECT trip_id FROM purchases WHERE store_id = $1)) AND ($2::timestamptz IS NULL OR l.created_at >= $2)`;
  for (const r of await db.query<{ trip_id: string | null; authorization_id: string; keys: string[] }>(
    `SELECT min(l.trip_id) AS trip_id, l.authorization_id, array_agg(l.idempotency_key ORDER BY l.entry_id) AS keys
       FROM payment_ledger l WHERE l.operation = 'CAPTURE' AND l.outcome = 'APPROVED' AND ${scope}
      GROUP BY l.authorization_id HAVING count(*) > 1`,
    [storeId, since],
  ))
    violations.push({
      kind: 'MONEY_MOVED_TWICE',
      tripId: r.trip_id,
      detail: `authorization ${r.authorization_id} was captured under ${r.keys.length} keys: ${r.keys.join(', ')}`,
    });
  for (const r of await db.query<{ trip_id: string | null; payment_id: string; keys: string[] }>(
    `SELECT min(l.trip_id) AS trip_id, l.payment_id, array_agg(l.idempotency_key ORDER BY l.entry_id) AS keys
       FROM payment_ledger l WHERE l.payment_id IS NOT NULL AND l.outcome = 'APPROVED' AND ${scope}
      GROUP BY l.payment_id HAVING count(*) > 1`,
    [storeId, since],
  ))
    violations.push({
      kind: 'MONEY_MOVED_TWICE',
      tripId: r.trip_id,
      detail: `the gateway's payment ${r.payment_id} is recorded under ${r.keys.length} keys: ${r.keys.join(', ')}`,
    });
  for (const r of await db.query<{
    trip_id: string | null;
    refund_of: string;
    refunded: string | number;
    taken: string | number;
  }>(
    `SELECT min(l.trip_id) AS trip_id, l.refund_of, sum(l.amount_minor) AS refunded,
            (SELECT coalesce(sum(t.amount_minor), 0) FROM payment_ledger t
              WHERE t.outcome = 'APPROVED' AND ((t.operation = 'CAPTURE' AND t.authorization_id = l.refund_of)
                                             OR (t.operation = 'CHARGE' AND t.payment_id = l.refund_of))) AS taken
       FROM payment_ledger l WHERE l.operation = 'REFUND' AND l.outcome = 'APPROVED' AND ${scope}
      GROUP BY l.refund_of`,
    [storeId, since],
  ))
    if (Number(r.refunded) > Number(r.taken))
      violations.push({
        kind: 'MONEY_MOVED_TWICE',
        tripId: r.trip_id,
        detail: `payment ${r.refund_of} took ${r.taken} and was refunded ${r.refunded}`,
      });

  for (const r of await db.query<{
    trip_id: string | null;
    idempotency_key: string;
    operation: string;
    created_at: Date;
  }>(
    `SELECT l.trip_id, l.idempotency_key, l.operation, l.created_at FROM payment_ledger l
      WHERE l.outcome = 'PENDING' AND l.created_at < $3 AND ${scope}`,
    [storeId, since, cutoff],
  ))
    violations.push({
      kind: 'OUTCOME_UNKNOWN',
      tripId: r.trip_id,
      detail: `${r.operation} ${r.idempotency_key} has had no answer from the gateway since ${new Date(r.created_at).toISOString()}: replay or rerun it (same key) to settle it`,
    });

  return { tripsChecked: trips.length, violations };
}
