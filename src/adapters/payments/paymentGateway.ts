/**
 * The payment gateway behind the connector: authorize at entry, adjust, capture, void, and a
 * direct charge when no authorization exists. Every call carries an idempotency key derived
 * from the trip or auth event and the step, so a retried call never moves money twice.
 * Declines are results, not exceptions: they are business outcomes that must not be retried.
 * Exceptions mean "outcome unknown" (timeout, outage): retry with the same key.
 */
export type Outcome<T> = ({ outcome: 'APPROVED' } & T) | { outcome: 'DECLINED'; reason: string };

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

export interface PaymentGateway {
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
  }): Promise<Outcome<NoDetails>>;
  findAuthorizationsByAuthEvent(authEventIds: string[]): Promise<Authorization[]>;
}

export class GatewayUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GatewayUnavailableError';
  }
}
