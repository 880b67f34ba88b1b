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

/** Rows per statement: big enough to make a 100,000-item import a few hundred statements, small enough for any driver. */
const UPSERT_BATCH = 2000;

/**
 * Stores items (insert or replace by SKU) and their barcodes, in one transaction, a batch of rows
 * per statement (unnest of column arrays) so large catalogs import in seconds, not minutes.
 */
export async function upsertCatalogItems(db: Database, storeId: string, all: ImportedCatalogItem[]): Promise<void> {
  // One row per SKU and barcode per statement (a statement cannot upsert a row twice): the last one given wins.
  const items = [...new Map(all.map((i) => [i.amazon.item_sku, i])).values()];
  await db.transaction(async (tx) => {
    for (let start = 0; start < items.length; start += UPSERT_BATCH) {
      const batch = items.slice(start, start + UPSERT_BATCH);
      const column = <T>(pick: (item: ImportedCatalogItem) => T) => batch.map(pick);
      await tx.query(
        `INSERT INTO catalog_items (store_id, sku, name, barcode, barcode_type, additional_barcodes, price_minor, pricing_unit, tax_code, amazon_item, updated_at)
         SELECT $1, sku, name, barcode, barcode_type, additional::jsonb, price, unit, tax_code, amazon::jsonb, now()
           FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[])
             AS t(sku, name, barcode, barcode_type, additional, price, unit, tax_code, amazon)
         ON CONFLICT (store_id, sku) DO UPDATE SET name = excluded.name, barcode = excluded.barcode, barcode_type = excluded.barcode_type,
           additional_barcodes = excluded.additional_barcodes, price_minor = excluded.price_minor, pricing_unit = excluded.pricing_unit,
           tax_code = excluded.tax_code, amazon_item = excluded.amazon_item, updated_at = now()`,
        [
          storeId,
          column((i) => i.amazon.item_sku),
          column((i) => i.amazon.item_name),
          column((i) => i.amazon.external_product_id),
          column((i) => i.amazon.external_product_id_type ?? null),
          column((i) => JSON.stringify(i.amazon.additional_external_product_information ?? [])),
          column((i) => i.priceMinor),
          column((i) => i.pricingUnit),
          column((i) => i.taxCode),
          column((i) => JSON.stringify(i.amazon)),
        ],
      );
      const barcodes = [
        ...new Map(
          batch.flatMap((i) =>
            [
              i.amazon.external_product_id,
              ...(i.amazon.additional_external_product_information ?? []).map((b) => b.external_product_id),
            ].map((barcode) => [barcode, i.amazon.item_sku] as const),
          ),
        ).entries(),
      ];
      await tx.query('DELETE FROM catalog_barcodes WHERE store_id = $1 AND sku = ANY($2::text[])', [
        storeId,
        column((i) => i.amazon.item_sku),
      ]);
      await tx.query(
        `INSERT INTO catalog_barcodes (store_id, barcode, sku) SELECT $1, barcode, sku FROM unnest($2::text[], $3::text[]) AS t(barcode, sku)
         ON CONFLICT (store_id, barcode) DO UPDATE SET sku = excluded.sku`,
        [storeId, barcodes.map((b) => b[0]), barcodes.map((b) => b[1])],
      );
    }
  });
}

export async function listCatalogItems(db: Queryable, storeId: string): Promise<ImportedCatalogItem[]> {
  const rows = await db.query<any>(
    'SELECT amazon_item, pricing_unit, price_minor, tax_code FROM catalog_items WHERE store_id = $1 ORDER BY sku',
    [storeId],
  );
  return rows.map((r) => ({
    amazon: r.amazon_item,
    pricingUnit: r.pricing_unit,
    priceMinor: r.price_minor,
    taxCode: r.tax_code,
  }));
}

/** Maps scanned codes (SCANCODE cart items) to SKUs; codes not in the catalog are absent from the map. */
export async function skusForBarcodes(
  db: Queryable,
  storeId: string,
  barcodes: string[],
): Promise<Map<string, string>> {
  if (barcodes.length === 0) return new Map();
  const rows = await db.query<{ barcode: string; sku: string }>(
    'SELECT barcode, sku FROM catalog_barcodes WHERE store_id = $1 AND barcode = ANY($2::text[])',
    [storeId, barcodes],
  );
  return new Map(rows.map((r) => [r.barcode, r.sku]));
}

export interface PricingData {
  priceBook: PriceBookEntry[];
  promotions: Promotion[];
  taxRates: TaxRate[];
}

/**
 * The price book for the SKUs of one cart (not the whole catalog), with the store's promotions and
 * the tax rates in force at `at` (the trip's end; default now).
 */
