/**
 * Stripe as the payment gateway (PAYMENT_GATEWAY=stripe), on the official `stripe` package.
 *
 *   authorize  PaymentIntent, capture_method manual, confirmed off-session against the shopper's
 *              saved customer (shoppers.payment_customer_id) and payment method (payment_token),
 *              asking for incremental-authorization support
 *   adjust     incrementAuthorization where the intent supports it; lowering is free (capture less);
 *              otherwise INCREMENT_NOT_SUPPORTED, and the purchase captures what is authorized and
 *              charges the rest (README, "Payment rules")
 *   capture    capture with amount_to_capture (the rest is released)
 *   void       cancel
 *   charge     PaymentIntent, automatic capture, confirmed off-session
 *   refund     Refund of a PaymentIntent (the captured pre-auth, or the charge)
 *
 * Stripe's Idempotency-Key carries our idempotency key on every write. Card errors are declines
 * (typed codes, never retried); rate limits, API errors, lock timeouts and connection errors mean
 * "outcome unknown" and are thrown as GatewayUnavailableError, so the activity retries with the
 * same key (Stripe answers a repeated key with its first answer). An idempotency error or an
 * invalid request cannot succeed by retrying: PaymentRequestRefused.
 */
import Stripe from 'stripe';
import {
  GatewayUnavailableError,
  PaymentRequestRefused,
  type DeclineCode,
  type Declined,
  type NoDetails,
  type Outcome,
  type PaymentGateway,
} from './paymentGateway';

export interface StripeGatewayOptions {
  secretKey: string;
  /** Default https://api.stripe.com; tests point it at stripe-mock or a stand-in. */
  apiBase?: string;
  /** The shopper's Stripe customer id (cus_…), or null when they have none. */
  customerOf: (shopperId: string) => Promise<string | null>;
  /** Per request; below the activity's 15 s start-to-close. */
  timeoutMs?: number;
  now?: () => Date;
}

/** Card networks keep a card authorization about 7 days; Stripe says when (capture_before) where it knows. */
const DEFAULT_CAPTURE_WINDOW_MS = 7 * 24 * 3600 * 1000;

export type StripeOperation = 'authorize' | 'adjust' | 'capture' | 'void' | 'charge' | 'refund';

const declined = (code: DeclineCode, reason: string): Declined => ({ outcome: 'DECLINED', code, reason });

/** Stripe's decline_code (and card error code) → ours. https://docs.stripe.com/declines/codes */
export function declineCodeOf(code: string | undefined, declineCode: string | undefined): DeclineCode {
  const c = declineCode ?? code ?? '';
  if (['insufficient_funds', 'withdrawal_count_limit_exceeded', 'card_velocity_exceeded'].includes(c))
    return 'INSUFFICIENT_FUNDS';
  if (c === 'expired_card') return 'EXPIRED_CARD';
  if (
    [
      'incorrect_cvc',
      'invalid_cvc',
      'incorrect_number',
      'invalid_number',
      'incorrect_zip',
      'invalid_expiry_month',
      'invalid_expiry_year',
      'invalid_account',
    ].includes(c)
  )
    return 'INCORRECT_CARD_DETAILS';
  if (['fraudulent', 'merchant_blacklist', 'stolen_card', 'lost_card', 'pickup_card'].includes(c))
    return 'FRAUD_SUSPECTED';
  if (['authentication_required', 'card_not_supported_without_authentication'].includes(c))
    return 'AUTHENTICATION_REQUIRED';
  if (['processing_error', 'issuer_not_available', 'try_again_later', 'reenter_transaction'].includes(c))
    return 'PROCESSING_ERROR';
  if (code === 'expired_card') return 'EXPIRED_CARD';
  if (code === 'processing_error') return 'PROCESSING_ERROR';
  if (code && ['incorrect_cvc', 'incorrect_number', 'invalid_cvc', 'invalid_number', 'incorrect_zip'].includes(code))
    return 'INCORRECT_CARD_DETAILS';
  return 'CARD_DECLINED';
}

