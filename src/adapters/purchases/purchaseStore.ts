/** Purchases, bad carts and debts in the connector's database. */
import type { Database, Queryable } from '../db/database';
import type { Receipt } from '../../domain/receipt';
import type { BadCartDecision, CartProblem, PurchaseStatus } from '../../shared/purchaseMessages';

export interface PurchaseRecord {
  tripId: string;
  purchaseId: string;
  storeId: string;
  requestSha256: string;
  request: unknown;
  shopperId: string | null;
  status: PurchaseStatus;
  totalMinor: number | null;
  currency: string | null;
  receipt: Receipt | null;
  failure: string | null;
  replays: { by: string; at: string; runId: string }[];
  createdAt: Date;
  updatedAt: Date;
}

function toPurchase(row: any): PurchaseRecord {
  return {
    tripId: row.trip_id,
    purchaseId: row.purchase_id,
    storeId: row.store_id,
    requestSha256: row.request_sha256,
    request: row.request,
    shopperId: row.shopper_id,
    status: row.status,
    totalMinor: row.total_minor,
    currency: row.currency,
    receipt: row.receipt,
    failure: row.failure,
    replays: row.replays,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts the trip's purchase unless it exists; returns the record that stands (first writer wins). */
export async function insertPurchaseOnce(
  db: Queryable,
  p: {
    tripId: string;
    purchaseId: string;
    storeId: string;
    requestSha256: string;
    request: unknown;
    shopperId: string | null;
  },
): Promise<{ record: PurchaseRecord; created: boolean }> {
  const inserted = await db.query(
    `INSERT INTO purchases (trip_id, purchase_id, store_id, request_sha256, request, shopper_id, status) VALUES ($1, $2, $3, $4, $5::jsonb, $6, 'RECEIVED')
     ON CONFLICT (trip_id) DO NOTHING RETURNING *`,
    [p.tripId, p.purchaseId, p.storeId, p.requestSha256, JSON.stringify(p.request), p.shopperId],
  );
  if (inserted.length) return { record: toPurchase(inserted[0]), created: true };
  return { record: (await findPurchase(db, p.tripId))!, created: false };
}

export async function findPurchase(db: Queryable, tripOrPurchaseId: string): Promise<PurchaseRecord | null> {
  const [row] = await db.query(
    "SELECT * FROM purchases WHERE trip_id = $1 OR (purchase_id = $1 AND purchase_id <> '') LIMIT 1",
    [tripOrPurchaseId],
  );
  return row ? toPurchase(row) : null;
}

export async function listPurchases(
  db: Queryable,
  filter: { status?: string; storeId?: string; since?: Date; limit?: number },
): Promise<PurchaseRecord[]> {
  const rows = await db.query(
    `SELECT * FROM purchases WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR store_id = $2) AND ($3::timestamptz IS NULL OR created_at >= $3)
     ORDER BY created_at DESC LIMIT $4`,
    [filter.status ?? null, filter.storeId ?? null, filter.since ?? null, filter.limit ?? 100],
  );
  return rows.map(toPurchase);
}

/** How a purchase ended; shopperId is the shopper the gate admitted (null: nobody), whose receipt it is. */
export async function updatePurchaseOutcome(
  db: Queryable,
  tripId: string,
  o: {
    status: PurchaseStatus;
    shopperId?: string | null;
    totalMinor?: number | null;
    currency?: string | null;
    receipt?: Receipt | null;
    failure?: string | null;
  },
): Promise<void> {
  await db.query(
    `UPDATE purchases SET status = $2, shopper_id = $3, total_minor = $4, currency = $5, receipt = $6::jsonb, failure = $7, updated_at = now() WHERE trip_id = $1`,
    [
      tripId,
      o.status,
      o.shopperId ?? null,
      o.totalMinor ?? null,
      o.currency ?? null,
      o.receipt ? JSON.stringify(o.receipt) : null,
      o.failure ?? null,
    ],
  );
}

export async function recordBadCart(
  db: Database,
  b: { tripId: string; storeId: string; problems: CartProblem[]; deadline: Date },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO bad_carts (trip_id, store_id, problems, status, deadline) VALUES ($1, $2, $3::jsonb, 'OPEN', $4)
       ON CONFLICT (trip_id) DO UPDATE SET problems = $3::jsonb, status = 'OPEN', deadline = $4, decision = NULL, decided_by = NULL, decided_at = NULL`,
      [b.tripId, b.storeId, JSON.stringify(b.problems), b.deadline],
    );
    await tx.query("UPDATE purchases SET status = 'BAD_CART', updated_at = now() WHERE trip_id = $1", [b.tripId]);
  });
}

export async function closeBadCart(
  db: Queryable,
  tripId: string,
  decision: BadCartDecision | { decision: string; operator: string },
): Promise<void> {
  await db.query(
    "UPDATE bad_carts SET status = 'RESOLVED', decision = $2::jsonb, decided_by = $3, decided_at = now() WHERE trip_id = $1",
    [tripId, JSON.stringify(decision), decision.operator],
  );
}

export async function listBadCarts(db: Queryable, status: 'OPEN' | 'RESOLVED' | null): Promise<any[]> {
  const rows = await db.query<any>(
    'SELECT * FROM bad_carts WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at',
    [status],
  );
  return rows.map((r) => ({
    tripId: r.trip_id,
    storeId: r.store_id,
    problems: r.problems,
    status: r.status,
    deadline: r.deadline,
    decision: r.decision,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  }));
}

/** A declined charge: the shopper owes it, and the gate answers 401 UNPAID_DEBT until it is settled. */
export async function recordDebt(
  db: Queryable,
  d: { tripId: string; shopperId: string; amountMinor: number; currency: string; reason: string },
): Promise<void> {
  await db.query(
    'INSERT INTO debts (trip_id, shopper_id, amount_minor, currency, reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (trip_id) DO NOTHING',
    [d.tripId, d.shopperId, d.amountMinor, d.currency, d.reason],
  );
}

export async function settleDebts(
  db: Queryable,
  shopperId: string,
): Promise<{ tripId: string; amountMinor: number }[]> {
  const rows = await db.query<any>(
    'UPDATE debts SET settled_at = now() WHERE shopper_id = $1 AND settled_at IS NULL RETURNING trip_id, amount_minor',
    [shopperId],
  );
  return rows.map((r) => ({ tripId: r.trip_id, amountMinor: r.amount_minor }));
}
