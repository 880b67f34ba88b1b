/**
 * Imports a retailer's catalog file into Amazon catalog items plus the fields our price book needs.
 * Every row is checked as the upload would check it, so the retailer gets one list of bad rows, by
 * line, and only good rows go on to Amazon.
 */
import { BARCODE_TYPES, detectBarcodeType, parseBarcodeType } from './barcodes';
import { AdditionalProductId, CatalogItem, validateCatalog } from './catalogItem';
import { SourceRow, rowsFromCsv, rowsFromJson } from './catalogRows';
import { SourceField } from './fieldNames';
import { priceToMinorUnits, validateStandardPrice } from './price';

export { CatalogFileError } from './catalogRows';

export const PRICING_UNITS = ['each', 'kg', 'g', 'lb', 'oz'] as const;
export type PricingUnit = (typeof PRICING_UNITS)[number];

export interface ImportedCatalogItem {
  amazon: CatalogItem;
  /** How `standard_price` is meant: per item, or per weight unit for weighed goods. */
  pricingUnit: PricingUnit;
  /** `standard_price` in hundredths, exactly; null when the row has no price. */
  priceMinor: number | null;
  taxCode: string | null;
}

export interface RejectedRow {
  /** CSV: the physical line where the record starts (the header is line 1). JSON: the 1-based position in the array. */
  line: number;
  sku?: string;
  problems: string[];
}

export interface CatalogImport {
  items: ImportedCatalogItem[];
  rejected: RejectedRow[];
}

/**
 * Reads a catalog file for one store. Column and key names are matched case-insensitively with the
 * aliases in fieldNames.ts, JSON may also use Amazon's names, and unknown ones are ignored.
 * `store_id` always comes from `storeId`; a store column in the file is ignored.
 * `additional_barcodes` is a ";"-separated list of "code" or "TYPE:code" (in JSON also an array of
 * those strings, or of Amazon's { external_product_id, external_product_id_type } objects). An
 * additional barcode without a type gets the type read from its length, because Amazon requires one.
 * The main barcode's type is sent only if the file gives one. Values are trimmed; empty means absent.
 * Rows with problems, including both rows of a duplicate SKU or of a barcode on two SKUs, are rejected.
 * Throws CatalogFileError when the file as a whole cannot be read.
 */
export function parseCatalogFile(content: string, format: 'csv' | 'json', storeId: string): CatalogImport {
  if (storeId.trim() === '') throw new RangeError('parseCatalogFile needs a store id');
  const rows = format === 'csv' ? rowsFromCsv(content) : rowsFromJson(content);
  const read = rows.map((row) => readRow(row, storeId));
  const positionWord = format === 'csv' ? 'line' : 'item';
  const found = validateCatalog(
    read.map((row) => row.amazon),
    (index) => `${positionWord} ${rows[index].line}`,
  );
  const catalogProblems = new Map(found.map((item) => [item.index, item.problems]));

  const result: CatalogImport = { items: [], rejected: [] };
  read.forEach(({ problems, ...imported }, index) => {
    const allProblems = rows[index].unreadable ? problems : [...problems, ...(catalogProblems.get(index) ?? [])];
    if (allProblems.length === 0) {
      result.items.push(imported);
      return;
    }
    const sku = imported.amazon.item_sku;
    result.rejected.push({ line: rows[index].line, ...(sku === '' ? {} : { sku }), problems: allProblems });
  });
  return result;
}

const OPTIONAL_TEXT_FIELDS = [
  'standard_price',
  'brand_name',
  'product_tax_code',
  'product_category',
  'product_subcategory',
] as const;

