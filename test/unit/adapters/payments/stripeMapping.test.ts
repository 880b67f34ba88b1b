/**
 * How Stripe's answers map to the gateway's outcomes, from Stripe's documented response and error
 * bodies (https://docs.stripe.com/api/errors, /declines/codes, /api/payment_intents/object), turned
 * into errors by the SDK's own code as it does for a real response (status code + body).
 */
import Stripe from 'stripe';
import {
  captureBefore,
  declineCodeOf,
  declineOfStripeError,
  incrementAvailable,
  outcomeOfIntent,
  outcomeOfRefund,
} from '../../../../src/adapters/payments/stripeGateway';
import { GatewayUnavailableError, PaymentRequestRefused } from '../../../../src/adapters/payments/paymentGateway';

/** What the SDK throws for an error response: Stripe's v1 error generator, given the status and the body's `error`. */
const stripeError = (statusCode: number, error: Record<string, unknown>) =>
  (Stripe.errors as any).generateV1Error({ ...error, statusCode, headers: {}, requestId: 'req_123' });

const intent = (fields: Partial<Stripe.PaymentIntent>): Stripe.PaymentIntent =>
  ({
    id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
    object: 'payment_intent',
    amount: 5000,
    amount_capturable: 0,
    amount_received: 0,
    capture_method: 'manual',
    created: 1680800504,
    currency: 'usd',
    customer: 'cus_NffrFeUfNV2Hib',
    latest_charge: null,
    last_payment_error: null,
    cancellation_reason: null,
    status: 'requires_payment_method',
    ...fields,
  }) as Stripe.PaymentIntent;

describe('PaymentIntent statuses', () => {
  test('when an off-session manual-capture intent is requires_capture, then the pre-auth is approved', () => {
    expect(outcomeOfIntent('authorize', intent({ status: 'requires_capture', amount_capturable: 5000 }))).toEqual({
      outcome: 'APPROVED',
    });
  });

  test('when a capture answers succeeded, then it is approved; a charge too', () => {
    expect(outcomeOfIntent('capture', intent({ status: 'succeeded', amount_received: 4200 }))).toEqual({
      outcome: 'APPROVED',
    });
    expect(outcomeOfIntent('charge', intent({ status: 'succeeded' }))).toEqual({ outcome: 'APPROVED' });
  });

  test('when a cancel answers canceled, then the void is approved; voiding a captured intent moves nothing and is approved', () => {
    expect(outcomeOfIntent('void', intent({ status: 'canceled', cancellation_reason: 'abandoned' }))).toEqual({
      outcome: 'APPROVED',
    });
    expect(outcomeOfIntent('void', intent({ status: 'succeeded' }))).toEqual({ outcome: 'APPROVED' });
  });

  test('when the intent is back to requires_payment_method, then it is declined with the last payment error’s code', () => {
    const declined = intent({
      status: 'requires_payment_method',
      last_payment_error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        message: 'Your card has insufficient funds.',
      } as Stripe.PaymentIntent.LastPaymentError,
    });
    expect(outcomeOfIntent('authorize', declined)).toEqual({
      outcome: 'DECLINED',
      code: 'INSUFFICIENT_FUNDS',
      reason: 'Your card has insufficient funds.',
    });
  });

  test('when the issuer wants 3-D Secure (requires_action), then it is declined AUTHENTICATION_REQUIRED', () => {
    expect(outcomeOfIntent('charge', intent({ status: 'requires_action' }))).toMatchObject({
      outcome: 'DECLINED',
      code: 'AUTHENTICATION_REQUIRED',
    });
  });

  test('when capturing an intent Stripe canceled at the end of its window, then AUTHORIZATION_EXPIRED; one we canceled, AUTHORIZATION_VOIDED', () => {
    expect(outcomeOfIntent('capture', intent({ status: 'canceled', cancellation_reason: 'automatic' }))).toMatchObject({
      code: 'AUTHORIZATION_EXPIRED',
    });
    expect(outcomeOfIntent('capture', intent({ status: 'canceled', cancellation_reason: 'abandoned' }))).toMatchObject({
      code: 'AUTHORIZATION_VOIDED',
    });
    expect(outcomeOfIntent('adjust', intent({ status: 'succeeded' }))).toMatchObject({ code: 'AUTHORIZATION_CLOSED' });
  });

  test('when the intent is still processing, then the outcome is unknown: thrown to be retried with the same key', () => {
    expect(() => outcomeOfIntent('charge', intent({ status: 'processing' }))).toThrow(GatewayUnavailableError);
  });

  test('capture_before and incremental authorization are read from the expanded latest charge', () => {
    const withCharge = intent({
      status: 'requires_capture',
      latest_charge: {
        id: 'ch_1',
        object: 'charge',
        payment_method_details: {
          type: 'card',
          card: { capture_before: 1681405304, incremental_authorization: { status: 'available' } },
        },
      } as unknown as Stripe.Charge,
    });
    expect(captureBefore(withCharge, new Date())).toEqual(new Date(1681405304 * 1000));
    expect(incrementAvailable(withCharge)).toBe(true);
    const bare = intent({ status: 'requires_capture' });
    expect(captureBefore(bare, new Date())).toEqual(new Date((1680800504 + 7 * 24 * 3600) * 1000));
    expect(incrementAvailable(bare)).toBe(false);
  });

  test('refunds: succeeded and pending are approved, failed is declined', () => {
    expect(outcomeOfRefund({ id: 're_1', status: 'succeeded' } as Stripe.Refund)).toEqual({
      outcome: 'APPROVED',
      refundId: 're_1',
    });
    expect(outcomeOfRefund({ id: 're_2', status: 'pending' } as Stripe.Refund).outcome).toBe('APPROVED');
    expect(
      outcomeOfRefund({ id: 're_3', status: 'failed', failure_reason: 'expired_or_canceled_card' } as Stripe.Refund),
    ).toMatchObject({
      outcome: 'DECLINED',
      code: 'PROCESSING_ERROR',
    });
  });
});

