/**
 * Stores, shoppers and their recognition tokens, and the gate decisions taken for them.
 * The built-in identity store is these PostgreSQL tables; a retailer with its own CIAM replaces
 * this module behind the same functions.
 */
import { createHash } from 'node:crypto';
import type { GateDecision } from '../../domain/entryDecision';
import type { RecognitionRecord, Shopper, Store, VisitorType } from '../../domain/identity';
import type { Queryable } from '../db/database';

// The identity types are the domain's; re-exported for the callers that load them from here.
export type { RecognitionRecord, Shopper, Store, VisitorType };

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

const SHOPPER_COLUMNS = `s.shopper_id, s.display_name, s.visitor_type, s.status, s.flagged_reason, s.payment_token, s.payment_expiry, s.payment_customer_id,
  EXISTS (SELECT 1 FROM debts d WHERE d.shopper_id = s.shopper_id AND d.settled_at IS NULL) AS has_open_debt`;

function toShopper(row: any): Shopper {
  return {
    shopperId: row.shopper_id,
    displayName: row.display_name,
    visitorType: row.visitor_type,
    status: row.status,
    flaggedReason: row.flagged_reason,
    paymentToken: row.payment_token,
    paymentExpiry: row.payment_expiry,
    paymentCustomerId: row.payment_customer_id ?? null,
    hasOpenDebt: row.has_open_debt,
  };
}

const toStore = (row: any): Store => ({
  storeId: row.store_id,
  name: row.name,
  retailerId: row.retailer_id,
  currency: row.currency,
  taxInclusive: row.tax_inclusive,
  preauthAmountMinor: Number(row.preauth_amount_minor),
  timeZone: row.time_zone,
  live: row.live,
  badCartDeadline: row.bad_cart_deadline,
  badCartDefaultDecision: row.bad_cart_default_decision,
  scanKeyPrefix: row.scan_key_prefix,
});

export async function findStore(db: Queryable, storeId: string): Promise<Store | null> {
  const [row] = await db.query<any>('SELECT * FROM stores WHERE store_id = $1', [storeId]);
  return row ? toStore(row) : null;
}

export async function listStores(db: Queryable): Promise<Store[]> {
  return (await db.query<any>('SELECT * FROM stores ORDER BY store_id')).map(toStore);
}

export async function findShopper(db: Queryable, shopperId: string): Promise<Shopper | null> {
  const [row] = await db.query(`SELECT ${SHOPPER_COLUMNS} FROM shoppers s WHERE s.shopper_id = $1`, [shopperId]);
  return row ? toShopper(row) : null;
}

export async function findShopperByAppToken(db: Queryable, bearerToken: string): Promise<Shopper | null> {
  const [row] = await db.query(`SELECT ${SHOPPER_COLUMNS} FROM shoppers s WHERE s.app_token_sha256 = $1`, [
    sha256(bearerToken),
  ]);
  return row ? toShopper(row) : null;
}

export async function findRecognitionRecord(db: Queryable, token: string): Promise<RecognitionRecord | null> {
  const [row] = await db.query<any>(
    `SELECT t.token, t.revoked_at, t.consumed_by_auth_event, ${SHOPPER_COLUMNS}
       FROM recognition_tokens t JOIN shoppers s ON s.shopper_id = t.shopper_id WHERE t.token = $1`,
    [token],
  );
  if (!row) return null;
  const { revoked_at: revokedAt, consumed_by_auth_event: consumedByAuthEvent } = row;
  return { token: row.token, shopper: toShopper(row), revokedAt, consumedByAuthEvent };
}

export async function createRecognitionToken(
  db: Queryable,
  token: string,
  shopperId: string,
  issuedAt: Date,
  expiresAt: Date,
): Promise<void> {
  await db.query('INSERT INTO recognition_tokens (token, shopper_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)', [
    token,
    shopperId,
    issuedAt,
    expiresAt,
  ]);
}

function toGateDecision(row: any): GateDecision {
  const common = {
    authEventId: row.auth_event_id,
    requestId: row.request_id,
    storeId: row.store_id,
    keySha256: row.key_sha256,
  };
  // The table's CHECK makes reason set exactly on the rows that refused entry.
  return row.reason === null
    ? { ...common, allowed: true, shopperId: row.shopper_id, visitorType: row.visitor_type }
    : { ...common, allowed: false, reason: row.reason };
}