function readRow(row: SourceRow, storeId: string): ImportedCatalogItem & { problems: string[] } {
  const problems = [...row.problems];
  const text = (field: SourceField): string | undefined => textOf(row.values.get(field), field, problems);

  const amazon: CatalogItem = {
    item_sku: text('item_sku') ?? '',
    external_product_id: text('external_product_id') ?? '',
    item_name: text('item_name') ?? '',
    store_id: storeId,
  };
  const typeSpelling = text('external_product_id_type');
  if (typeSpelling !== undefined) {
    const type = parseBarcodeType(typeSpelling);
    if (type === null) problems.push(`barcode type "${typeSpelling}" is not one of ${BARCODE_TYPES.join(', ')}`);
    else amazon.external_product_id_type = type;
  }
  for (const field of OPTIONAL_TEXT_FIELDS) {
    const value = text(field);
    if (value !== undefined) amazon[field] = value;
  }
  const additional = readAdditionalBarcodes(row.values.get('additional_barcodes'), problems);
  if (additional.length > 0) amazon.additional_external_product_information = additional;

  return {
    amazon,
    pricingUnit: readPricingUnit(text('pricing_unit'), problems),
    priceMinor: readPriceMinor(amazon.standard_price, problems),
    taxCode: amazon.product_tax_code ?? null,
    problems,
  };
}

/**
 * A value as trimmed text, or undefined when absent or empty. JSON numbers are accepted as their
 * shortest spelling ("9.99", "4011"), since that is how a number-typed export writes them.
 */
function textOf(value: unknown, field: string, problems: string[]): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') {
    problems.push(`${field} must be text, got ${Array.isArray(value) ? 'an array' : typeof value}`);
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function readPricingUnit(spelling: string | undefined, problems: string[]): PricingUnit {
  if (spelling === undefined) return 'each';
  const unit = PRICING_UNITS.find((known) => known === spelling.toLowerCase());
  if (unit === undefined) problems.push(`pricing unit "${spelling}" is not one of ${PRICING_UNITS.join(', ')}`);
  return unit ?? 'each';
}

/** The price in hundredths; a malformed price is reported by validateCatalogItem, not twice here. */
function readPriceMinor(price: string | undefined, problems: string[]): number | null {
  if (price === undefined || !validateStandardPrice(price).ok) return null;
  const minor = priceToMinorUnits(price);
  if (minor.ok) return minor.minor;
  problems.push(`standard_price "${price}" ${minor.reason}`);
  return null;
}

function readAdditionalBarcodes(value: unknown, problems: string[]): AdditionalProductId[] {
  if (value === undefined || value === null) return [];
  const entries: unknown[] = typeof value === 'string' ? value.split(';') : Array.isArray(value) ? value : [value];
  const barcodes: AdditionalProductId[] = [];
  for (const entry of entries) {
    const barcode = readAdditionalBarcode(entry, problems);
    if (barcode !== undefined) barcodes.push(barcode);
  }
  return barcodes;
}

function readAdditionalBarcode(entry: unknown, problems: string[]): AdditionalProductId | undefined {
  let code: string | undefined;
  let typeSpelling: string | undefined;
  if (typeof entry === 'string') {
    const colon = entry.indexOf(':');
    code = (colon < 0 ? entry : entry.slice(colon + 1)).trim();
    typeSpelling = colon < 0 ? undefined : entry.slice(0, colon).trim();
    if (code === '' && typeSpelling === undefined) return undefined; // "a;;b" or a trailing ";"
  } else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    const fields = entry as Record<string, unknown>;
    code = textOf(fields.external_product_id, 'additional barcode external_product_id', problems);
    typeSpelling = textOf(fields.external_product_id_type, 'additional barcode external_product_id_type', problems);
  } else {
    problems.push(`additional barcode ${JSON.stringify(entry)} must be "code", "TYPE:code" or an object`);
    return undefined;
  }
  if (code === undefined || code === '') {
    problems.push('an additional barcode has no code');
    return undefined;
  }
  if (typeSpelling === undefined) {
    const detected = detectBarcodeType(code);
    if (detected === null) {
      problems.push(
        `additional barcode "${code}": no barcode type has ${code.length} characters; write it as TYPE:code`,
      );
      return undefined;
    }
    return { external_product_id: code, external_product_id_type: detected };
  }
  const type = parseBarcodeType(typeSpelling);
  if (type === null) {
    problems.push(`additional barcode "${code}": type "${typeSpelling}" is not one of ${BARCODE_TYPES.join(', ')}`);
    return undefined;
  }
  return { external_product_id: code, external_product_id_type: type };
}
