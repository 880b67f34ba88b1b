/**
 * Validates the configuration half of a pricing input (currency, trip time, price book, tax rates,
 * promotions) and indexes it for the engine. Every problem found is reported at once in a single
 * PricingInputError, so a bad catalog upload can be fixed in one go.
 */
import { isCurrencyCode } from '../money';
import { PRICING_UNITS } from '../quantity';
import { PricingInputError } from './errors';
import { parseIsoInstant } from './isoInstant';
import { promotionParameterIssues } from './promotionRules';
import { isActiveAt, readPromotionWindow } from './promotionSchedule';
import type { ItemPromotion, PriceBookEntry, PricingInput, Promotion, SpendThresholdPromotion, TaxRate } from './types';

export interface PreparedInput {
  readonly priceBook: ReadonlyMap<string, PriceBookEntry>;
  readonly taxRates: ReadonlyMap<string, TaxRate>;
  /** Item-level promotions live at the trip time, in application order. */
  readonly itemPromotions: readonly ItemPromotion[];
  /** Spend thresholds live at the trip time, in application order. */
  readonly spendThresholds: readonly SpendThresholdPromotion[];
}

export function prepareInput(input: PricingInput): PreparedInput {
  const issues: string[] = [];
  if (!isCurrencyCode(input.currency)) issues.push(`currency "${String(input.currency)}" is not an ISO 4217 code`);
  const atNs = parseIsoInstant(input.at);
  if (atNs === undefined) issues.push(`at "${String(input.at)}" is not an ISO-8601 instant with an offset`);
  if (typeof input.taxInclusive !== 'boolean') issues.push('taxInclusive must be a boolean');
  if (!Array.isArray(input.lines)) issues.push('lines must be a list');

  const priceBook = indexByKey(
    listOf(input.priceBook, 'priceBook', issues),
    'price book sku',
    (entry) => entry.sku,
    priceBookEntryIssues,
    issues,
  );
  const taxRates = indexByKey(
    listOf(input.taxRates, 'taxRates', issues),
    'tax code',
    (rate) => rate.taxCode,
    taxRateIssues,
    issues,
  );
  const promotions = indexByKey(
    listOf(input.promotions, 'promotions', issues),
    'promotion id',
    (promotion) => promotion.id,
    (promotion) => {
      const reading = readPromotionWindow(promotion);
      return [...promotionParameterIssues(promotion), ...(reading.ok ? [] : reading.issues)];
    },
    issues,
  );

  if (issues.length > 0 || atNs === undefined) throw new PricingInputError(issues);

  const live = [...promotions.values()].filter((promotion) => isLiveAt(promotion, atNs)).sort(byApplicationOrder);
  return {
    priceBook,
    taxRates,
    itemPromotions: live.filter((promotion): promotion is ItemPromotion => promotion.kind !== 'SPEND_THRESHOLD'),
    spendThresholds: live.filter(
      (promotion): promotion is SpendThresholdPromotion => promotion.kind === 'SPEND_THRESHOLD',
    ),
  };
}

/** Whether the (already validated) promotion's schedule covers the trip time. */
function isLiveAt(promotion: Promotion, atNs: bigint): boolean {
  const reading = readPromotionWindow(promotion);
  return reading.ok && isActiveAt(reading.window, atNs);
}

/** Higher priority first; equal priorities by id in code-unit order (locale-independent, so deterministic). */
function byApplicationOrder(a: Promotion, b: Promotion): number {
  const priorityA = a.priority ?? 0;
  const priorityB = b.priority ?? 0;
  if (priorityA !== priorityB) return priorityA > priorityB ? -1 : 1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

function listOf<T>(value: T[], field: string, issues: string[]): T[] {
  if (Array.isArray(value)) return value;
  issues.push(`${field} must be a list`);
  return [];
}

/** Indexes entries by a non-empty string key, reporting bad and duplicate keys and each entry's own issues. */
function indexByKey<T>(
  entries: T[],
  keyName: string,
  keyOf: (entry: T) => string,
  entryIssues: (entry: T) => string[],
  issues: string[],
): Map<string, T> {
  const index = new Map<string, T>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (typeof key !== 'string' || key.length === 0) {
      issues.push(`${keyName} ${JSON.stringify(key)} must be a non-empty string`);
      continue;
    }
    if (index.has(key)) issues.push(`duplicate ${keyName} "${key}"`);
    issues.push(...entryIssues(entry).map((issue) => `${keyName} "${key}": ${issue}`));
    index.set(key, entry);
  }
  return index;
}

function priceBookEntryIssues(entry: PriceBookEntry): string[] {
  const issues: string[] = [];
  if (typeof entry.name !== 'string') issues.push('name must be a string');
  if (!Number.isSafeInteger(entry.unitPriceMinor) || entry.unitPriceMinor < 0)
    issues.push('unitPriceMinor must be a non-negative integer');
  if (!PRICING_UNITS.includes(entry.pricingUnit))
    issues.push(`pricingUnit ${JSON.stringify(entry.pricingUnit)} must be one of ${PRICING_UNITS.join(', ')}`);
  if (typeof entry.taxCode !== 'string') issues.push('taxCode must be a string');
  return issues;
}

function taxRateIssues(rate: TaxRate): string[] {
  return Number.isSafeInteger(rate.rateBasisPoints) && rate.rateBasisPoints >= 0
    ? []
    : ['rateBasisPoints must be a non-negative integer'];
}