/** Why an intent that can no longer be captured cannot: canceled by Stripe at the window's end, canceled by us, or captured. */
function closedIntent(intent: Pick<Stripe.PaymentIntent, 'status' | 'cancellation_reason'>): Declined {
  if (intent.status === 'canceled')
    return intent.cancellation_reason === 'automatic'
      ? declined('AUTHORIZATION_EXPIRED', 'the authorization expired (canceled by Stripe)')
      : declined(
          'AUTHORIZATION_VOIDED',
          `the authorization was canceled (${intent.cancellation_reason ?? 'canceled'})`,
        );
  return declined('AUTHORIZATION_CLOSED', `the payment is ${intent.status}`);
}

/** A decline carried by an intent that is back to requires_payment_method (its last_payment_error). */
function lastPaymentDecline(intent: Stripe.PaymentIntent): Declined {
  const error = intent.last_payment_error;
  return declined(
    declineCodeOf(error?.code, error?.decline_code),
    error?.message ?? `the payment method was declined (${intent.status})`,
  );
}

/**
 * A PaymentIntent Stripe answered with → our outcome for that operation. Statuses that say nothing
 * final yet (processing, requires_confirmation) are "outcome unknown": thrown, retried with the key.
 */
export function outcomeOfIntent(operation: StripeOperation, intent: Stripe.PaymentIntent): Outcome<NoDetails> {
  const expected: Record<StripeOperation, Stripe.PaymentIntent.Status[]> = {
    authorize: ['requires_capture'],
    adjust: ['requires_capture'],
    capture: ['succeeded'],
    void: ['canceled'],
    charge: ['succeeded'],
    refund: [],
  };
  if (expected[operation].includes(intent.status)) return { outcome: 'APPROVED' };
  switch (intent.status) {
    case 'requires_payment_method':
      return lastPaymentDecline(intent);
    case 'requires_action':
      return declined('AUTHENTICATION_REQUIRED', 'the issuer asks for the shopper to authenticate (3-D Secure)');
    case 'canceled':
      return operation === 'authorize' || operation === 'charge'
        ? declined('CARD_DECLINED', 'the payment was canceled')
        : closedIntent(intent);
    case 'succeeded':
      // Voiding what is already captured moves nothing: approved, like any void of a closed authorization.
      return operation === 'void' ? { outcome: 'APPROVED' } : closedIntent(intent);
    default:
      throw new GatewayUnavailableError(`Stripe answered PaymentIntent ${intent.id} in status ${intent.status}`);
  }
}

interface StripeErrorLike {
  /** The SDK's class name: StripeCardError, StripeRateLimitError, StripeInvalidRequestError, … (chosen by HTTP status). */
  type?: string;
  /** The body's error.type: card_error, invalid_request_error, idempotency_error, api_error, … */
  rawType?: string;
  code?: string;
  decline_code?: string;
  param?: string;
  message?: string;
  statusCode?: number;
  payment_intent?: Pick<Stripe.PaymentIntent, 'status' | 'cancellation_reason'> & Partial<Stripe.PaymentIntent>;
}

/**
 * An error the Stripe SDK threw → a decline (a result), or a thrown GatewayUnavailableError
 * (outcome unknown: retry with the same key) or PaymentRequestRefused (retrying cannot help).
 * The SDK picks the error class from the HTTP status (429 rate limit, 402 card, 400/404 invalid
 * request or idempotency, 401/403 key, 409 and 5xx API); the class decides here.
 */
export function declineOfStripeError(operation: StripeOperation, err: unknown): Declined {
  const e = (err ?? {}) as StripeErrorLike;
  const message = e.message ?? String(err);
  switch (e.type) {
    case 'StripeCardError':
      return declined(declineCodeOf(e.code, e.decline_code), message);
    case 'StripeRateLimitError':
    case 'StripeAPIError':
    case 'StripeConnectionError':
      throw new GatewayUnavailableError(`Stripe: ${message} (outcome unknown: retried with the same idempotency key)`);
    case 'StripeAuthenticationError':
    case 'StripePermissionError':
      throw new GatewayUnavailableError(`Stripe refused the API key: ${message} (check STRIPE_SECRET_KEY)`);
    case 'StripeIdempotencyError':
      throw new PaymentRequestRefused(`Stripe saw this idempotency key with other parameters: ${message}`);
    case 'StripeInvalidRequestError': {
      const declineOf = invalidRequestDecline(operation, e, message);
      if (declineOf) return declineOf;
      throw new PaymentRequestRefused(`Stripe refused the ${operation} request: ${message}`);
    }
    default:
      // Not an error of the Stripe API (a bug, a timeout below the SDK): the outcome is unknown.
      throw new GatewayUnavailableError(`Stripe call failed: ${message}`);
  }
}

