/**
 * The built-in gateway: a simulated processor whose state is a durable ledger in the
 * connector's database (payment_authorizations + payment_ledger). Idempotency keys are unique
 * in the ledger, so a repeated call returns the recorded outcome and moves nothing.
 *
 * Failure injection, by payment token (demo and test cards):
 *   tok_decline           every authorization and charge is declined ("card declined")
 *   tok_decline_capture   authorizes, but adjust/capture/charge are declined ("insufficient funds")
 *   tok_decline_increase  authorizes and captures, but raising an authorization is declined
 *   tok_timeout_once      each operation is recorded, then the first response for its key is
 *                         lost (GatewayUnavailableError): the retry must find it already done
 * Any other token is approved.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database';
import {
  GatewayUnavailableError,
  type Authorization,
  type AuthorizeRequest,
  type NoDetails,
  type Outcome,
  type PaymentGateway,
} from './paymentGateway';

/** Card networks keep an authorization for about 7 days; the entry workflow voids well before that. */
const AUTHORIZATION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

type Operation = 'AUTHORIZE' | 'ADJUST' | 'CAPTURE' | 'VOID' | 'REFUND';

interface LedgerEntry {
  outcome: 'APPROVED' | 'DECLINED';
  authorization_id: string | null;
  decline_reason: string | null;
}

function toAuthorization(row: any): Authorization {
  return {
    authorizationId: row.authorization_id,
    shopperId: row.shopper_id,
    authEventId: row.auth_event_id,
    authorizedMinor: row.authorized_minor,
    capturedMinor: row.captured_minor,
    currency: row.currency,
    status: row.status,
    expiresAt: row.expires_at,
  };
}

