/**
 * The columns (CSV) or keys (JSON) a retailer's catalog file may use. Each field has Amazon's name and
 * the names retailers' exports commonly use. `pricing_unit` is not an Amazon field: it is kept for
 * the retailer's price book. `store_id` is absent on purpose: the store comes from the import's caller.
 */
export const SOURCE_FIELD_NAMES = {
  item_sku: ['sku', 'item_sku'],
  external_product_id: ['barcode', 'upc', 'ean', 'external_product_id'],
  external_product_id_type: ['barcode_type', 'external_product_id_type'],
  item_name: ['name', 'item_name', 'title'],
  standard_price: ['price', 'standard_price'],
  brand_name: ['brand', 'brand_name'],
  product_tax_code: ['tax_code', 'product_tax_code'],
  product_category: ['category', 'product_category'],
  product_subcategory: ['subcategory', 'product_subcategory'],
  pricing_unit: ['unit', 'pricing_unit'],
  additional_barcodes: ['additional_barcodes', 'additional_external_product_information'],
} as const;

export type SourceField = keyof typeof SOURCE_FIELD_NAMES;

const FIELD_BY_NAME = new Map<string, SourceField>(
  (Object.keys(SOURCE_FIELD_NAMES) as SourceField[]).flatMap((field) =>
    SOURCE_FIELD_NAMES[field].map((name): [string, SourceField] => [name, field]),
  ),
);

/** The field a column or key stands for, ignoring case and treating spaces and "-" as "_" ("Item SKU"). */
export function sourceFieldFor(name: string): SourceField | undefined {
  return FIELD_BY_NAME.get(
    name
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
}