/** The invalid requests that are answers about the money (a closed intent, too large an amount), not bugs. */
function invalidRequestDecline(operation: StripeOperation, e: StripeErrorLike, message: string): Declined | null {
  if (e.code === 'payment_intent_unexpected_state' && e.payment_intent) return closedIntent(e.payment_intent);
  if (e.code === 'charge_expired_for_capture') return declined('AUTHORIZATION_EXPIRED', message);
  if (e.code === 'payment_intent_authentication_failure') return declined('AUTHENTICATION_REQUIRED', message);
  if (e.code === 'amount_too_large' && operation === 'capture')
    return declined('AMOUNT_EXCEEDS_AUTHORIZATION', message);
  if (operation === 'refund' && (e.code === 'charge_already_refunded' || e.code === 'amount_too_large'))
    return declined('REFUND_EXCEEDS_CAPTURE', message);
  if (
    (operation === 'authorize' || operation === 'charge') &&
    e.code === 'resource_missing' &&
    ['payment_method', 'customer'].includes(e.param ?? '')
  )
    return declined('NO_PAYMENT_METHOD', message);
  return null;
}

/** Runs a Stripe call; its errors become declines or the thrown errors above. */
async function stripeCall<T>(
  operation: StripeOperation,
  call: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; outcome: Outcome<NoDetails> }> {
  try {
    return { ok: true, value: await call() };
  } catch (err) {
    const e = err as StripeErrorLike;
    // Voiding what is already canceled or captured is a no-op: nothing is held either way.
    if (
      operation === 'void' &&
      e?.type === 'StripeInvalidRequestError' &&
      e.code === 'payment_intent_unexpected_state' &&
      e.payment_intent &&
      ['canceled', 'succeeded'].includes(e.payment_intent.status)
    )
      return { ok: false, outcome: { outcome: 'APPROVED' } };
    return { ok: false, outcome: declineOfStripeError(operation, err) };
  }
}

/** Where the capture window ends: Stripe's capture_before when it says, else 7 days after creation. */
export function captureBefore(intent: Stripe.PaymentIntent, now: Date): Date {
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  const card = charge?.payment_method_details?.card as { capture_before?: number } | undefined;
  if (card?.capture_before) return new Date(card.capture_before * 1000);
  const created = intent.created ? intent.created * 1000 : now.getTime();
  return new Date(created + DEFAULT_CAPTURE_WINDOW_MS);
}

/** Whether Stripe lets this intent's authorization be raised (the card network and issuer support it). */
export function incrementAvailable(intent: Stripe.PaymentIntent): boolean {
  const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
  return charge?.payment_method_details?.card?.incremental_authorization?.status === 'available';
}

export function stripeClient(secretKey: string, apiBase = 'https://api.stripe.com', timeoutMs = 10_000): Stripe {
  const url = new URL(apiBase);
  return new Stripe(secretKey, {
    host: url.hostname,
    port: url.port || (url.protocol === 'http:' ? 80 : 443),
    protocol: url.protocol === 'http:' ? 'http' : 'https',
    // Retries belong to the activity (same idempotency key, bounded by its retry policy).
    maxNetworkRetries: 0,
    timeout: timeoutMs,
    appInfo: { name: 'jwo-app-entry-connector' },
  });
}

