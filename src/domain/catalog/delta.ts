/**
 * What a catalog sync sends: Amazon asks retailers to send only the changes that affect the store
 * (SKU, scannable barcodes, the name printed on the receipt; the price where Amazon's receipts show
 * it). The delta compares the retailer's source with what Amazon accepted (the baseline), on the
 * store's relevant fields only.
 */
import { detectBarcodeType } from './barcodes';
import type { CatalogItem } from './catalogItem';

/** Fields whose change makes an item worth sending again. `barcodes` is the main one and every additional one. */
export const SYNC_FIELDS = [
  'sku',
  'barcodes',
  'name',
  'brand',
  'category',
  'subcategory',
  'price',
  'tax_code',
] as const;
export type SyncField = (typeof SYNC_FIELDS)[number];

/** What Amazon's catalog pages name as store-relevant; the price is added when the store's receipts show it. */
export const DEFAULT_SYNC_FIELDS: readonly SyncField[] = ['sku', 'barcodes', 'name', 'brand', 'category'];

export interface SyncFieldSettings {
  fields: readonly SyncField[];
  /** Amazon's receipts show the item price for this store (the retailer owns pricing there). */
  priceOnReceipts: boolean;
}

export const DEFAULT_SYNC_SETTINGS: SyncFieldSettings = { fields: DEFAULT_SYNC_FIELDS, priceOnReceipts: false };

export const isSyncField = (name: string): name is SyncField => (SYNC_FIELDS as readonly string[]).includes(name);

/** The fields compared for a store: its list, plus the price when its receipts show it. */
export function effectiveSyncFields(settings: SyncFieldSettings): SyncField[] {
  const fields = new Set<SyncField>(['sku', ...settings.fields]);
  if (settings.priceOnReceipts) fields.add('price');
  return SYNC_FIELDS.filter((field) => fields.has(field));
}

const barcodeKey = (code: string, type: string | undefined): string =>
  `${type ?? detectBarcodeType(code) ?? ''}:${code}`;

function fieldValue(item: CatalogItem, field: SyncField): unknown {
  switch (field) {
    case 'sku':
      return item.item_sku;
    case 'barcodes':
      // The main barcode is the one on the shelf label; the others compare as a set.
      return [
        barcodeKey(item.external_product_id, item.external_product_id_type),
        ...(item.additional_external_product_information ?? [])
          .map((entry) => barcodeKey(entry.external_product_id, entry.external_product_id_type))
          .sort(),
      ];
    case 'name':
      return item.item_name;
    case 'brand':
      return item.brand_name ?? null;
    case 'category':
      return item.product_category ?? null;
    case 'subcategory':
      return item.product_subcategory ?? null;
    case 'price':
      return item.standard_price ?? null;
    case 'tax_code':
      return item.product_tax_code ?? null;
  }
}

/** The item's relevant fields as one comparable string. */
export function relevantFingerprint(item: CatalogItem, fields: readonly SyncField[]): string {
  return JSON.stringify(fields.map((field) => fieldValue(item, field)));
}

/** The relevant fields that differ between two versions of an item (for the dry run's listing). */
export function changedFields(before: CatalogItem, after: CatalogItem, fields: readonly SyncField[]): SyncField[] {
  return fields.filter(
    (field) => JSON.stringify(fieldValue(before, field)) !== JSON.stringify(fieldValue(after, field)),
  );
}

/** What Amazon holds of one SKU, and how its last upload went. */
export interface BaselineEntry {
  sku: string;
  /** The item as Amazon last accepted it; null when it never was. */
  accepted: CatalogItem | null;
  /** SUCCESS, FAILED, INVALID or UNKNOWN: the SKU's result in the last upload that carried it. */
  lastStatus: string;
}

export type DeltaChange = 'NEW' | 'CHANGED' | 'RETRY';

export interface DeltaItem {
  change: DeltaChange;
  item: CatalogItem;
  /** For CHANGED: which relevant fields differ. */
  fields?: SyncField[];
}

export interface CatalogDelta {
  /** In the source's order. */
  toSend: DeltaItem[];
  unchanged: number;
  /** SKUs Amazon holds that the source no longer has (archived through the Merchant Portal, not the API). */
  removed: string[];
}

/**
 * The delta of a source against the baseline. A SKU whose last upload did not succeed is re-sent
 * (RETRY) whatever changed; a SKU Amazon never accepted is NEW; one whose relevant fields differ
 * from the accepted version is CHANGED. `keep` are SKUs of the source's rejected rows: not sent,
 * and not "removed" either (a bad row is no reason to archive an item).
 */
export function computeCatalogDelta(
  source: readonly CatalogItem[],
  baseline: ReadonlyMap<string, BaselineEntry>,
  fields: readonly SyncField[],
  keep: ReadonlySet<string> = new Set(),
): CatalogDelta {
  const delta: CatalogDelta = { toSend: [], unchanged: 0, removed: [] };
  const inSource = new Set<string>();
  for (const item of source) {
    inSource.add(item.item_sku);
    const entry = baseline.get(item.item_sku);
    if (entry && entry.lastStatus !== 'SUCCESS') delta.toSend.push({ change: 'RETRY', item });
    else if (!entry?.accepted) delta.toSend.push({ change: 'NEW', item });
    else if (relevantFingerprint(entry.accepted, fields) !== relevantFingerprint(item, fields))
      delta.toSend.push({ change: 'CHANGED', item, fields: changedFields(entry.accepted, item, fields) });
    else delta.unchanged += 1;
  }
  for (const entry of baseline.values()) {
    if (entry.accepted && !inSource.has(entry.sku) && !keep.has(entry.sku)) delta.removed.push(entry.sku);
  }
  delta.removed.sort();
  return delta;
}