export async function loadPricingData(
  db: Queryable,
  storeId: string,
  skus: string[],
  at: string | Date = new Date(),
): Promise<PricingData> {
  const [items, promotions, taxRates] = await Promise.all([
    db.query<any>(
      'SELECT sku, name, price_minor, pricing_unit, tax_code FROM catalog_items WHERE store_id = $1 AND sku = ANY($2::text[]) AND price_minor IS NOT NULL',
      [storeId, skus],
    ),
    db.query<any>('SELECT definition FROM promotions WHERE store_id = $1 ORDER BY promotion_id', [storeId]),
    taxRatesInForce(db, storeId, at),
  ]);
  return {
    priceBook: items.map((r) => ({
      sku: r.sku,
      name: r.name,
      unitPriceMinor: r.price_minor,
      pricingUnit: r.pricing_unit,
      taxCode: r.tax_code ?? DEFAULT_TAX_CODE,
    })),
    promotions: promotions.map((r) => r.definition),
    taxRates,
  };
}

/** Per tax code, the rate with the latest start at or before `at`, unless it ended by then. */
async function taxRatesInForce(db: Queryable, storeId: string, at: string | Date): Promise<TaxRate[]> {
  const rows = await db.query<any>(
    `SELECT * FROM (
       SELECT DISTINCT ON (tax_code) tax_code, rate_basis_points, name, effective_until
         FROM tax_rates WHERE store_id = $1 AND effective_from <= $2::timestamptz
        ORDER BY tax_code, effective_from DESC) latest
      WHERE effective_until IS NULL OR effective_until > $2::timestamptz ORDER BY tax_code`,
    [storeId, at instanceof Date ? at.toISOString() : at],
  );
  return rows.map((r) => ({ taxCode: r.tax_code, rateBasisPoints: r.rate_basis_points, name: r.name ?? undefined }));
}

export async function upsertPromotion(db: Queryable, storeId: string, promotion: Promotion): Promise<void> {
  await db.query(
    'INSERT INTO promotions (store_id, promotion_id, definition) VALUES ($1, $2, $3::jsonb) ON CONFLICT (store_id, promotion_id) DO UPDATE SET definition = $3::jsonb',
    [storeId, promotion.id, JSON.stringify(promotion)],
  );
}

export async function listPromotions(db: Queryable, storeId: string): Promise<Promotion[]> {
  return (
    await db.query<any>('SELECT definition FROM promotions WHERE store_id = $1 ORDER BY promotion_id', [storeId])
  ).map((r) => r.definition);
}

export async function findPromotion(db: Queryable, storeId: string, promotionId: string): Promise<Promotion | null> {
  const [row] = await db.query<any>('SELECT definition FROM promotions WHERE store_id = $1 AND promotion_id = $2', [
    storeId,
    promotionId,
  ]);
  return row ? row.definition : null;
}

/** Which of these SKUs the store's catalog holds. */
export async function knownSkus(db: Queryable, storeId: string, skus: string[]): Promise<Set<string>> {
  if (skus.length === 0) return new Set();
  const rows = await db.query<{ sku: string }>(
    'SELECT sku FROM catalog_items WHERE store_id = $1 AND sku = ANY($2::text[])',
    [storeId, skus],
  );
  return new Set(rows.map((r) => r.sku));
}

export interface ScheduledTaxRate extends TaxRate {
  /** ISO instant; absent: since always. */
  effectiveFrom?: string;
  effectiveUntil?: string | null;
}

/** Sets the rate of a tax code from `effectiveFrom` on (absent: since always), replacing a rate that starts at the same instant. */
export async function upsertTaxRate(db: Queryable, storeId: string, rate: ScheduledTaxRate): Promise<void> {
  await db.query(
    `INSERT INTO tax_rates (store_id, tax_code, rate_basis_points, name, effective_from, effective_until)
     VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, '-infinity'), $6)
     ON CONFLICT (store_id, tax_code, effective_from) DO UPDATE SET rate_basis_points = $3, name = $4, effective_until = $6`,
    [
      storeId,
      rate.taxCode,
      rate.rateBasisPoints,
      rate.name ?? null,
      rate.effectiveFrom ?? null,
      rate.effectiveUntil ?? null,
    ],
  );
}

/** Every rate of the store, current and scheduled, by tax code and start. */
export async function listTaxRates(db: Queryable, storeId: string): Promise<ScheduledTaxRate[]> {
  const rows = await db.query<any>(
    `SELECT tax_code, rate_basis_points, name,
            CASE WHEN effective_from = '-infinity' THEN NULL ELSE effective_from END AS starts, effective_until
       FROM tax_rates WHERE store_id = $1 ORDER BY tax_code, effective_from`,
    [storeId],
  );
  return rows.map((r) => ({
    taxCode: r.tax_code,
    rateBasisPoints: r.rate_basis_points,
    ...(r.name ? { name: r.name } : {}),
    ...(r.starts ? { effectiveFrom: new Date(r.starts).toISOString() } : {}),
    effectiveUntil: r.effective_until ? new Date(r.effective_until).toISOString() : null,
  }));
}
