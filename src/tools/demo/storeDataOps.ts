/**
 * Operator endpoints the simulator and the load test stand on (header x-operator-key):
 *   GET  /ops/v1/stores/:storeId/catalog   items with sku, barcodes, name, price, pricing unit, tax code
 *   GET  /ops/v1/stores/:storeId/pricing   the store's currency, taxInclusive, promotions and tax rates
 * (The simulator enrolls its shoppers with POST /ops/v1/shoppers, the product's enrollment endpoint.)
 * Read-only views of the catalog: importing and uploading it is the catalog endpoints' job.
 */
import { Router, type RequestHandler } from 'express';
import type { Database } from '../../adapters/db/database';
import { DEFAULT_TAX_CODE, listCatalogItems, loadPricingData } from '../../adapters/catalog/catalogStore';
import { findStore, type Store } from '../../adapters/identity/identityStore';
import { detectBarcodeType } from '../../domain/catalog/barcodes';
import { HttpError } from '../../api/httpErrors';
import { jsonBody, storableParam } from '../../api/validation';
import { requireRole } from '../../api/operatorAuth';

async function existingStore(db: Database, storeId: string): Promise<Store> {
  const store = await findStore(db, storeId);
  if (!store) throw new HttpError(404, `no store ${storeId}`);
  return store;
}

export function storeDataOpsRouter(deps: { db: Database; auth: RequestHandler }): Router {
  const router = Router();
  // This router's own paths need the operator credential, whatever is mounted before it.
  // Bodies are read after it; path ids are checked before they reach SQL.
  router.use('/ops/v1/stores', deps.auth, jsonBody());
  router.param('storeId', storableParam);
  const { db } = deps;

  router.get('/ops/v1/stores/:storeId/catalog', requireRole('viewer'), async (req, res) => {
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

  router.get('/ops/v1/stores/:storeId/pricing', requireRole('viewer'), async (req, res) => {
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

  return router;
}
