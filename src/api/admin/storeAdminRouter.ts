/**
 * Opening and running stores without SQL (operator credential; viewer reads, admin changes):
 *   GET   /ops/v1/stores                                         list
 *   POST  /ops/v1/stores                                         create (not live until updated)
 *   GET   /ops/v1/stores/:storeId                                show
 *   PATCH /ops/v1/stores/:storeId                                change settings (live, pre-auth, …)
 *   GET   /ops/v1/stores/:storeId/tax-rates                      every rate, current and scheduled
 *   PUT   /ops/v1/stores/:storeId/tax-rates/:taxCode             set a rate (from effectiveFrom)
 *   GET   /ops/v1/stores/:storeId/promotions                     with their state now
 *   POST  /ops/v1/stores/:storeId/promotions                     add one
 *   POST  /ops/v1/stores/:storeId/promotions/imports             import a POS export (JSON or CSV)
 *   POST  /ops/v1/stores/:storeId/promotions/:promotionId/end    end it now
 *   POST  /ops/v1/shoppers                                       enroll a shopper (support staff)
 *   GET   /ops/v1/shoppers/:shopperId                            show
 *   POST  /ops/v1/shoppers/:shopperId/deactivate                 close the account
 *   POST  /ops/v1/shoppers/:shopperId/flag                       flag (role operator): ACCOUNT_FLAGGED at the gate
 *   POST  /ops/v1/shoppers/:shopperId/unflag                     unflag (role operator)
 *   POST  /ops/v1/shoppers/:shopperId/revoke-codes               revoke unused codes (role operator): TOKEN_REVOKED
 * Every change is recorded in the audit log under the credential's operator (actor()).
 */
import { Router, type RequestHandler, type Response } from 'express';
import type { Database } from '../../adapters/db/database';
import type { Actor } from '../../adapters/audit/auditLog';
import {
  addPromotion,
  createStore,
  endPromotion,
  importPromotions,
  listStoreViews,
  setTaxRate,
  showStore,
  storePromotions,
  storeTaxRates,
  updateStore,
} from '../../application/storeAdmin';
import { deactivateShopper, enrollShopper, showShopper } from '../../application/shopperEnrollment';
import { flagShopper, revokeShopperCodes, unflagShopper } from '../../application/shopperFlags';
import type { PaymentMethodFlow } from '../../adapters/payments/fromConfig';
import type { Promotion } from '../../domain/pricing';
import { auditActor, requireRole } from '../operatorAuth';
import { jsonBody, parseBody, parseInput, storableParam } from '../validation';
import {
  deactivateShopperRequest,
  flagShopperRequest,
  newStoreRequest,
  operatorEnrollShopperRequest,
  PROMOTION_IMPORT_LIMIT,
  promotionImportRequest,
  promotionRequest,
  shopperActionRequest,
  storeChangesRequest,
  taxRateRequest,
} from './schemas';

/** Who is acting, for the audit log: the operator the credential check authenticated (never a name from the body). */
export const actor = (res: Response): Actor => auditActor(res);

