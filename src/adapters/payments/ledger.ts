/**
 * The connector's payment ledger: its own record of every call to the payment gateway, whatever
 * the gateway (PAYMENT_GATEWAY). Tables payment_ledger (one row per idempotency key: operation,
 * amount, currency, trip, authorization, outcome with its typed decline code) and
 * payment_authorizations (the connector's view of each pre-auth: authorized, captured, status).
 *
 * createLedgeredPayments(db, gateway) wraps a gateway so that each call is
 *   1. recorded PENDING under its idempotency key before the gateway sees it; a key already in the
 *      ledger with different parameters (amount, currency, authorization, operation) is refused
 *      (IdempotencyKeyReused), never answered with the first outcome;
 *   2. sent to the gateway; an exception (outcome unknown) leaves it PENDING, and the retry with
 *      the same key sends it again (the gateway's own idempotency answers it);
 *   3. settled APPROVED or DECLINED, once, with the authorization's state.
 * A key already settled is answered from the ledger without calling the gateway.
 *
 * Metrics, operator endpoints, receipts and the ledger audit read these tables (functions below),
 * never a gateway's own state.
 */
import type { Database, Queryable } from '../db/database';
import {
  IdempotencyKeyReused,
  type Authorization,
  type AuthorizeRequest,
  type DeclineCode,
  type NoDetails,
  type Outcome,
  type PaymentGateway,
  type RefundRequest,
} from './paymentGateway';

export type LedgerOperation = 'AUTHORIZE' | 'ADJUST' | 'CAPTURE' | 'VOID' | 'CHARGE' | 'REFUND';

/** The gateway as activities and use cases see it: every call recorded in the ledger, pre-auths read from it. */
export interface Payments extends PaymentGateway {
  findAuthorizationsByAuthEvent(authEventIds: string[]): Promise<Authorization[]>;
}

export interface LedgerEntry {
  idempotencyKey: string;
  operation: LedgerOperation;
  outcome: 'PENDING' | 'APPROVED' | 'DECLINED';
  gateway: string;
  authorizationId: string | null;
  paymentId: string | null;
  refundOf: string | null;
  shopperId: string;
  tripId: string | null;
  amountMinor: number;
  currency: string;
  declineCode: DeclineCode | null;
  declineReason: string | null;
  createdAt: Date;
}

interface Row {
  idempotency_key: string;
  operation: LedgerOperation;
  outcome: 'PENDING' | 'APPROVED' | 'DECLINED';
  gateway: string;
  authorization_id: string | null;
  payment_id: string | null;
  refund_of: string | null;
  shopper_id: string;
  trip_id: string | null;
  amount_minor: string | number;
  currency: string;
  decline_code: DeclineCode | null;
  decline_reason: string | null;
  created_at: Date;
}

const toEntry = (r: Row): LedgerEntry => ({
  idempotencyKey: r.idempotency_key,
  operation: r.operation,
  outcome: r.outcome,
  gateway: r.gateway,
  authorizationId: r.authorization_id,
  paymentId: r.payment_id,
  refundOf: r.refund_of,
  shopperId: r.shopper_id,
  tripId: r.trip_id,
  amountMinor: Number(r.amount_minor),
  currency: r.currency,
  declineCode: r.decline_code,
  declineReason: r.decline_reason,
  createdAt: r.created_at,
});

const toAuthorization = (row: any): Authorization => ({
  authorizationId: row.authorization_id,
  shopperId: row.shopper_id,
  authEventId: row.auth_event_id,
  authorizedMinor: Number(row.authorized_minor),
  capturedMinor: Number(row.captured_minor),
  currency: row.currency,
  status: row.status,
  expiresAt: row.expires_at,
});

/** What a call is, as the ledger records and compares it. */
interface Intent {
  key: string;
  operation: LedgerOperation;
  shopperId: string;
  tripId: string | null;
  authorizationId: string | null;
  refundOf?: string | null;
  /** null: not known before the gateway answers (a void releases whatever is held). */
  amountMinor: number | null;
  currency: string;
}

