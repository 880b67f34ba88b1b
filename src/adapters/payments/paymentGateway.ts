/**
 * The payment gateway behind the connector: authorize at entry, adjust, capture, void, a direct
 * charge when no authorization exists, and refunds. Every call carries an idempotency key derived
 * from the trip or auth event and the step, so a retried call never moves money twice.
 * Declines are results, not exceptions: they are business outcomes that must not be retried, and
 * each carries a typed code the gateway maps from its own answer (never from message text).
 * Exceptions mean "outcome unknown" (timeout, outage, rate limit): retry with the same key.
 *
 * A gateway is only the processor: the connector's own record of every call is the payment
 * ledger (ledger.ts), which wraps whichever gateway is configured (PAYMENT_GATEWAY).
 */

/** Why a payment was declined, whatever the gateway. */
export const DECLINE_CODES = [
  /** Not enough money or credit on the card. */
  'INSUFFICIENT_FUNDS',
  /** The issuer declined without a more precise reason (lost, stolen, do-not-honor, …). */
  'CARD_DECLINED',
  'EXPIRED_CARD',
  /** Wrong number, CVC or postal code on file. */
  'INCORRECT_CARD_DETAILS',
  /** The issuer or the gateway's risk checks suspect fraud. */
  'FRAUD_SUSPECTED',
  /** The issuer wants the shopper present (3-D Secure): impossible off-session. */
  'AUTHENTICATION_REQUIRED',
  /** The authorization lapsed (past its capture window) before it was captured. */
  'AUTHORIZATION_EXPIRED',
  /** The authorization was voided (cancelled) before it was captured. */
  'AUTHORIZATION_VOIDED',
  /** The authorization was already captured (or never approved): nothing more can be taken from it. */
  'AUTHORIZATION_CLOSED',
  /** A capture above what is authorized. */
  'AMOUNT_EXCEEDS_AUTHORIZATION',
  /** The card or network does not allow raising this authorization. */
  'INCREMENT_NOT_SUPPORTED',
  /** A refund above what was captured and not yet refunded. */
  'REFUND_EXCEEDS_CAPTURE',
  /** No usable payment method on file for the shopper. */
  'NO_PAYMENT_METHOD',
  /** The gateway or the issuer failed to process it and says so definitively. */
  'PROCESSING_ERROR',
] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

export interface Declined {
  outcome: 'DECLINED';
  code: DeclineCode;
  /** Human-readable, for operators and receipts only: never match on it, match on `code`. */
  reason: string;
}

export type Outcome<T> = ({ outcome: 'APPROVED' } & T) | Declined;

/** The authorization is gone (lapsed or voided): the money can only come from a direct charge now. */
export const authorizationLapsed = (code: DeclineCode): boolean =>
  code === 'AUTHORIZATION_EXPIRED' || code === 'AUTHORIZATION_VOIDED';

export interface AuthorizeRequest {
  idempotencyKey: string;
  shopperId: string;
  storeId: string;
  authEventId: string;
  paymentToken: string;
  amountMinor: number;
  currency: string;
}

export interface Authorization {
  authorizationId: string;
  shopperId: string;
  authEventId: string;
  authorizedMinor: number;
  capturedMinor: number;
  currency: string;
  status: 'AUTHORIZED' | 'CAPTURED' | 'VOIDED' | 'DECLINED';
  expiresAt: Date;
}

/** An outcome that carries nothing beyond approved or declined. */
export type NoDetails = Record<never, never>;

export interface RefundRequest {
  idempotencyKey: string;
  /** What is refunded: a captured authorization's id, or the paymentId a direct charge answered. */
  paymentId: string;
  amountMinor: number;
  currency: string;
  tripId: string;
  reason: string;
}

export interface PaymentGateway {
  /** `simulated`, `stripe`, …: recorded with every ledger entry. */
  readonly name: string;
  authorize(request: AuthorizeRequest): Promise<Outcome<{ authorizationId: string; expiresAt: Date }>>;
  /** Incremental authorization: raises (or lowers) the authorized amount to amountMinor. */
  adjust(request: {
    idempotencyKey: string;
    authorizationId: string;
    amountMinor: number;
    tripId: string;
  }): Promise<Outcome<NoDetails>>;
  /** Captures amountMinor (at most the authorized amount) and releases the rest. */
  capture(request: {
    idempotencyKey: string;
    authorizationId: string;
    amountMinor: number;
    tripId: string;
  }): Promise<Outcome<NoDetails>>;
  void(request: {
    idempotencyKey: string;
    authorizationId: string;
    tripId: string | null;
  }): Promise<Outcome<NoDetails>>;
  /** A sale without a prior authorization (the pre-auth was declined, expired or never placed). */
  charge(request: {
    idempotencyKey: string;
    shopperId: string;
    paymentToken: string;
    amountMinor: number;
    currency: string;
    tripId: string;
  }): Promise<Outcome<{ paymentId?: string }>>;
  /** Gives back part or all of what a capture or a charge took. */
  refund(request: RefundRequest): Promise<Outcome<{ refundId?: string }>>;
}

/** Outcome unknown (timeout, outage, rate limit): retry with the same idempotency key. */
export class GatewayUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayUnavailableError';
  }
}

/**
 * The gateway refused the request itself (invalid parameters, a key it saw with other parameters,
 * a wrong API key): retrying the same call cannot succeed, so activities do not retry it.
 */
export class PaymentRequestRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PaymentRequestRefused';
  }
}

/** The ledger refuses an idempotency key used again with different parameters (never answers it with the first outcome). */
export class IdempotencyKeyReused extends Error {
  constructor(
    readonly idempotencyKey: string,
    readonly differences: string[],
  ) {
    super(`idempotency key ${idempotencyKey} was used before with a different ${differences.join(', ')}`);
    this.name = 'IdempotencyKeyReused';
  }
}
