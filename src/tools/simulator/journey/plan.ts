/**
 * The plan of a simulated run, drawn from a seed before anything is sent: who arrives when, what
 * they put in the cart, how their card behaves and how Amazon delivers their purchase. The same
 * seed, options and catalog give the same plan (the ids sent to the connector are fresh each run,
 * so a re-run never collides with an earlier one's trips).
 */
import { createHash } from 'node:crypto';
import { seededRandom, type Random } from './random';
import type { CatalogItem } from './storeData';

/** How often each quirk happens (per shopper, or per cart line). */
export const MIX = {
  emptyCart: 0.08,
  unknownItem: 0.1,
  cardDeclinesAtCapture: 0.06,
  cardTimesOutOnce: 0.06,
  retryAfterTimeout: 0.15,
  duplicateDelivery: 0.1,
  gateRetry: 0.1,
  lineAsScanCode: 0.25,
  lineWithExternalId: 0.2,
} as const;

/** Real trips take minutes; the simulation compresses them so a run of 50 shoppers takes seconds. */
const DWELL_MS = { min: 200, max: 1500 } as const;
const MAX_DISTINCT_ITEMS = 6;
const MAX_UNITS_PER_LINE = 4;
/** Barcode types Create Purchases accepts in externalIdentifiers. */
const EXTERNAL_ID_TYPES = new Set(['UPC', 'EAN', 'EAN8', 'GTIN', 'ISBN', 'PLU']);

export type CardBehaviour = 'APPROVES' | 'DECLINES_AT_CAPTURE' | 'TIMES_OUT_ONCE';

/** The simulated gateway's test cards (src/adapters/payments/simulatedGateway.ts). */
export const CARD_TOKENS: Record<CardBehaviour, string> = {
  APPROVES: 'tok_visa',
  DECLINES_AT_CAPTURE: 'tok_decline_capture',
  TIMES_OUT_ONCE: 'tok_timeout_once',
};

export type Delivery =
  | { kind: 'ONCE' }
  /** Amazon stops waiting for the first attempt after timeoutMs and sends it again. */
  | { kind: 'RETRY_AFTER_TIMEOUT'; timeoutMs: number }
  /** The same message delivered twice at the same time. */
  | { kind: 'DUPLICATE' };

export interface PlannedCartItem {
  lineItemId: string;
  /** The catalog sku the shopper took; null for an item the catalog does not know (a bad cart). */
  sku: string | null;
  /** What Amazon sends as cartItems[].id and .type: the sku, or a scanned barcode. */
  id: string;
  type: 'SKU' | 'SCANCODE';
  quantity: { value: string; unit: string };
  externalIdentifiers?: { id: string; type: string }[];
}

export interface PlannedVisit {
  index: number;
  /** From the start of the run. */
  arrivalMs: number;
  dwellMs: number;
  card: CardBehaviour;
  gateRetry: boolean;
  cart: PlannedCartItem[];
  delivery: Delivery;
}

export interface PlanOptions {
  seed: number;
  shoppers: number;
  ratePerSecond: number;
  /** Arrivals after this many seconds are left out. */
  durationSeconds?: number;
}

function quantityFor(item: CatalogItem, random: Random): { value: string; unit: string } {
  if (item.pricingUnit === 'each') return { value: `${random.int(1, MAX_UNITS_PER_LINE)}.0`, unit: 'unit' };
  // Scales report grams precision: two decimals of a pound, three of a kilogram.
  const decimals = item.pricingUnit === 'lb' || item.pricingUnit === 'oz' ? 2 : 3;
  const scale = 10 ** decimals;
  return { value: (random.int(0.2 * scale, 3 * scale) / scale).toFixed(decimals), unit: item.pricingUnit };
}

function cartItemFor(item: CatalogItem, lineItemId: string, random: Random): PlannedCartItem {
  const quantity = quantityFor(item, random);
  const barcode = item.barcodes.length ? random.pick(item.barcodes) : null;
  if (barcode && random.chance(MIX.lineAsScanCode))
    return { lineItemId, sku: item.sku, id: barcode.code, type: 'SCANCODE', quantity };
  const external = item.barcodes.filter((b) => EXTERNAL_ID_TYPES.has(b.type));
  if (external.length && random.chance(MIX.lineWithExternalId)) {
    const chosen = random.pick(external);
    return {
      lineItemId,
      sku: item.sku,
      id: item.sku,
      type: 'SKU',
      quantity,
      externalIdentifiers: [{ id: chosen.code, type: chosen.type }],
    };
  }
  return { lineItemId, sku: item.sku, id: item.sku, type: 'SKU', quantity };
}

function unknownItem(lineItemId: string, random: Random): PlannedCartItem {
  const quantity = { value: '1.0', unit: 'unit' };
  return random.chance(0.5)
    ? { lineItemId, sku: null, id: `SKU-UNLISTED-${random.int(10_000, 99_999)}`, type: 'SKU', quantity }
    : { lineItemId, sku: null, id: `99${random.int(1_000_000_000, 9_999_999_999)}`, type: 'SCANCODE', quantity };
}

function cartFor(catalog: readonly CatalogItem[], random: Random): PlannedCartItem[] {
  if (random.chance(MIX.emptyCart)) return [];
  const items = random.sample(catalog, random.int(1, Math.min(MAX_DISTINCT_ITEMS, catalog.length)));
  const cart = items.map((item, i) => cartItemFor(item, `L${i + 1}`, random));
  if (random.chance(MIX.unknownItem))
    cart.splice(random.int(0, cart.length), 0, unknownItem(`L${cart.length + 1}`, random));
  return cart;
}

function cardFor(random: Random): CardBehaviour {
  const roll = random.next();
  if (roll < MIX.cardDeclinesAtCapture) return 'DECLINES_AT_CAPTURE';
  if (roll < MIX.cardDeclinesAtCapture + MIX.cardTimesOutOnce) return 'TIMES_OUT_ONCE';
  return 'APPROVES';
}

function deliveryFor(random: Random): Delivery {
  const roll = random.next();
  if (roll < MIX.retryAfterTimeout) return { kind: 'RETRY_AFTER_TIMEOUT', timeoutMs: random.int(1, 10) };
  if (roll < MIX.retryAfterTimeout + MIX.duplicateDelivery) return { kind: 'DUPLICATE' };
  return { kind: 'ONCE' };
}

export function planRun(options: PlanOptions, catalog: readonly CatalogItem[]): PlannedVisit[] {
  if (catalog.length === 0) throw new Error('the store has no catalog items to shop from');
  const random = seededRandom(options.seed);
  const items = [...catalog].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const meanGapMs = 1000 / options.ratePerSecond;
  const windowMs = options.durationSeconds === undefined ? Infinity : options.durationSeconds * 1000;
  const visits: PlannedVisit[] = [];
  let arrivalMs = 0;
  for (let index = 0; index < options.shoppers; index++) {
    if (index > 0) arrivalMs += random.exponential(meanGapMs);
    if (arrivalMs >= windowMs) break;
    visits.push({
      index,
      arrivalMs: Math.round(arrivalMs),
      dwellMs: random.int(DWELL_MS.min, DWELL_MS.max),
      card: cardFor(random),
      gateRetry: random.chance(MIX.gateRetry),
      cart: cartFor(items, random),
      delivery: deliveryFor(random),
    });
  }
  return visits;
}

/** A short digest of the plan: two runs with the same fingerprint shopped the same carts the same way. */
export function planFingerprint(plan: readonly PlannedVisit[]): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 12);
}