export function createStripeGateway(options: StripeGatewayOptions): PaymentGateway {
  const stripe = stripeClient(options.secretKey, options.apiBase, options.timeoutMs);
  const now = options.now ?? (() => new Date());
  const lower = (currency: string) => currency.toLowerCase();

  return {
    name: 'stripe',

    async authorize(request) {
      const customer = await options.customerOf(request.shopperId);
      if (!customer) return declined('NO_PAYMENT_METHOD', `shopper ${request.shopperId} has no Stripe customer`);
      const result = await stripeCall('authorize', () =>
        stripe.paymentIntents.create(
          {
            amount: request.amountMinor,
            currency: lower(request.currency),
            customer,
            payment_method: request.paymentToken,
            capture_method: 'manual',
            confirm: true,
            off_session: true,
            payment_method_options: { card: { request_incremental_authorization: 'if_available' } },
            expand: ['latest_charge'],
            metadata: {
              shopper_id: request.shopperId,
              store_id: request.storeId,
              auth_event_id: request.authEventId,
              idempotency_key: request.idempotencyKey,
            },
          },
          { idempotencyKey: request.idempotencyKey },
        ),
      );
      if (!result.ok) return result.outcome as Outcome<never>;
      const outcome = outcomeOfIntent('authorize', result.value);
      return outcome.outcome === 'APPROVED'
        ? { outcome: 'APPROVED', authorizationId: result.value.id, expiresAt: captureBefore(result.value, now()) }
        : outcome;
    },

    async adjust({ idempotencyKey, authorizationId, amountMinor, tripId }) {
      const current = await stripeCall('adjust', () =>
        stripe.paymentIntents.retrieve(authorizationId, { expand: ['latest_charge'] }),
      );
      if (!current.ok) return current.outcome;
      const intent = current.value;
      if (intent.status !== 'requires_capture') return outcomeOfIntent('adjust', intent);
      // Lowering needs no call: the capture takes less and Stripe releases the rest.
      if (amountMinor <= intent.amount_capturable) return { outcome: 'APPROVED' };
      if (!incrementAvailable(intent))
        return declined(
          'INCREMENT_NOT_SUPPORTED',
          'this card’s authorization cannot be raised (incremental authorization unavailable)',
        );
      const raised = await stripeCall('adjust', () =>
        stripe.paymentIntents.incrementAuthorization(
          authorizationId,
          { amount: amountMinor, metadata: { trip_id: tripId } },
          { idempotencyKey },
        ),
      );
      return raised.ok ? outcomeOfIntent('adjust', raised.value) : raised.outcome;
    },

    async capture({ idempotencyKey, authorizationId, amountMinor, tripId }) {
      const result = await stripeCall('capture', () =>
        stripe.paymentIntents.capture(
          authorizationId,
          { amount_to_capture: amountMinor, metadata: { trip_id: tripId } },
          { idempotencyKey },
        ),
      );
      return result.ok ? outcomeOfIntent('capture', result.value) : result.outcome;
    },

    async void({ idempotencyKey, authorizationId }) {
      const result = await stripeCall('void', () =>
        stripe.paymentIntents.cancel(authorizationId, { cancellation_reason: 'abandoned' }, { idempotencyKey }),
      );
      return result.ok ? outcomeOfIntent('void', result.value) : result.outcome;
    },

    async charge({ idempotencyKey, shopperId, paymentToken, amountMinor, currency, tripId }) {
      const customer = await options.customerOf(shopperId);
      if (!customer) return declined('NO_PAYMENT_METHOD', `shopper ${shopperId} has no Stripe customer`);
      const result = await stripeCall('charge', () =>
        stripe.paymentIntents.create(
          {
            amount: amountMinor,
            currency: lower(currency),
            customer,
            payment_method: paymentToken,
            confirm: true,
            off_session: true,
            metadata: { shopper_id: shopperId, trip_id: tripId, idempotency_key: idempotencyKey },
          },
          { idempotencyKey },
        ),
      );
      if (!result.ok) return result.outcome as Outcome<never>;
      const outcome = outcomeOfIntent('charge', result.value);
      return outcome.outcome === 'APPROVED' ? { outcome: 'APPROVED', paymentId: result.value.id } : outcome;
    },

    async refund({ idempotencyKey, paymentId, amountMinor, tripId, reason }) {
      const result = await stripeCall('refund', () =>
        stripe.refunds.create(
          {
            payment_intent: paymentId,
            amount: amountMinor,
            reason: 'requested_by_customer',
            metadata: { trip_id: tripId, reason: reason.slice(0, 500), idempotency_key: idempotencyKey },
          },
          { idempotencyKey },
        ),
      );
      if (!result.ok) return result.outcome as Outcome<never>;
      return outcomeOfRefund(result.value);
    },
  };
}

/** A Refund Stripe answered with: pending and succeeded are approved (pending settles later); failed and canceled are not. */
export function outcomeOfRefund(refund: Stripe.Refund): Outcome<{ refundId?: string }> {
  if (refund.status === 'succeeded' || refund.status === 'pending' || refund.status === 'requires_action')
    return { outcome: 'APPROVED', refundId: refund.id };
  return declined(
    'PROCESSING_ERROR',
    `the refund ${refund.id} is ${refund.status} (${refund.failure_reason ?? 'no reason given'})`,
  );
}