export function storeAdminRouter(deps: {
  db: Database;
  auth: RequestHandler;
  /** A store's settings changed: drop what is cached about it. */
  onStoreChanged?: (storeId: string) => void;
  /** How payment methods are attached (PAYMENT_GATEWAY): an enrollment's method must be this gateway's. */
  paymentMethods?: PaymentMethodFlow;
}): Router {
  const router = Router();
  const { db } = deps;
  const admin = { db, onStoreChanged: deps.onStoreChanged };
  // The import carries a whole file: its own, larger body limit, after the same credential check.
  router.use('/ops/v1/stores/:storeId/promotions/imports', deps.auth, jsonBody(PROMOTION_IMPORT_LIMIT));
  router.use(['/ops/v1/stores', '/ops/v1/shoppers'], deps.auth, jsonBody());
  for (const name of ['storeId', 'taxCode', 'promotionId', 'shopperId']) router.param(name, storableParam);

  router.get('/ops/v1/stores', requireRole('viewer'), async (_req, res) => {
    res.json(await listStoreViews(db));
  });
  router.post('/ops/v1/stores', requireRole('admin'), async (req, res) => {
    res.status(201).json(await createStore(admin, actor(res), parseBody(newStoreRequest, req.body)));
  });
  router.get('/ops/v1/stores/:storeId', requireRole('viewer'), async (req, res) => {
    res.json(await showStore(db, req.params.storeId));
  });
  router.patch('/ops/v1/stores/:storeId', requireRole('admin'), async (req, res) => {
    res.json(await updateStore(admin, actor(res), req.params.storeId, parseBody(storeChangesRequest, req.body)));
  });

  router.get('/ops/v1/stores/:storeId/tax-rates', requireRole('viewer'), async (req, res) => {
    res.json(await storeTaxRates(db, req.params.storeId));
  });
  router.put('/ops/v1/stores/:storeId/tax-rates/:taxCode', requireRole('admin'), async (req, res) => {
    const rate = parseBody(taxRateRequest, req.body);
    res.json(await setTaxRate(admin, actor(res), req.params.storeId, { ...rate, taxCode: req.params.taxCode }));
  });

  router.get('/ops/v1/stores/:storeId/promotions', requireRole('viewer'), async (req, res) => {
    res.json(await storePromotions(db, req.params.storeId));
  });
  router.post('/ops/v1/stores/:storeId/promotions', requireRole('admin'), async (req, res) => {
    const promotion = parseBody(promotionRequest, req.body) as Promotion;
    res.status(201).json(await addPromotion(admin, actor(res), req.params.storeId, promotion));
  });
  router.post('/ops/v1/stores/:storeId/promotions/imports', requireRole('admin'), async (req, res) => {
    const file = parseBody(promotionImportRequest, req.body);
    res.json(await importPromotions(admin, actor(res), req.params.storeId, file));
  });
  router.post('/ops/v1/stores/:storeId/promotions/:promotionId/end', requireRole('admin'), async (req, res) => {
    res.json(await endPromotion(admin, actor(res), req.params.storeId, req.params.promotionId));
  });

  router.post('/ops/v1/shoppers', requireRole('admin'), async (req, res) => {
    const { paymentToken, paymentExpiry, ...enrollment } = parseBody(operatorEnrollShopperRequest, req.body);
    const paymentMethod =
      enrollment.paymentMethod ??
      (paymentToken ? { type: 'TEST_TOKEN' as const, token: paymentToken, expiry: paymentExpiry ?? '' } : undefined);
    const { shopper, created } = await enrollShopper(
      db,
      actor(res),
      { ...enrollment, paymentMethod },
      deps.paymentMethods,
    );
    res.status(created ? 201 : 200).json(shopper);
  });
  router.get('/ops/v1/shoppers/:shopperId', requireRole('viewer'), async (req, res) => {
    res.json(await showShopper(db, req.params.shopperId));
  });
  router.post('/ops/v1/shoppers/:shopperId/deactivate', requireRole('admin'), async (req, res) => {
    const { reason } = parseInput(deactivateShopperRequest, req.body ?? {});
    res.json(await deactivateShopper(db, actor(res), req.params.shopperId, reason));
  });
  router.post('/ops/v1/shoppers/:shopperId/flag', requireRole('operator'), async (req, res) => {
    const { reason } = parseBody(flagShopperRequest, req.body);
    res.json(await flagShopper(db, actor(res), req.params.shopperId, reason));
  });
  router.post('/ops/v1/shoppers/:shopperId/unflag', requireRole('operator'), async (req, res) => {
    const { reason } = parseInput(shopperActionRequest, req.body ?? {});
    res.json(await unflagShopper(db, actor(res), req.params.shopperId, reason));
  });
  router.post('/ops/v1/shoppers/:shopperId/revoke-codes', requireRole('operator'), async (req, res) => {
    const { reason } = parseInput(shopperActionRequest, req.body ?? {});
    res.json(await revokeShopperCodes(db, actor(res), req.params.shopperId, reason));
  });
  return router;
}
