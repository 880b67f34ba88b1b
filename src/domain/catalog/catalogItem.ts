/**
 * Amazon's catalog item (jwo-api.md §3.2) and the checks we run before uploading it, so that a bad
 * row is reported to the retailer with its reason instead of failing inside Amazon's ingestion.
 */
import {
  BARCODE_TYPES,
  BarcodeType,
  canonicalBarcode,
  detectBarcodeType,
  isBarcodeType,
  validateBarcode,
} from './barcodes';
import { validateStandardPrice } from './price';

/** Amazon answers 400 for any field longer than this (jwo-api.md §3.4). */
export const MAX_FIELD_LENGTH = 255;
/** Extra barcodes allowed per SKU (jwo-api.md §3.2, "What's New"). */
export const MAX_ADDITIONAL_PRODUCT_IDS = 50;
/**
 * Amazon's catalog maintenance page: the item name (printed on the shopper's receipt) is 1 to 100
 * characters, and "Type 1 High ASCII characters (®, ©, ™, etc.) or other special characters are
 * not supported". Read as: any symbol beyond ASCII (Unicode category S: ®, ©, ™, °, €, £, ½ …);
 * accented letters are letters, not symbols, and stay allowed.
 */
export const MAX_ITEM_NAME_LENGTH = 100;
const SYMBOL = /\p{S}/u;

/** The characters of an item name Amazon refuses, each once, in order of appearance. */
export function unsupportedNameCharacters(name: string): string[] {
  const found = new Set<string>();
  for (const character of name) if (character.codePointAt(0)! > 0x7f && SYMBOL.test(character)) found.add(character);
  return [...found];
}

/** Amazon's item-name rules: length in characters (not UTF-16 units) and no high-ASCII symbols. */
export function itemNameProblems(name: string): string[] {
  if (name.trim() === '') return [];
  const problems: string[] = [];
  const length = [...name].length;
  if (length > MAX_ITEM_NAME_LENGTH && length <= MAX_FIELD_LENGTH) {
    problems.push(`item_name is ${length} characters long; Amazon allows ${MAX_ITEM_NAME_LENGTH}`);
  }
  const symbols = unsupportedNameCharacters(name);
  if (symbols.length > 0) {
    const named = symbols.map((symbol) => `"${symbol}"`).join(', ');
    problems.push(`item_name contains ${named}: Amazon does not support high-ASCII symbols such as ®, © and ™`);
  }
  return problems;
}

/**
 * One more barcode that scans as the same SKU. Amazon documents the type as a plain string; we only
 * send the names it lists for the main barcode.
 */
export interface AdditionalProductId {
  external_product_id: string;
  external_product_id_type: BarcodeType;
}

/**
 * One entry of Upload Catalog's `catalogItems`, with Amazon's field names. The fields seen only on one
 * translated copy of the page (color_name, size_name, image urls) are left out until confirmed.
 */
export interface CatalogItem {
  item_sku: string;
  /** The barcode the shelf label carries. */
  external_product_id: string;
  /** When absent, Amazon (and we) read the type from the barcode's length. */
  external_product_id_type?: BarcodeType;
  additional_external_product_information?: AdditionalProductId[];
  item_name: string;
  store_id: string;
  /** A decimal string, e.g. "9.99". */
  standard_price?: string;
  brand_name?: string;
  product_tax_code?: string;
  product_category?: string;
  product_subcategory?: string;
}

const REQUIRED_FIELDS = ['item_sku', 'external_product_id', 'item_name', 'store_id'] as const;

const isBlank = (value: unknown): boolean => typeof value !== 'string' || value.trim() === '';

/**
 * Everything wrong with one item, as sentences; empty when it can be uploaded. Lengths count UTF-16
 * code units, never fewer than the characters, so an item within our limit is within Amazon's
 * however it counts.
 */