/** The parameters a reused key must repeat: trip ids are not compared (the entry and the purchase void the same pre-auth under one key). */
function differences(row: Row, intent: Intent): string[] {
  const found: string[] = [];
  if (row.operation !== intent.operation) found.push('operation');
  if ((row.authorization_id ?? null) !== intent.authorizationId && intent.operation !== 'AUTHORIZE')
    found.push('authorization');
  if ((row.refund_of ?? null) !== (intent.refundOf ?? null)) found.push('refunded payment');
  if (intent.amountMinor !== null && Number(row.amount_minor) !== intent.amountMinor) found.push('amount');
  if (row.currency !== intent.currency) found.push('currency');
  if (intent.operation === 'CHARGE' && row.shopper_id !== intent.shopperId) found.push('shopper');
  return found;
}

const recordedDecline = (row: Row) =>
  ({
    outcome: 'DECLINED',
    code: row.decline_code ?? 'PROCESSING_ERROR',
    reason: row.decline_reason ?? 'declined',
  }) as const;

export function createLedgeredPayments(db: Database, gateway: PaymentGateway): Payments {
  /** Step 1: the PENDING row, or the row this key already has (refused if its parameters differ). */
  async function begin(intent: Intent): Promise<Row | null> {
    const inserted = await db.query<{ idempotency_key: string }>(
      `INSERT INTO payment_ledger (idempotency_key, operation, outcome, gateway, authorization_id, refund_of, shopper_id, trip_id, amount_minor, currency)
       VALUES ($1, $2, 'PENDING', $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
      [
        intent.key,
        intent.operation,
        gateway.name,
        intent.authorizationId,
        intent.refundOf ?? null,
        intent.shopperId,
        intent.tripId,
        intent.amountMinor ?? 0,
        intent.currency,
      ],
    );
    if (inserted.length) return null;
    const [row] = await db.query<Row>('SELECT * FROM payment_ledger WHERE idempotency_key = $1', [intent.key]);
    const diff = differences(row, intent);
    if (diff.length) throw new IdempotencyKeyReused(intent.key, diff);
    return row;
  }

  /** Step 3: settles the PENDING row once; `apply` changes the authorization in the same transaction, on the first settlement only. */
  async function settle(
    key: string,
    outcome: Outcome<unknown>,
    extra: { amountMinor?: number; authorizationId?: string; paymentId?: string | null },
    apply?: (tx: Queryable) => Promise<void>,
  ): Promise<void> {
    await db.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE payment_ledger
            SET outcome = $2, decline_code = $3, decline_reason = $4,
                amount_minor = coalesce($5, amount_minor), authorization_id = coalesce($6, authorization_id),
                payment_id = coalesce($7, payment_id), updated_at = now()
          WHERE idempotency_key = $1 AND outcome = 'PENDING' RETURNING idempotency_key`,
        [
          key,
          outcome.outcome,
          outcome.outcome === 'DECLINED' ? outcome.code : null,
          outcome.outcome === 'DECLINED' ? outcome.reason : null,
          extra.amountMinor ?? null,
          extra.authorizationId ?? null,
          extra.paymentId ?? null,
        ],
      );
      if (updated.length && apply) await apply(tx);
    });
  }

  async function heldAuthorization(authorizationId: string): Promise<any> {
    const [row] = await db.query<any>('SELECT * FROM payment_authorizations WHERE authorization_id = $1', [
      authorizationId,
    ]);
    return row ?? null;
  }

  /** adjust, capture and void: a call on an authorization the ledger holds. */
  async function onAuthorization(
    operation: 'ADJUST' | 'CAPTURE' | 'VOID',
    request: { idempotencyKey: string; authorizationId: string; tripId: string | null; amountMinor: number | null },
    call: () => Promise<Outcome<NoDetails>>,
    onApproved: (tx: Queryable, auth: any) => Promise<void>,
  ): Promise<Outcome<NoDetails>> {
    const auth = await heldAuthorization(request.authorizationId);
    const existing = await begin({
      key: request.idempotencyKey,
      operation,
      shopperId: auth?.shopper_id ?? '',
      tripId: request.tripId,
      authorizationId: request.authorizationId,
      amountMinor: request.amountMinor,
      currency: auth?.currency ?? (await currencyOfKey(request.idempotencyKey)) ?? '',
    });
    if (existing && existing.outcome !== 'PENDING')
      return existing.outcome === 'APPROVED' ? { outcome: 'APPROVED' } : recordedDecline(existing);
    const result = await call();
    // A void releases what the authorization still held (nothing when it was already closed).
    const released =
      operation === 'VOID' && auth
        ? auth.status === 'AUTHORIZED'
          ? Number(auth.authorized_minor) - Number(auth.captured_minor)
          : 0
        : undefined;
    await settle(request.idempotencyKey, result, { amountMinor: released }, async (tx) => {
      if (result.outcome === 'APPROVED' && auth) await onApproved(tx, auth);
    });
    return result;
  }

  /** Without the authorization in the ledger (it never reached it), the currency a key was first recorded with. */
  async function currencyOfKey(key: string): Promise<string | null> {
    const [row] = await db.query<{ currency: string }>(
      'SELECT currency FROM payment_ledger WHERE idempotency_key = $1',
      [key],
    );
    return row?.currency ?? null;
  }

  return {
    name: gateway.name,

    async authorize(request: AuthorizeRequest) {
      const existing = await begin({
        key: request.idempotencyKey,
        operation: 'AUTHORIZE',
        shopperId: request.shopperId,
        tripId: null,
        authorizationId: null,
        amountMinor: request.amountMinor,
        currency: request.currency,
      });
      if (existing && existing.outcome === 'DECLINED') return recordedDecline(existing);
      if (existing && existing.outcome === 'APPROVED') {
        const auth = await heldAuthorization(existing.authorization_id!);
        return { outcome: 'APPROVED', authorizationId: auth.authorization_id, expiresAt: new Date(auth.expires_at) };
      }
      const result = await gateway.authorize(request);
      // A declined pre-auth is kept too (status DECLINED), so the trip sees that one was tried.
      const authorizationId =
        result.outcome === 'APPROVED' ? result.authorizationId : `declined:${request.idempotencyKey}`;
      await settle(request.idempotencyKey, result, { authorizationId }, async (tx) => {
        await tx.query(
          `INSERT INTO payment_authorizations (authorization_id, idempotency_key, shopper_id, store_id, auth_event_id, payment_token, currency, authorized_minor, status, expires_at, gateway)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
          [
            authorizationId,
            request.idempotencyKey,
            request.shopperId,
            request.storeId,
            request.authEventId,
            request.paymentToken,
            request.currency,
            result.outcome === 'APPROVED' ? request.amountMinor : 0,
            result.outcome === 'APPROVED' ? 'AUTHORIZED' : 'DECLINED',
            result.outcome === 'APPROVED' ? result.expiresAt : new Date(),
            gateway.name,
          ],
        );
      });
      return result;
    },

    adjust(request) {
      return onAuthorization(
        'ADJUST',
        request,
        () => gateway.adjust(request),
        async (tx) => {
          await tx.query(
            'UPDATE payment_authorizations SET authorized_minor = $2, updated_at = now() WHERE authorization_id = $1',
            [request.authorizationId, request.amountMinor],
          );
        },
      );
    },

    capture(request) {
      return onAuthorization(
        'CAPTURE',
        request,
        () => gateway.capture(request),
        async (tx) => {
          await tx.query(
            "UPDATE payment_authorizations SET captured_minor = $2, status = 'CAPTURED', updated_at = now() WHERE authorization_id = $1",
            [request.authorizationId, request.amountMinor],
          );
        },
      );
    },

    void(request) {
      return onAuthorization(
        'VOID',
        { ...request, amountMinor: null },
        () => gateway.void(request),
        async (tx) => {
          await tx.query(
            "UPDATE payment_authorizations SET status = 'VOIDED', updated_at = now() WHERE authorization_id = $1 AND status = 'AUTHORIZED'",
            [request.authorizationId],
          );
        },
      );
    },

    async charge(request) {
      const existing = await begin({
        key: request.idempotencyKey,
        operation: 'CHARGE',
        shopperId: request.shopperId,
        tripId: request.tripId,
        authorizationId: null,
        amountMinor: request.amountMinor,
        currency: request.currency,
      });
      if (existing && existing.outcome === 'DECLINED') return recordedDecline(existing);
      if (existing && existing.outcome === 'APPROVED')
        return { outcome: 'APPROVED', paymentId: existing.payment_id ?? undefined };
      const result = await gateway.charge(request);
      const paymentId =
        result.outcome === 'APPROVED' ? (result.paymentId ?? `${gateway.name}:${request.idempotencyKey}`) : null;
      await settle(request.idempotencyKey, result, { paymentId });
      return result.outcome === 'APPROVED' ? { outcome: 'APPROVED', paymentId: paymentId! } : result;
    },

    async refund(request: RefundRequest) {
      const [payer] = await db.query<{ shopper_id: string }>(
        'SELECT shopper_id FROM payment_ledger WHERE payment_id = $1 OR (authorization_id = $1 AND operation = $2) LIMIT 1',
        [request.paymentId, 'CAPTURE'],
      );
      const existing = await begin({
        key: request.idempotencyKey,
        operation: 'REFUND',
        shopperId: payer?.shopper_id ?? '',
        tripId: request.tripId,
        authorizationId: null,
        refundOf: request.paymentId,
        amountMinor: request.amountMinor,
        currency: request.currency,
      });
      if (existing && existing.outcome === 'DECLINED') return recordedDecline(existing);
      if (existing && existing.outcome === 'APPROVED')
        return { outcome: 'APPROVED', refundId: existing.payment_id ?? undefined };
      const result = await gateway.refund(request);
      await settle(request.idempotencyKey, result, {
        paymentId: result.outcome === 'APPROVED' ? (result.refundId ?? null) : null,
      });
      return result;
    },

    async findAuthorizationsByAuthEvent(authEventIds) {
      if (authEventIds.length === 0) return [];
      const rows = await db.query(
        'SELECT * FROM payment_authorizations WHERE auth_event_id = ANY($1::text[]) ORDER BY created_at',
        [authEventIds],
      );
      return rows.map(toAuthorization);
    },
  };
}

/** Every ledger entry of a trip, oldest first (receipts, `jwo purchases show`, the audit). */
export async function ledgerEntriesOfTrip(db: Queryable, tripId: string): Promise<LedgerEntry[]> {
  const rows = await db.query<Row>('SELECT * FROM payment_ledger WHERE trip_id = $1 ORDER BY entry_id', [tripId]);
  return rows.map(toEntry);
}

/** Approved money moves by operation and currency (the jwo_payment_amount_minor gauge). */
export async function approvedTotals(
  db: Queryable,
): Promise<{ operation: LedgerOperation; currency: string; totalMinor: number }[]> {
  const rows = await db.query<{ operation: LedgerOperation; currency: string; total: string | number }>(
    `SELECT operation, currency, sum(amount_minor)::bigint AS total FROM payment_ledger
      WHERE outcome = 'APPROVED' AND operation IN ('CAPTURE', 'CHARGE', 'VOID', 'REFUND') GROUP BY operation, currency`,
  );
  return rows.map((r) => ({ operation: r.operation, currency: r.currency, totalMinor: Number(r.total) }));
}

/** Pre-auths still held that expire within `hours`. */
export async function authorizationsNearingExpiry(db: Queryable, hours: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM payment_authorizations WHERE status = 'AUTHORIZED' AND expires_at < now() + make_interval(hours => $1::int)`,
    [hours],
  );
  return row.n;
}

/** What a trip's payments took, each with what was refunded of it (pending refunds count as refunded: they may have gone through). */
export interface TripPayment {
  /** What a refund names: the captured authorization's id, or the direct charge's payment id. */
  paymentId: string;
  operation: 'CAPTURE' | 'CHARGE';
  currency: string;
  takenMinor: number;
  refundedMinor: number;
}

export async function tripPayments(db: Queryable, tripId: string): Promise<TripPayment[]> {
  const entries = await ledgerEntriesOfTrip(db, tripId);
  const payments: TripPayment[] = entries
    .filter((e) => e.outcome === 'APPROVED' && (e.operation === 'CAPTURE' || e.operation === 'CHARGE'))
    .map((e) => ({
      paymentId: (e.operation === 'CAPTURE' ? e.authorizationId : e.paymentId) ?? e.idempotencyKey,
      operation: e.operation as 'CAPTURE' | 'CHARGE',
      currency: e.currency,
      takenMinor: e.amountMinor,
      refundedMinor: 0,
    }));
  for (const refund of entries.filter((e) => e.operation === 'REFUND' && e.outcome !== 'DECLINED')) {
    const payment = payments.find((p) => p.paymentId === refund.refundOf);
    if (payment) payment.refundedMinor += refund.amountMinor;
  }
  return payments;
}
