/**
 * The store's catalog as the connector keeps it: Amazon's item fields plus the retailer's price
 * book (price, pricing unit, tax code), barcodes for SCANCODE lookups, promotions and tax rates.
 * The built-in POS prices from these tables.
 */
import type { Database, Queryable } from '../db/database';
import type { ImportedCatalogItem } from '../../domain/catalog/import';
import type { PriceBookEntry, Promotion, TaxRate } from '../../domain/pricing';

/** Items without a tax code are taxed under this code; every store defines a rate for it. */
export const DEFAULT_TAX_CODE = 'GENERAL';

export async function upsertCatalogItems(db: Database, storeId: string, items: ImportedCatalogItem[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (const item of items) {
      const a = item.amazon;
      await tx.query(
        `INSERT INTO catalog_items (store_id, sku, name, barcode, barcode_type, additional_barcodes, price_minor, pricing_unit, tax_code, amazon_item, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10::jsonb, now())
         ON CONFLICT (store_id, sku) DO UPDATE SET name = $3, barcode = $4, barcode_type = $5, additional_barcodes = $6::jsonb,
           price_minor = $7, pricing_unit = $8, tax_code = $9, amazon_item = $10::jsonb, updated_at = now()`,
        [storeId, a.item_sku, a.item_name, a.external_product_id, a.external_product_id_type ?? null, JSON.stringify(a.additional_external_product_information ?? []), item.priceMinor, item.pricingUnit, item.taxCode, JSON.stringify(a)],
      );
      await tx.query('DELETE FROM catalog_barcodes WHERE store_id = $1 AND sku = $2', [storeId, a.item_sku]);
      const barcodes = [a.external_product_id, ...(a.additional_external_product_information ?? []).map((b) => b.external_product_id)];
      for (const barcode of new Set(barcodes)) {
        await tx.query('INSERT INTO catalog_barcodes (store_id, barcode, sku) VALUES ($1, $2, $3) ON CONFLICT (store_id, barcode) DO UPDATE SET sku = $3', [storeId, barcode, a.item_sku]);
      }
    }
  });
}

export async function listCatalogItems(db: Queryable, storeId: string): Promise<ImportedCatalogItem[]> {
  const rows = await db.query<any>('SELECT amazon_item, pricing_unit, price_minor, tax_code FROM catalog_items WHERE store_id = $1 ORDER BY sku', [storeId]);
  return rows.map((r) => ({ amazon: r.amazon_item, pricingUnit: r.pricing_unit, priceMinor: r.price_minor, taxCode: r.tax_code }));
}

/** Maps scanned codes (SCANCODE cart items) to SKUs; codes not in the catalog are absent from the map. */
export async function skusForBarcodes(db: Queryable, storeId: string, barcodes: string[]): Promise<Map<string, string>> {
  if (barcodes.length === 0) return new Map();
  const rows = await db.query<{ barcode: string; sku: string }>('SELECT barcode, sku FROM catalog_barcodes WHERE store_id = $1 AND barcode = ANY($2::text[])', [storeId, barcodes]);
  return new Map(rows.map((r) => [r.barcode, r.sku]));
}

export interface PricingData {
  priceBook: PriceBookEntry[];
  promotions: Promotion[];
  taxRates: TaxRate[];
}

/** The price book for the SKUs of one cart (not the whole catalog), with the store's promotions and tax rates. */
export async function loadPricingData(db: Queryable, storeId: string, skus: string[]): Promise<PricingData> {
  const [items, promotions, taxRates] = await Promise.all([
    db.query<any>('SELECT sku, name, price_minor, pricing_unit, tax_code FROM catalog_items WHERE store_id = $1 AND sku = ANY($2::text[]) AND price_minor IS NOT NULL', [storeId, skus]),
    db.query<any>('SELECT definition FROM promotions WHERE store_id = $1 ORDER BY promotion_id', [storeId]),
    db.query<any>('SELECT tax_code, rate_basis_points, name FROM tax_rates WHERE store_id = $1', [storeId]),
  ]);
  return {
    priceBook: items.map((r) => ({ sku: r.sku, name: r.name, unitPriceMinor: r.price_minor, pricingUnit: r.pricing_unit, taxCode: r.tax_code ?? DEFAULT_TAX_CODE })),
    promotions: promotions.map((r) => r.definition),
    taxRates: taxRates.map((r) => ({ taxCode: r.tax_code, rateBasisPoints: r.rate_basis_points, name: r.name ?? undefined })),
  };
}

export async function upsertPromotion(db: Queryable, storeId: string, promotion: Promotion): Promise<void> {
  await db.query(
    'INSERT INTO promotions (store_id, promotion_id, definition) VALUES ($1, $2, $3::jsonb) ON CONFLICT (store_id, promotion_id) DO UPDATE SET definition = $3::jsonb',
    [storeId, promotion.id, JSON.stringify(promotion)],
  );
}

export async function upsertTaxRate(db: Queryable, storeId: string, rate: TaxRate): Promise<void> {
  await db.query(
    'INSERT INTO tax_rates (store_id, tax_code, rate_basis_points, name) VALUES ($1, $2, $3, $4) ON CONFLICT (store_id, tax_code) DO UPDATE SET rate_basis_points = $3, name = $4',
    [storeId, rate.taxCode, rate.rateBasisPoints, rate.name ?? null],
  );
}
