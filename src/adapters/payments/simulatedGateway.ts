/**
 * The built-in gateway: a simulated processor whose own state lives in the connector's database
 * (simulated_gateway_authorizations + simulated_gateway_operations), the way a real processor keeps
 * its own. The connector's payment ledger (ledger.ts) records every call on top of it, as for any
 * gateway. Idempotency keys are unique in the simulator's operations, so a repeated call returns
 * the recorded outcome and moves nothing.
 *
 * Failure injection, by payment token (demo and test cards):
 *   tok_decline           every authorization and charge is declined (CARD_DECLINED)
 *   tok_decline_capture   authorizes, but adjust/capture/charge are declined (INSUFFICIENT_FUNDS)
 *   tok_decline_increase  authorizes and captures, but raising an authorization is declined
 *   tok_timeout_once      each operation is recorded, then the first response for its key is
 *                         lost (GatewayUnavailableError): the retry must find it already done
 * Any other token is approved.
 */
import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database';
import {
  GatewayUnavailableError,
  type AuthorizeRequest,
  type DeclineCode,
  type NoDetails,
  type Outcome,
  type PaymentGateway,
} from './paymentGateway';

/** Card networks keep an authorization for about 7 days; the entry workflow voids well before that. */
const AUTHORIZATION_LIFETIME_MS = 7 * 24 * 3600 * 1000;

type Operation = 'AUTHORIZE' | 'ADJUST' | 'CAPTURE' | 'VOID' | 'CHARGE' | 'REFUND';

interface OperationRow {
  outcome: 'APPROVED' | 'DECLINED';
  authorization_id: string | null;
  payment_id: string | null;
  decline_code: DeclineCode | null;
  decline_reason: string | null;
}

type Applied =
  | { outcome: 'APPROVED'; amountMinor: number }
  | { outcome: 'DECLINED'; amountMinor: number; code: DeclineCode; reason: string };