describe('Stripe errors', () => {
  test.each([
    ['insufficient_funds', 'card_declined', 'INSUFFICIENT_FUNDS'],
    ['generic_decline', 'card_declined', 'CARD_DECLINED'],
    ['do_not_honor', 'card_declined', 'CARD_DECLINED'],
    ['lost_card', 'card_declined', 'FRAUD_SUSPECTED'],
    ['fraudulent', 'card_declined', 'FRAUD_SUSPECTED'],
    ['authentication_required', 'authentication_required', 'AUTHENTICATION_REQUIRED'],
    [undefined, 'expired_card', 'EXPIRED_CARD'],
    [undefined, 'incorrect_cvc', 'INCORRECT_CARD_DETAILS'],
    [undefined, 'processing_error', 'PROCESSING_ERROR'],
  ])(
    'a card_error (402) with decline_code %s and code %s is declined %s, not retried',
    (declineCode, code, expected) => {
      const err = stripeError(402, {
        type: 'card_error',
        code,
        decline_code: declineCode,
        message: 'Your card was declined.',
        charge: 'ch_1',
        doc_url: `https://docs.stripe.com/error-codes/${code}`,
      });
      expect(err.type).toBe('StripeCardError');
      expect(declineOfStripeError('authorize', err)).toEqual({
        outcome: 'DECLINED',
        code: expected,
        reason: 'Your card was declined.',
      });
      expect(declineCodeOf(code, declineCode)).toBe(expected);
    },
  );

  test('a rate limit (429) is outcome unknown: thrown to be retried with the same key', () => {
    const err = stripeError(429, {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message: 'Too many requests hit the API too quickly.',
    });
    expect(err.type).toBe('StripeRateLimitError');
    expect(() => declineOfStripeError('capture', err)).toThrow(GatewayUnavailableError);
  });

  test('an api_error (500), a lock timeout (409) and a connection error are outcome unknown', () => {
    expect(() =>
      declineOfStripeError('capture', stripeError(500, { type: 'api_error', message: 'Something went wrong' })),
    ).toThrow(GatewayUnavailableError);
    expect(() =>
      declineOfStripeError(
        'capture',
        stripeError(409, {
          type: 'invalid_request_error',
          code: 'lock_timeout',
          message: 'This object cannot be accessed right now',
        }),
      ),
    ).toThrow(GatewayUnavailableError);
    const connection = new Stripe.errors.StripeConnectionError({
      message: 'An error occurred with our connection to Stripe.',
    });
    expect(() => declineOfStripeError('charge', connection)).toThrow(GatewayUnavailableError);
  });

  test('an idempotency_error (the key was used with other parameters) is refused, never retried', () => {
    const err = stripeError(400, {
      type: 'idempotency_error',
      message:
        "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than 'capture:t1:pi_1' if you meant to execute a different request.",
    });
    expect(err.type).toBe('StripeIdempotencyError');
    expect(() => declineOfStripeError('capture', err)).toThrow(PaymentRequestRefused);
  });

  test('capturing a canceled intent (payment_intent_unexpected_state) is declined with why it is closed', () => {
    const err = stripeError(400, {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      message: 'This PaymentIntent could not be captured because it has a status of canceled.',
      payment_intent: { id: 'pi_1', object: 'payment_intent', status: 'canceled', cancellation_reason: 'automatic' },
    });
    expect(declineOfStripeError('capture', err)).toMatchObject({ outcome: 'DECLINED', code: 'AUTHORIZATION_EXPIRED' });
  });

  test('a refund above what is left (charge_already_refunded, amount_too_large) is declined REFUND_EXCEEDS_CAPTURE', () => {
    for (const code of ['charge_already_refunded', 'amount_too_large'])
      expect(
        declineOfStripeError('refund', stripeError(400, { type: 'invalid_request_error', code, message: 'nope' })),
      ).toMatchObject({ code: 'REFUND_EXCEEDS_CAPTURE' });
  });

  test('any other invalid request is a bug of ours: refused, not retried, not a decline', () => {
    const err = stripeError(400, {
      type: 'invalid_request_error',
      code: 'parameter_unknown',
      param: 'bogus',
      message: 'Received unknown parameter: bogus',
    });
    expect(() => declineOfStripeError('charge', err)).toThrow(PaymentRequestRefused);
  });

  test('a wrong API key (401) is retried (nothing moved; the fix is STRIPE_SECRET_KEY)', () => {
    const err = stripeError(401, { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' });
    expect(() => declineOfStripeError('authorize', err)).toThrow(/STRIPE_SECRET_KEY/);
  });
});