export function validateCatalogItem(item: CatalogItem): string[] {
  const problems: string[] = [];
  const missing = REQUIRED_FIELDS.filter((field) => isBlank(item[field]));
  // Same wording as Amazon's own answer, "Missing required fields: item_name, store_id, …".
  if (missing.length > 0) problems.push(`missing required fields: ${missing.join(', ')}`);
  problems.push(...tooLong(item, ''));
  if (typeof item.item_name === 'string') problems.push(...itemNameProblems(item.item_name));
  if (!isBlank(item.external_product_id)) {
    problems.push(...barcodeProblems('', item.external_product_id, item.external_product_id_type));
  }
  problems.push(...additionalProductIdProblems(item.additional_external_product_information));
  if (item.standard_price !== undefined) {
    const price = validateStandardPrice(item.standard_price);
    if (!price.ok) problems.push(`standard_price "${item.standard_price}" ${price.reason}`);
  }
  return problems;
}

function tooLong(fields: object, prefix: string): string[] {
  return Object.entries(fields)
    .filter(([, value]) => typeof value === 'string' && value.length > MAX_FIELD_LENGTH)
    .map(
      ([name, value]) =>
        `${prefix}${name} is ${(value as string).length} characters long; the limit is ${MAX_FIELD_LENGTH}`,
    );
}

/** `prefix` names where the barcode sits: "" for the main one, "additional_…[i]." for the others. */
function barcodeProblems(prefix: string, code: string, type: string | undefined): string[] {
  const where = `${prefix}external_product_id "${code}"`;
  if (type === undefined) {
    const detected = detectBarcodeType(code);
    if (detected === null) {
      return [`${where} has no type given, and no barcode type has ${code.length} characters${lostZeroHint(code)}`];
    }
    const result = validateBarcode(code, detected);
    const guess = `read as ${detected} from its length; give external_product_id_type if it is another type`;
    return result.ok ? [] : [`${where}: ${result.reason} (${guess})`];
  }
  if (!isBarcodeType(type))
    return [`${prefix}external_product_id_type "${type}" is not one of ${BARCODE_TYPES.join(', ')}`];
  const result = validateBarcode(code, type);
  return result.ok ? [] : [`${where}: ${result.reason}`];
}

/** Spreadsheets store barcodes as numbers and drop the leading zero of a UPC-A. */
function lostZeroHint(code: string): string {
  return /^\d{11}$/.test(code) ? ' (a UPC-A that lost its leading zero in a spreadsheet?)' : '';
}

function additionalProductIdProblems(entries: AdditionalProductId[] | undefined): string[] {
  if (entries === undefined) return [];
  const problems: string[] = [];
  if (entries.length > MAX_ADDITIONAL_PRODUCT_IDS) {
    const count = entries.length;
    problems.push(
      `additional_external_product_information has ${count} entries; the limit is ${MAX_ADDITIONAL_PRODUCT_IDS}`,
    );
  }
  entries.forEach((entry, index) => {
    const prefix = `additional_external_product_information[${index}].`;
    problems.push(...tooLong(entry, prefix));
    if (isBlank(entry.external_product_id)) problems.push(`${prefix}external_product_id is missing`);
    else problems.push(...barcodeProblems(prefix, entry.external_product_id, entry.external_product_id_type));
  });
  return problems;
}

/** Names the item at an index in messages ("item 3", "line 7"). */
export type DescribeItem = (index: number) => string;

export interface ItemProblems {
  /** Position of the item in the list given to validateCatalog. */
  index: number;
  item_sku: string;
  problems: string[];
}

/**
 * Per-item problems plus those only the whole catalog shows: one item_sku twice in a store, and one
 * barcode on two different SKUs of a store (Amazon could not tell which of them a shopper took).
 * Barcodes compare by the product they denote, so a UPC-A and its zero-padded EAN-13 count as one.
 * `describe` names an item in messages, e.g. by its line in the retailer's file.
 * Only items with problems are returned, in order.
 */