export function createSimulatedGateway(db: Database, options: { now?: () => Date } = {}): PaymentGateway {
  const now = options.now ?? (() => new Date());
  const lostOnce = new Set<string>();

  /** The simulated network: a timeout-once card loses the first response of each key after the work is done. */
  function deliver<T>(token: string, key: string, result: T): T {
    if (token === 'tok_timeout_once' && !lostOnce.has(key)) {
      lostOnce.add(key);
      throw new GatewayUnavailableError(`gateway timeout (simulated) for ${key}`);
    }
    return result;
  }

  function asOutcome(entry: LedgerEntry): Outcome<NoDetails> {
    return entry.outcome === 'APPROVED'
      ? { outcome: 'APPROVED' }
      : { outcome: 'DECLINED', reason: entry.decline_reason ?? 'declined' };
  }

  async function recorded(tx: Queryable, key: string): Promise<LedgerEntry | undefined> {
    const [row] = await tx.query<LedgerEntry>(
      'SELECT outcome, authorization_id, decline_reason FROM payment_ledger WHERE idempotency_key = $1',
      [key],
    );
    return row;
  }

  async function record(
    tx: Queryable,
    e: {
      key: string;
      operation: Operation;
      outcome: 'APPROVED' | 'DECLINED';
      authorizationId: string | null;
      shopperId: string;
      tripId: string | null;
      amountMinor: number;
      currency: string;
      declineReason?: string;
    },
  ) {
    await tx.query(
      `INSERT INTO payment_ledger (idempotency_key, operation, outcome, authorization_id, shopper_id, trip_id, amount_minor, currency, decline_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        e.key,
        e.operation,
        e.outcome,
        e.authorizationId,
        e.shopperId,
        e.tripId,
        e.amountMinor,
        e.currency,
        e.declineReason ?? null,
      ],
    );
  }

  async function lockAuthorization(tx: Queryable, authorizationId: string): Promise<any> {
    const [row] = await tx.query<any>('SELECT * FROM payment_authorizations WHERE authorization_id = $1 FOR UPDATE', [
      authorizationId,
    ]);
    if (!row) throw new Error(`unknown authorization ${authorizationId}`);
    return row;
  }

  /** One operation on an existing authorization, exactly once per idempotency key. */
  async function onAuthorization(
    operation: Operation,
    key: string,
    authorizationId: string,
    tripId: string | null,
    apply: (
      tx: Queryable,
      auth: any,
    ) => Promise<{ outcome: 'APPROVED' | 'DECLINED'; amountMinor: number; declineReason?: string }>,
  ): Promise<Outcome<NoDetails>> {
    let token = '';
    const result = await db.transaction(async (tx) => {
      const auth = await lockAuthorization(tx, authorizationId);
      token = auth.payment_token;
      const existing = await recorded(tx, key);
      if (existing) return asOutcome(existing);
      const applied = await apply(tx, auth);
      await record(tx, {
        key,
        operation,
        outcome: applied.outcome,
        authorizationId,
        shopperId: auth.shopper_id,
        tripId,
        amountMinor: applied.amountMinor,
        currency: auth.currency,
        declineReason: applied.declineReason,
      });
      return applied.outcome === 'APPROVED'
        ? ({ outcome: 'APPROVED' } as const)
        : ({ outcome: 'DECLINED', reason: applied.declineReason ?? 'declined' } as const);
    });
    return deliver(token, key, result);
  }

  const closed = (auth: any) => auth.status !== 'AUTHORIZED' || new Date(auth.expires_at) <= now();

  return {
    async authorize(request: AuthorizeRequest) {
      const result = await db.transaction(async (tx) => {
        const existing = await recorded(tx, request.idempotencyKey);
        if (existing) {
          if (existing.outcome === 'DECLINED')
            return { outcome: 'DECLINED', reason: existing.decline_reason ?? 'declined' } as const;
          const [auth] = await tx.query<any>(
            'SELECT expires_at FROM payment_authorizations WHERE authorization_id = $1',
            [existing.authorization_id],
          );
          return {
            outcome: 'APPROVED',
            authorizationId: existing.authorization_id!,
            expiresAt: new Date(auth.expires_at),
          } as const;
        }
        const declined = request.paymentToken === 'tok_decline';
        const authorizationId = `auth_${randomUUID()}`;
        const expiresAt = new Date(now().getTime() + AUTHORIZATION_LIFETIME_MS);
        await tx.query(
          `INSERT INTO payment_authorizations (authorization_id, idempotency_key, shopper_id, store_id, auth_event_id, payment_token, currency, authorized_minor, status, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            authorizationId,
            request.idempotencyKey,
            request.shopperId,
            request.storeId,
            request.authEventId,
            request.paymentToken,
            request.currency,
            declined ? 0 : request.amountMinor,
            declined ? 'DECLINED' : 'AUTHORIZED',
            expiresAt,
          ],
        );
        await record(tx, {
          key: request.idempotencyKey,
          operation: 'AUTHORIZE',
          outcome: declined ? 'DECLINED' : 'APPROVED',
          authorizationId,
          shopperId: request.shopperId,
          tripId: null,
          amountMinor: request.amountMinor,
          currency: request.currency,
          declineReason: declined ? 'card declined' : undefined,
        });
        return declined
          ? ({ outcome: 'DECLINED', reason: 'card declined' } as const)
          : ({ outcome: 'APPROVED', authorizationId, expiresAt } as const);
      });
      return deliver(request.paymentToken, request.idempotencyKey, result);
    },

    adjust({ idempotencyKey, authorizationId, amountMinor, tripId }) {
      return onAuthorization('ADJUST', idempotencyKey, authorizationId, tripId, async (tx, auth) => {
        if (closed(auth))
          return {
            outcome: 'DECLINED',
            amountMinor,
            declineReason: `authorization is ${auth.status === 'AUTHORIZED' ? 'expired' : auth.status.toLowerCase()}`,
          };
        if (
          amountMinor > auth.authorized_minor &&
          ['tok_decline_capture', 'tok_decline_increase'].includes(auth.payment_token)
        )
          return { outcome: 'DECLINED', amountMinor, declineReason: 'insufficient funds' };
        await tx.query(
          'UPDATE payment_authorizations SET authorized_minor = $2, updated_at = now() WHERE authorization_id = $1',
          [authorizationId, amountMinor],
        );
        return { outcome: 'APPROVED', amountMinor };
      });
    },

    capture({ idempotencyKey, authorizationId, amountMinor, tripId }) {
      return onAuthorization('CAPTURE', idempotencyKey, authorizationId, tripId, async (tx, auth) => {
        if (closed(auth))
          return {
            outcome: 'DECLINED',
            amountMinor,
            declineReason: `authorization is ${auth.status === 'AUTHORIZED' ? 'expired' : auth.status.toLowerCase()}`,
          };
        if (amountMinor > auth.authorized_minor)
          return { outcome: 'DECLINED', amountMinor, declineReason: 'amount exceeds the authorization' };
        if (auth.payment_token === 'tok_decline_capture')
          return { outcome: 'DECLINED', amountMinor, declineReason: 'insufficient funds' };
        await tx.query(
          "UPDATE payment_authorizations SET captured_minor = $2, status = 'CAPTURED', updated_at = now() WHERE authorization_id = $1",
          [authorizationId, amountMinor],
        );
        return { outcome: 'APPROVED', amountMinor };
      });
    },

    void({ idempotencyKey, authorizationId, tripId }) {
      return onAuthorization('VOID', idempotencyKey, authorizationId, tripId, async (tx, auth) => {
        // Voiding what is already closed is a no-op, approved: the money is not held either way.
        if (auth.status !== 'AUTHORIZED') return { outcome: 'APPROVED', amountMinor: 0 };
        await tx.query(
          "UPDATE payment_authorizations SET status = 'VOIDED', updated_at = now() WHERE authorization_id = $1",
          [authorizationId],
        );
        return { outcome: 'APPROVED', amountMinor: auth.authorized_minor };
      });
    },

    async charge({ idempotencyKey, shopperId, paymentToken, amountMinor, currency, tripId }) {
      const result = await db.transaction(async (tx) => {
        const existing = await recorded(tx, idempotencyKey);
        if (existing) return asOutcome(existing);
        const declineReason =
          paymentToken === 'tok_decline'
            ? 'card declined'
            : paymentToken === 'tok_decline_capture'
              ? 'insufficient funds'
              : undefined;
        await record(tx, {
          key: idempotencyKey,
          operation: 'CAPTURE',
          outcome: declineReason ? 'DECLINED' : 'APPROVED',
          authorizationId: null,
          shopperId,
          tripId,
          amountMinor,
          currency,
          declineReason,
        });
        return declineReason
          ? ({ outcome: 'DECLINED', reason: declineReason } as const)
          : ({ outcome: 'APPROVED' } as const);
      });
      return deliver(paymentToken, idempotencyKey, result);
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