export async function findGateDecision(db: Queryable, authEventId: string): Promise<GateDecision | null> {
  const [row] = await db.query<any>('SELECT * FROM gate_decisions WHERE auth_event_id = $1', [authEventId]);
  return row ? toGateDecision(row) : null;
}

export async function findGateDecisions(db: Queryable, authEventIds: string[]): Promise<GateDecision[]> {
  if (authEventIds.length === 0) return [];
  return (
    await db.query<any>('SELECT * FROM gate_decisions WHERE auth_event_id = ANY($1::text[])', [authEventIds])
  ).map(toGateDecision);
}

/**
 * Records a decision unless one exists for the authEvent (a retry, or a concurrent duplicate that
 * won the race); letting the shopper in also consumes the recognition token, in the same
 * transaction. Returns the decision that stands and whether it is the one just made.
 */
export async function recordGateDecision(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  decision: GateDecision,
  token: string | null,
  /** Runs in the same transaction when this decision is the first for its auth event (the outbox row). */
  onFirstDecision?: (tx: Queryable) => Promise<void>,
): Promise<{ decision: GateDecision; created: boolean }> {
  return db.transaction(async (tx) => {
    const allowed = decision.allowed ? decision : null;
    const reason = decision.allowed ? null : decision.reason;
    // status stays written (200 or 401) so operators' SQL over the table keeps working; the decision
    // is read back from reason, shopper_id and visitor_type. No HTTP body is stored (migration 15).
    const inserted = await tx.query(
      `INSERT INTO gate_decisions
         (auth_event_id, request_id, store_id, key_sha256, status, reason, shopper_id, visitor_type)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (auth_event_id) DO NOTHING RETURNING auth_event_id`,
      [
        decision.authEventId,
        decision.requestId,
        decision.storeId,
        decision.keySha256,
        allowed ? 200 : 401,
        reason,
        allowed?.shopperId ?? null,
        allowed?.visitorType ?? null,
      ],
    );
    if (inserted.length === 0) return { decision: (await findGateDecision(tx, decision.authEventId))!, created: false };
    if (token && decision.allowed) {
      const consumed = await tx.query(
        'UPDATE recognition_tokens SET consumed_by_auth_event = $2 WHERE token = $1 AND consumed_by_auth_event IS NULL RETURNING token',
        [token, decision.authEventId],
      );
      if (consumed.length === 0) throw new TokenAlreadyConsumedError();
    }
    await onFirstDecision?.(tx);
    return { decision, created: true };
  });
}

export class TokenAlreadyConsumedError extends Error {
  constructor() {
    super('recognition token already used by another entry');
    this.name = 'TokenAlreadyConsumedError';
  }
}

/** Inserts or replaces the store; settings left out keep their column defaults (insert) or values (update). */
export async function upsertStore(db: Queryable, store: Store): Promise<void> {
  await db.query(
    `INSERT INTO stores (store_id, name, retailer_id, currency, tax_inclusive, preauth_amount_minor, time_zone, live,
                         bad_cart_deadline, bad_cart_default_decision, scan_key_prefix)
     VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, 'UTC'), COALESCE($8, true), $9, $10, $11)
     ON CONFLICT (store_id) DO UPDATE SET name = $2, retailer_id = $3, currency = $4, tax_inclusive = $5,
       preauth_amount_minor = $6, time_zone = COALESCE($7, stores.time_zone), live = COALESCE($8, stores.live),
       bad_cart_deadline = $9, bad_cart_default_decision = $10, scan_key_prefix = $11, updated_at = now()`,
    [
      store.storeId,
      store.name,
      store.retailerId,
      store.currency,
      store.taxInclusive,
      store.preauthAmountMinor,
      store.timeZone ?? null,
      store.live ?? null,
      store.badCartDeadline ?? null,
      store.badCartDefaultDecision ?? null,
      store.scanKeyPrefix ?? null,
    ],
  );
}

export interface NewShopper {
  shopperId: string;
  displayName: string;
  visitorType: VisitorType;
  /** The app's bearer token; only its SHA-256 is stored. */
  appToken?: string;
  paymentToken?: string | null;
  paymentExpiry?: string | null;
  flaggedReason?: string | null;
}