const declined = (code: DeclineCode, reason: string) => ({ outcome: 'DECLINED', code, reason }) as const;

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

  function asOutcome(row: OperationRow): Outcome<NoDetails> {
    return row.outcome === 'APPROVED'
      ? { outcome: 'APPROVED' }
      : declined(row.decline_code ?? 'PROCESSING_ERROR', row.decline_reason ?? 'declined');
  }

  async function recorded(tx: Queryable, key: string): Promise<OperationRow | undefined> {
    const [row] = await tx.query<OperationRow>(
      'SELECT outcome, authorization_id, payment_id, decline_code, decline_reason FROM simulated_gateway_operations WHERE idempotency_key = $1',
      [key],
    );
    return row;
  }

  async function record(
    tx: Queryable,
    e: {
      key: string;
      operation: Operation;
      applied: Applied;
      authorizationId: string | null;
      paymentId?: string | null;
      currency: string;
    },
  ) {
    await tx.query(
      `INSERT INTO simulated_gateway_operations (idempotency_key, operation, outcome, authorization_id, payment_id, amount_minor, currency, decline_code, decline_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        e.key,
        e.operation,
        e.applied.outcome,
        e.authorizationId,
        e.paymentId ?? null,
        e.applied.amountMinor,
        e.currency,
        e.applied.outcome === 'DECLINED' ? e.applied.code : null,
        e.applied.outcome === 'DECLINED' ? e.applied.reason : null,
      ],
    );
  }

  async function lockAuthorization(tx: Queryable, authorizationId: string): Promise<any> {
    const [row] = await tx.query<any>(
      'SELECT * FROM simulated_gateway_authorizations WHERE authorization_id = $1 FOR UPDATE',
      [authorizationId],
    );
    if (!row) throw new Error(`unknown authorization ${authorizationId}`);
    return row;
  }

  /** One operation on an existing authorization, exactly once per idempotency key. */
  async function onAuthorization(
    operation: Operation,
    key: string,
    authorizationId: string,
    apply: (tx: Queryable, auth: any) => Promise<Applied>,
  ): Promise<Outcome<NoDetails>> {
    let token = '';
    const result = await db.transaction(async (tx) => {
      const auth = await lockAuthorization(tx, authorizationId);
      token = auth.payment_token;
      const existing = await recorded(tx, key);
      if (existing) return asOutcome(existing);
      const applied = await apply(tx, auth);
      await record(tx, { key, operation, applied, authorizationId, currency: auth.currency });
      return applied.outcome === 'APPROVED'
        ? ({ outcome: 'APPROVED' } as const)
        : declined(applied.code, applied.reason);
    });
    return deliver(token, key, result);
  }

  /** Why an authorization can take no more operations, or null while it is open. */
  function closedBecause(auth: any, amountMinor: number): Applied | null {
    if (auth.status === 'AUTHORIZED' && new Date(auth.expires_at) > now()) return null;
    if (auth.status === 'AUTHORIZED')
      return { outcome: 'DECLINED', amountMinor, code: 'AUTHORIZATION_EXPIRED', reason: 'authorization is expired' };
    if (auth.status === 'VOIDED')
      return { outcome: 'DECLINED', amountMinor, code: 'AUTHORIZATION_VOIDED', reason: 'authorization is voided' };
    return {
      outcome: 'DECLINED',
      amountMinor,
      code: 'AUTHORIZATION_CLOSED',
      reason: `authorization is ${String(auth.status).toLowerCase()}`,
    };
  }

  return {
    name: 'simulated',

    async authorize(request: AuthorizeRequest) {
      const result = await db.transaction(async (tx) => {
        const existing = await recorded(tx, request.idempotencyKey);
        if (existing) {
          if (existing.outcome === 'DECLINED') return asOutcome(existing) as Outcome<never>;
          const [auth] = await tx.query<any>(
            'SELECT expires_at FROM simulated_gateway_authorizations WHERE authorization_id = $1',
            [existing.authorization_id],
          );
          return {
            outcome: 'APPROVED',
            authorizationId: existing.authorization_id!,
            expiresAt: new Date(auth.expires_at),
          } as const;
        }
        const refused = request.paymentToken === 'tok_decline';
        const authorizationId = `auth_${randomUUID()}`;
        const expiresAt = new Date(now().getTime() + AUTHORIZATION_LIFETIME_MS);
        await tx.query(
          `INSERT INTO simulated_gateway_authorizations (authorization_id, payment_token, shopper_id, currency, authorized_minor, status, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            authorizationId,
            request.paymentToken,
            request.shopperId,
            request.currency,
            refused ? 0 : request.amountMinor,
            refused ? 'DECLINED' : 'AUTHORIZED',
            expiresAt,
          ],
        );
        const applied: Applied = refused
          ? { outcome: 'DECLINED', amountMinor: request.amountMinor, code: 'CARD_DECLINED', reason: 'card declined' }
          : { outcome: 'APPROVED', amountMinor: request.amountMinor };
        await record(tx, {
          key: request.idempotencyKey,
          operation: 'AUTHORIZE',
          applied,
          authorizationId,
          currency: request.currency,
        });
        return applied.outcome === 'DECLINED'
          ? declined(applied.code, applied.reason)
          : ({ outcome: 'APPROVED', authorizationId, expiresAt } as const);
      });
      return deliver(request.paymentToken, request.idempotencyKey, result);
    },

    adjust({ idempotencyKey, authorizationId, amountMinor }) {
      return onAuthorization('ADJUST', idempotencyKey, authorizationId, async (tx, auth) => {
        const closed = closedBecause(auth, amountMinor);
        if (closed) return closed;
        if (
          amountMinor > Number(auth.authorized_minor) &&
          ['tok_decline_capture', 'tok_decline_increase'].includes(auth.payment_token)
        )
          return { outcome: 'DECLINED', amountMinor, code: 'INSUFFICIENT_FUNDS', reason: 'insufficient funds' };
        await tx.query(
          'UPDATE simulated_gateway_authorizations SET authorized_minor = $2, updated_at = now() WHERE authorization_id = $1',
          [authorizationId, amountMinor],
        );
        return { outcome: 'APPROVED', amountMinor };
      });
    },

    capture({ idempotencyKey, authorizationId, amountMinor }) {
      return onAuthorization('CAPTURE', idempotencyKey, authorizationId, async (tx, auth) => {
        const closed = closedBecause(auth, amountMinor);
        if (closed) return closed;
        if (amountMinor > Number(auth.authorized_minor))
          return {
            outcome: 'DECLINED',
            amountMinor,
            code: 'AMOUNT_EXCEEDS_AUTHORIZATION',
            reason: 'amount exceeds the authorization',
          };
        if (auth.payment_token === 'tok_decline_capture')
          return { outcome: 'DECLINED', amountMinor, code: 'INSUFFICIENT_FUNDS', reason: 'insufficient funds' };
        await tx.query(
          "UPDATE simulated_gateway_authorizations SET captured_minor = $2, status = 'CAPTURED', updated_at = now() WHERE authorization_id = $1",
          [authorizationId, amountMinor],
        );
        return { outcome: 'APPROVED', amountMinor };
      });
    },

    void({ idempotencyKey, authorizationId }) {
      return onAuthorization('VOID', idempotencyKey, authorizationId, async (tx, auth) => {
        // Voiding what is already closed is a no-op, approved: the money is not held either way.
        if (auth.status !== 'AUTHORIZED') return { outcome: 'APPROVED', amountMinor: 0 };
        await tx.query(
          "UPDATE simulated_gateway_authorizations SET status = 'VOIDED', updated_at = now() WHERE authorization_id = $1",
          [authorizationId],
        );
        return { outcome: 'APPROVED', amountMinor: Number(auth.authorized_minor) };
      });
    },

    async charge({ idempotencyKey, paymentToken, amountMinor, currency }) {
      const result = await db.transaction(async (tx) => {
        const existing = await recorded(tx, idempotencyKey);
        if (existing)
          return existing.outcome === 'APPROVED'
            ? { outcome: 'APPROVED' as const, paymentId: existing.payment_id ?? undefined }
            : (asOutcome(existing) as Outcome<never>);
        const applied: Applied =
          paymentToken === 'tok_decline'
            ? { outcome: 'DECLINED', amountMinor, code: 'CARD_DECLINED', reason: 'card declined' }
            : paymentToken === 'tok_decline_capture'
              ? { outcome: 'DECLINED', amountMinor, code: 'INSUFFICIENT_FUNDS', reason: 'insufficient funds' }
              : { outcome: 'APPROVED', amountMinor };
        const paymentId = applied.outcome === 'APPROVED' ? `sale_${randomUUID()}` : null;
        await record(tx, {
          key: idempotencyKey,
          operation: 'CHARGE',
          applied,
          authorizationId: null,
          paymentId,
          currency,
        });
        return applied.outcome === 'APPROVED'
          ? { outcome: 'APPROVED' as const, paymentId: paymentId! }
          : declined(applied.code, applied.reason);
      });
      return deliver(paymentToken, idempotencyKey, result);
    },

    async refund({ idempotencyKey, paymentId, amountMinor, currency }) {
      return db.transaction(async (tx) => {
        const existing = await recorded(tx, idempotencyKey);
        if (existing)
          return existing.outcome === 'APPROVED'
            ? { outcome: 'APPROVED' as const, refundId: existing.payment_id ?? undefined }
            : (asOutcome(existing) as Outcome<never>);
        // What the payment took: a captured authorization, or a sale.
        const [auth] = await tx.query<any>(
          'SELECT captured_minor FROM simulated_gateway_authorizations WHERE authorization_id = $1 FOR UPDATE',
          [paymentId],
        );
        const [sale] = auth
          ? []
          : await tx.query<any>(
              "SELECT amount_minor FROM simulated_gateway_operations WHERE payment_id = $1 AND operation = 'CHARGE' AND outcome = 'APPROVED'",
              [paymentId],
            );
        if (!auth && !sale) throw new Error(`unknown payment ${paymentId}`);
        const taken = Number(auth ? auth.captured_minor : sale.amount_minor);
        const [{ refunded }] = await tx.query<{ refunded: string | number }>(
          "SELECT coalesce(sum(amount_minor), 0) AS refunded FROM simulated_gateway_operations WHERE authorization_id = $1 AND operation = 'REFUND' AND outcome = 'APPROVED'",
          [paymentId],
        );
        const applied: Applied =
          amountMinor > taken - Number(refunded)
            ? {
                outcome: 'DECLINED',
                amountMinor,
                code: 'REFUND_EXCEEDS_CAPTURE',
                reason: 'refund exceeds what was captured',
              }
            : { outcome: 'APPROVED', amountMinor };
        const refundId = applied.outcome === 'APPROVED' ? `refund_${randomUUID()}` : null;
        // A refund's authorization_id is the payment it gives back (an authorization or a sale).
        await record(tx, {
          key: idempotencyKey,
          operation: 'REFUND',
          applied,
          authorizationId: paymentId,
          paymentId: refundId,
          currency,
        });
        return applied.outcome === 'APPROVED'
          ? { outcome: 'APPROVED' as const, refundId: refundId! }
          : declined(applied.code, applied.reason);
      });
    },
  };
}
