/**
 * Amazon's checks of an Upload Catalog request, with the messages of its published test cases
 * (jwo-api.md §3.2–§3.4). Checked in this order: body shape, item count, each item's required
 * fields, types and lengths, then the store ids of the whole request.
 */
export interface KnownStore {
  storeId: string;
  retailerId: string;
}

/** What the simulator keeps of an accepted item: enough to write its line of the report. */
export interface AcceptedItem {
  item_sku: string;
  item_name: string;
  external_product_id: string;
  store_id: string;
}

export type UploadValidation =
  { ok: true; items: AcceptedItem[]; retailerId: string } | { ok: false; errorMsg: string };

export const INVALID_REQUEST_BODY = 'Invalid request body';
export const UNKNOWN_STORE = "One or more StoreID's present in the request is incorrect";
export const MIXED_STORES =
  "List of store ID's present in the request are either incorrect/not associated with same retailer";

const REQUIRED_FIELDS = ['item_sku', 'item_name', 'store_id', 'external_product_id'] as const;
const MAX_FIELD_LENGTH = 255;

export function validateUpload(body: unknown, stores: readonly KnownStore[], maxItems: number): UploadValidation {
  if (!isRecord(body) || !Array.isArray(body.catalogItems)) return fail(INVALID_REQUEST_BODY);
  if (Object.keys(body).some((key) => key !== 'catalogItems')) return fail(INVALID_REQUEST_BODY);
  const rawItems: unknown[] = body.catalogItems;
  // An empty upload has nothing to ingest; INFERRED to be refused like a malformed body.
  if (rawItems.length === 0) return fail(INVALID_REQUEST_BODY);
  if (rawItems.length > maxItems) {
    return fail(`Number of catalog items ${rawItems.length} exceeds the threshold of ${maxItems} items per request`);
  }

  const items: AcceptedItem[] = [];
  for (const raw of rawItems) {
    const problem = itemProblem(raw);
    if (problem) return fail(problem);
    const item = raw as Record<string, string>;
    items.push({
      item_sku: item.item_sku,
      item_name: item.item_name,
      external_product_id: item.external_product_id,
      store_id: item.store_id,
    });
  }

  const storeCheck = checkStores(new Set(items.map((item) => item.store_id)), stores);
  return 'errorMsg' in storeCheck ? fail(storeCheck.errorMsg) : { ok: true, items, retailerId: storeCheck.retailerId };
}

function itemProblem(raw: unknown): string | undefined {
  if (!isRecord(raw)) return INVALID_REQUEST_BODY;
  const missing = REQUIRED_FIELDS.filter(
    (field) => raw[field] === undefined || raw[field] === null || raw[field] === '',
  );
  if (missing.length > 0) return `Missing required fields: ${missing.join(', ')}`;
  for (const [field, value] of Object.entries(raw)) {
    // Nested lists (additional_external_product_information) are checked one level down.
    if (Array.isArray(value)) {
      const nested = value.map(nestedProblem).find(Boolean);
      if (nested) return nested;
      continue;
    }
    if (typeof value !== 'string') return INVALID_REQUEST_BODY;
    if (value.length > MAX_FIELD_LENGTH)
      return `Field ${field} exceeds the maximum length of ${MAX_FIELD_LENGTH} characters`;
  }
  return undefined;
}

function nestedProblem(entry: unknown): string | undefined {
  if (!isRecord(entry)) return INVALID_REQUEST_BODY;
  for (const [field, value] of Object.entries(entry)) {
    if (typeof value !== 'string') return INVALID_REQUEST_BODY;
    if (value.length > MAX_FIELD_LENGTH)
      return `Field ${field} exceeds the maximum length of ${MAX_FIELD_LENGTH} characters`;
  }
  return undefined;
}

/**
 * All unknown: "One or more StoreID's … incorrect". Known and unknown mixed, or stores of
 * different retailers: "List of store ID's … same retailer" (Amazon's test cases 3 and 4).
 */
function checkStores(
  storeIds: Set<string>,
  stores: readonly KnownStore[],
): { retailerId: string } | { errorMsg: string } {
  const retailers = new Set<string>();
  let unknown = 0;
  for (const storeId of storeIds) {
    const store = stores.find((candidate) => candidate.storeId === storeId);
    if (store) retailers.add(store.retailerId);
    else unknown += 1;
  }
  if (retailers.size === 0) return { errorMsg: UNKNOWN_STORE };
  if (unknown > 0 || retailers.size > 1) return { errorMsg: MIXED_STORES };
  return { retailerId: [...retailers][0] };
}

function fail(errorMsg: string): UploadValidation {
  return { ok: false, errorMsg };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
