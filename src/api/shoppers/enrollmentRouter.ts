/**
 * Shopper enrollment for the retailer's app backend, server to server: its own credential
 * (APP_BACKEND_KEYS, header x-app-backend-key), not an operator's.
 *   POST   /app-backend/v1/shoppers                                enroll (201; a retry of the same enrollment 200)
 *   GET    /app-backend/v1/shoppers/:shopperId
 *   PUT    /app-backend/v1/shoppers/:shopperId/payment-method      attach or replace (the gateway's token)
 *   DELETE /app-backend/v1/shoppers/:shopperId/payment-method      remove
 *   POST   /app-backend/v1/shoppers/:shopperId/deactivate          close the account
 *
 * Payment methods are attached the way the configured gateway does it, a union on `type`: with the
 * simulated gateway, `{ type: 'TEST_TOKEN', token: 'tok_visa', expiry: 'YYYY-MM' }`. The connector
 * never sees a card number (a PAN-looking token is refused). A Stripe gateway does not exist yet;
 * when it does, it adds `POST …/payment-method/setup-intents` (answers a SetupIntent client secret
 * for the app to confirm with Stripe's SDK) and a `{ type: 'STRIPE_SETUP_INTENT', setupIntentId }`
 * member to the PUT, from which the connector reads the PaymentMethod id and expiry.
 */
import { Router, type RequestHandler } from 'express';
import type { Database } from '../../adapters/db/database';
import type { Actor } from '../../adapters/audit/auditLog';
import {
  attachPaymentMethod,
  deactivateShopper,
  enrollShopper,
  removePaymentMethod,
  showShopper,
} from '../../application/shopperEnrollment';
import { jsonBody, parseBody, parseInput, storableParam } from '../validation';
import { deactivateShopperRequest, enrollShopperRequest, paymentMethodRequest } from '../admin/schemas';

export const APP_BACKEND_KEY_HEADER = 'x-app-backend-key';
/** The app backend is one system with one identity in the audit log. */
const APP_BACKEND: Actor = { name: 'app-backend', role: null };

export function enrollmentRouter(deps: { db: Database; auth: RequestHandler }): Router {
  const router = Router();
  const { db } = deps;
  router.use('/app-backend/v1', deps.auth, jsonBody());
  router.param('shopperId', storableParam);

  router.post('/app-backend/v1/shoppers', async (req, res) => {
    const { shopper, created } = await enrollShopper(db, APP_BACKEND, parseBody(enrollShopperRequest, req.body));
    res.status(created ? 201 : 200).json(shopper);
  });
  router.get('/app-backend/v1/shoppers/:shopperId', async (req, res) => {
    res.json(await showShopper(db, req.params.shopperId));
  });
  router.put('/app-backend/v1/shoppers/:shopperId/payment-method', async (req, res) => {
    const method = parseBody(paymentMethodRequest, req.body);
    res.json(await attachPaymentMethod(db, APP_BACKEND, req.params.shopperId, method));
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
