/**
 * Operator endpoints the simulator and the load test stand on (header x-operator-key):
 *   GET  /ops/v1/stores/:storeId/catalog   items with sku, barcodes, name, price, pricing unit, tax code
 *   GET  /ops/v1/stores/:storeId/pricing   the store's currency, taxInclusive, promotions and tax rates
 *   POST /ops/v1/shoppers                  creates or replaces a shopper account (app token, card)
 * Read-only views of the catalog: importing and uploading it is the catalog endpoints' job.
 */
import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Database } from '../../adapters/db/database';
import { DEFAULT_TAX_CODE, listCatalogItems, loadPricingData } from '../../adapters/catalog/catalogStore';
import { findStore, upsertShopper, type Store } from '../../adapters/identity/identityStore';
import { detectBarcodeType } from '../../domain/catalog/barcodes';
import { HttpError } from '../../api/httpErrors';
import { jsonBody, parseBody, storableParam, string, text } from '../../api/validation';

const newShopperRequest = z.object({
  shopperId: text(255),
  displayName: text(255),
  visitorType: z.enum(['SHOPPER', 'ASSOCIATE', 'CASH_SHOPPER']).default('SHOPPER'),
  paymentToken: text(255).optional(),
  paymentExpiry: string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be the card's last valid month, YYYY-MM")
    .optional(),
  /** Only its SHA-256 is stored; long enough that it cannot be guessed. */
  appToken: string().min(8, 'must be at least 8 characters').max(255, 'must be at most 255 characters'),
});

async function existingStore(db: Database, storeId: string): Promise<Store> {
  const store = await findStore(db, storeId);
  if (!store) throw new HttpError(404, `no store ${storeId}`);
  return store;
}

export function storeDataOpsRouter(deps: { db: Database; auth: RequestHandler }): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  // Bodies are read after it; path ids are checked before they reach SQL.
  router.use(['/ops/v1/stores', '/ops/v1/shoppers'], deps.auth, jsonBody());
  router.param('storeId', storableParam);
  const { db } = deps;

  router.get('/ops/v1/stores/:storeId/catalog', async (req, res) => {
    const store = await existingStore(db, req.params.storeId);
    const items = (await listCatalogItems(db, store.storeId)).map(({ amazon, priceMinor, pricingUnit, taxCode }) => ({
      sku: amazon.item_sku,
      name: amazon.item_name,
      priceMinor,
      pricingUnit,
      taxCode: taxCode ?? DEFAULT_TAX_CODE,
      barcodes: [
        {
          code: amazon.external_product_id,
          type: amazon.external_product_id_type ?? detectBarcodeType(amazon.external_product_id) ?? 'UNKNOWN',
        },
        ...(amazon.additional_external_product_information ?? []).map((b) => ({
          code: b.external_product_id,
          type: b.external_product_id_type,
        })),
      ],
    }));
    res.json({ storeId: store.storeId, items });
  });

  router.get('/ops/v1/stores/:storeId/pricing', async (req, res) => {
    const store = await existingStore(db, req.params.storeId);
    // No skus: the promotions and tax rates without a price book.
    const { promotions, taxRates } = await loadPricingData(db, store.storeId, []);
    res.json({
      storeId: store.storeId,
      currency: store.currency,
      taxInclusive: store.taxInclusive,
      promotions,
      taxRates,
    });
  });

  router.post('/ops/v1/shoppers', async (req, res) => {
    const shopper = parseBody(newShopperRequest, req.body);
    await upsertShopper(db, shopper);
    // The app token is a credential: never echoed.
    res.status(201).json({
      shopperId: shopper.shopperId,
      displayName: shopper.displayName,
      visitorType: shopper.visitorType,
      paymentToken: shopper.paymentToken ?? null,
      paymentExpiry: shopper.paymentExpiry ?? null,
    });
  });
  return router;
}