export async function upsertShopper(db: Queryable, s: NewShopper): Promise<void> {
  await db.query(
    `INSERT INTO shoppers (shopper_id, display_name, visitor_type, app_token_sha256, payment_token, payment_expiry, flagged_reason) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (shopper_id) DO UPDATE SET display_name = $2, visitor_type = $3, app_token_sha256 = $4, payment_token = $5, payment_expiry = $6, flagged_reason = $7`,
    [
      s.shopperId,
      s.displayName,
      s.visitorType,
      s.appToken ? sha256(s.appToken) : null,
      s.paymentToken ?? null,
      s.paymentExpiry ?? null,
      s.flaggedReason ?? null,
    ],
  );
}

/** Creates a shopper; false when the id is taken (nothing changed). */
export async function insertShopper(db: Queryable, s: NewShopper): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO shoppers (shopper_id, display_name, visitor_type, app_token_sha256, payment_token, payment_expiry, flagged_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (shopper_id) DO NOTHING RETURNING shopper_id`,
    [
      s.shopperId,
      s.displayName,
      s.visitorType,
      s.appToken ? sha256(s.appToken) : null,
      s.paymentToken ?? null,
      s.paymentExpiry ?? null,
      s.flaggedReason ?? null,
    ],
  );
  return rows.length > 0;
}

/** Sets (or with nulls removes) the shopper's payment method. */
export async function setPaymentMethod(
  db: Queryable,
  shopperId: string,
  paymentToken: string | null,
  paymentExpiry: string | null,
): Promise<void> {
  await db.query('UPDATE shoppers SET payment_token = $2, payment_expiry = $3 WHERE shopper_id = $1', [
    shopperId,
    paymentToken,
    paymentExpiry,
  ]);
}

/**
 * Keeps the shopper's customer at the payment gateway (Stripe: cus_…) unless they already have one;
 * answers the one kept (the first writer wins a race).
 */
export async function setPaymentCustomer(db: Queryable, shopperId: string, customerId: string): Promise<string | null> {
  const [row] = await db.query<{ payment_customer_id: string | null }>(
    'UPDATE shoppers SET payment_customer_id = coalesce(payment_customer_id, $2) WHERE shopper_id = $1 RETURNING payment_customer_id',
    [shopperId, customerId],
  );
  return row?.payment_customer_id ?? null;
}

/** Revokes the shopper's codes not used yet; returns how many. */
export async function revokeUnusedTokens(db: Queryable, shopperId: string): Promise<number> {
  const rows = await db.query(
    `UPDATE recognition_tokens SET revoked_at = now()
      WHERE shopper_id = $1 AND revoked_at IS NULL AND consumed_by_auth_event IS NULL RETURNING token`,
    [shopperId],
  );
  return rows.length;
}

/**
 * Deletes at most `limit` recognition tokens that expired before `before` (bounded work per call;
 * index recognition_tokens_expires, migration 14). An expired code is refused by the server clock
 * check before its token is looked up, so a purged token changes no answer; recorded gate decisions
 * are kept in gate_decisions, not here.
 */
export async function purgeExpiredTokens(db: Queryable, before: Date, limit: number): Promise<number> {
  const rows = await db.query(
    `DELETE FROM recognition_tokens WHERE token IN (
       SELECT token FROM recognition_tokens WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING token`,
    [before, limit],
  );
  return rows.length;
}

/** Sets (a reason) or clears (null) the shopper's flag; false for an unknown shopper. */
export async function setShopperFlag(db: Queryable, shopperId: string, reason: string | null): Promise<boolean> {
  const rows = await db.query('UPDATE shoppers SET flagged_reason = $2 WHERE shopper_id = $1 RETURNING shopper_id', [
    shopperId,
    reason,
  ]);
  return rows.length > 0;
}

/** Closes the account: the gate answers ACCOUNT_CLOSED and no Scan Key Code is issued; its unused codes are revoked. */
export async function closeShopper(db: Queryable, shopperId: string): Promise<void> {
  await db.query(`UPDATE shoppers SET status = 'CLOSED' WHERE shopper_id = $1`, [shopperId]);
  await db.query(
    'UPDATE recognition_tokens SET revoked_at = now() WHERE shopper_id = $1 AND revoked_at IS NULL AND consumed_by_auth_event IS NULL',
    [shopperId],
  );
}
