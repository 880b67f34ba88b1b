/**
 * Shopper enrollment for the retailer's app backend, server to server: its own credential
 * (APP_BACKEND_KEYS, header x-app-backend-key), not an operator's.
 *   POST   /app-backend/v1/shoppers                                enroll (201; a retry of the same enrollment 200)
 *   GET    /app-backend/v1/shoppers/:shopperId
 *   POST   /app-backend/v1/shoppers/:shopperId/payment-method/setup-intents
 *                                                                  Stripe: a SetupIntent for the app to confirm (201)
 *   PUT    /app-backend/v1/shoppers/:shopperId/payment-method      attach or replace (the gateway's token)
 *   DELETE /app-backend/v1/shoppers/:shopperId/payment-method      remove
 *   POST   /app-backend/v1/shoppers/:shopperId/deactivate          close the account
 *
 * Payment methods are attached the way the configured gateway does it, a union on `type`, and the
 * other gateway's type is refused (400): with the simulated gateway,
 * `{ type: 'TEST_TOKEN', token: 'tok_visa', expiry: 'YYYY-MM' }`; with Stripe (PAYMENT_GATEWAY=stripe),
 * enroll without a method, `POST …/payment-method/setup-intents` (the connector creates the shopper's
 * Stripe Customer once and a SetupIntent, usage off_session, and answers its client secret), the app
 * confirms it with Stripe's SDK, then `PUT …/payment-method` with
 * `{ type: 'STRIPE_SETUP_INTENT', setupIntentId }`: the connector reads the PaymentMethod id and the
 * card's expiry from Stripe and keeps those ids only. The connector never sees a card number.
 */
import { Router, type RequestHandler } from 'express';
import type { Database } from '../../adapters/db/database';
import type { Actor } from '../../adapters/audit/auditLog';
import { SIMULATED_PAYMENT_METHODS, type PaymentMethodFlow } from '../../adapters/payments/fromConfig';
import { GatewayUnavailableError, PaymentRequestRefused } from '../../adapters/payments/paymentGateway';
import {
  attachPaymentMethod,
  deactivateShopper,
  enrollShopper,
  removePaymentMethod,
  showShopper,
  startPaymentMethodSetup,
} from '../../application/shopperEnrollment';
import { HttpError } from '../httpErrors';
import { jsonBody, parseBody, parseInput, storableParam } from '../validation';
import { deactivateShopperRequest, enrollShopperRequest, paymentMethodRequest } from '../admin/schemas';

export const APP_BACKEND_KEY_HEADER = 'x-app-backend-key';
/** The app backend is one system with one identity in the audit log. */
const APP_BACKEND: Actor = { name: 'app-backend', role: null };

/** Stripe's failures: unreachable (503, retry) or refused (502: a request of ours Stripe would not take). */
async function atGateway<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GatewayUnavailableError) throw new HttpError(503, `the payment gateway: ${err.message}`);
    if (err instanceof PaymentRequestRefused) throw new HttpError(502, `the payment gateway: ${err.message}`);
    throw err;
  }
}

export function enrollmentRouter(deps: {
  db: Database;
  auth: RequestHandler;
  /** How payment methods are attached (PAYMENT_GATEWAY); the simulator's test tokens by default. */
  paymentMethods?: PaymentMethodFlow;
}): Router {
  const router = Router();
  const { db } = deps;
  const flow = deps.paymentMethods ?? SIMULATED_PAYMENT_METHODS;
  router.use('/app-backend/v1', deps.auth, jsonBody());
  router.param('shopperId', storableParam);

  router.post('/app-backend/v1/shoppers', async (req, res) => {
    const { shopper, created } = await enrollShopper(db, APP_BACKEND, parseBody(enrollShopperRequest, req.body), flow);
    res.status(created ? 201 : 200).json(shopper);
  });
  router.get('/app-backend/v1/shoppers/:shopperId', async (req, res) => {
    res.json(await showShopper(db, req.params.shopperId));
  });
  router.put('/app-backend/v1/shoppers/:shopperId/payment-method', async (req, res) => {
    const method = parseBody(paymentMethodRequest, req.body);
    res.json(await atGateway(() => attachPaymentMethod(db, APP_BACKEND, req.params.shopperId, method, flow)));
  });
  router.post('/app-backend/v1/shoppers/:shopperId/payment-method/setup-intents', async (req, res) => {
    res.status(201).json(await atGateway(() => startPaymentMethodSetup(db, APP_BACKEND, req.params.shopperId, flow)));
  });
  router.delete('/app-backend/v1/shoppers/:shopperId/payment-method', async (req, res) => {
    res.json(await removePaymentMethod(db, APP_BACKEND, req.params.shopperId));
  });
  router.post('/app-backend/v1/shoppers/:shopperId/deactivate', async (req, res) => {
    const { reason } = parseInput(deactivateShopperRequest, req.body ?? {});
    res.json(await deactivateShopper(db, APP_BACKEND, req.params.shopperId, reason));
  });
  return router;
}