export function validateCatalog(
  items: readonly CatalogItem[],
  describe: DescribeItem = (index) => `item ${index + 1}`,
): ItemProblems[] {
  const problems = items.map(validateCatalogItem);
  addDuplicateSkuProblems(items, problems, describe);
  addSharedBarcodeProblems(items, problems, describe);
  return problems.flatMap((list, index) =>
    list.length === 0 ? [] : [{ index, item_sku: items[index].item_sku, problems: list }],
  );
}

/** Messages name at most this many other items, so a file with one SKU on every row stays readable (and linear). */
const MAX_NAMED = 5;

function nameSome(names: string[], total: number): string {
  return total > names.length ? `${names.join(', ')} and ${total - names.length} more` : names.join(', ');
}

function groupBy<K, V>(entries: Iterable<[K, V]>): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const [key, value] of entries) {
    const group = groups.get(key);
    if (group) group.push(value);
    else groups.set(key, [value]);
  }
  return groups;
}

const storeKey = (storeId: string, value: string): string => JSON.stringify([storeId, value]);

function addDuplicateSkuProblems(items: readonly CatalogItem[], problems: string[][], describe: DescribeItem): void {
  const skuUses = items.flatMap((item, index): [string, number][] =>
    isBlank(item.item_sku) ? [] : [[storeKey(item.store_id, item.item_sku), index]],
  );
  const bySku = groupBy(skuUses);
  for (const indexes of bySku.values()) {
    if (indexes.length < 2) continue;
    for (const index of indexes) {
      const others: string[] = [];
      for (const other of indexes) {
        if (others.length === MAX_NAMED) break;
        if (other !== index) others.push(describe(other));
      }
      const { item_sku, store_id } = items[index];
      const also = nameSome(others, indexes.length - 1);
      problems[index].push(`item_sku "${item_sku}" is used more than once in store "${store_id}": also ${also}`);
    }
  }
}

interface BarcodeUse {
  index: number;
  sku: string;
  code: string;
}

function barcodeUses(item: CatalogItem, index: number): [string, BarcodeUse][] {
  // An item without a SKU is rejected already, and there is no SKU to name in the message.
  if (isBlank(item.item_sku)) return [];
  const barcodes = [item, ...(item.additional_external_product_information ?? [])].map((entry) => ({
    code: entry.external_product_id,
    type: entry.external_product_id_type,
  }));
  const uses: [string, BarcodeUse][] = [];
  const seenOnThisItem = new Set<string>();
  for (const { code, type } of barcodes) {
    if (isBlank(code)) continue;
    const resolvedType = type ?? detectBarcodeType(code);
    // Invalid barcodes are reported by validateCatalogItem already.
    const product = isBarcodeType(resolvedType) ? canonicalBarcode(code, resolvedType) : null;
    if (product === null || seenOnThisItem.has(product)) continue;
    seenOnThisItem.add(product);
    uses.push([storeKey(item.store_id, product), { index, sku: item.item_sku, code }]);
  }
  return uses;
}

function addSharedBarcodeProblems(items: readonly CatalogItem[], problems: string[][], describe: DescribeItem): void {
  const byProduct = groupBy(items.flatMap(barcodeUses));
  for (const uses of byProduct.values()) {
    if (uses.length < 2) continue;
    const usesBySku = groupBy(uses.map((use): [string, BarcodeUse] => [use.sku, use]));
    if (usesBySku.size < 2) continue;
    for (const [sku, ownUses] of usesBySku) {
      // The scan skips only this SKU's own uses, so over all SKUs the work stays linear in the group.
      const others: BarcodeUse[] = [];
      for (const use of uses) {
        if (others.length === MAX_NAMED) break;
        if (use.sku !== sku) others.push(use);
      }
      for (const own of ownUses) {
        const named = others.map((other) => {
          const spelling = other.code === own.code ? '' : `, as "${other.code}"`;
          return `item_sku "${other.sku}" (${describe(other.index)}${spelling})`;
        });
        problems[own.index].push(`barcode "${own.code}" is also on ${nameSome(named, uses.length - ownUses.length)}`);
      }
    }
  }
}
