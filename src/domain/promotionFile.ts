/**
 * Promotions as a retailer's POS exports them, read into the pricing engine's definitions, and the
 * checks that refuse a promotion that would never apply. Two file formats:
 *
 * - JSON: a list of the engine's definitions (src/domain/pricing/types.ts, amounts in minor units,
 *   percentages in basis points), or an object with that list under `promotions`.
 * - CSV with a header row; columns (case-insensitive, any order, unused ones empty):
 *   id, name, kind (PERCENT_OFF, AMOUNT_OFF or FIXED_OFF, MULTI_BUY, BUY_X_GET_Y, SPEND_THRESHOLD;
 *   dashes and lower case accepted), skus (separated by `|`, `;` or spaces), percent (20 or 12.5),
 *   amount, price and threshold (major units of the store's currency: 5.00), quantity, buy, get,
 *   get_percent, starts_at, ends_at (ISO instants with an offset), priority, exclusive (true/false).
 */
import { parseCsv } from './catalog/csv';
import { parseIsoInstant } from './pricing/isoInstant';
import { promotionParameterIssues } from './pricing/promotionRules';
import { readPromotionWindow } from './pricing/promotionSchedule';
import type { Promotion, PromotionKind } from './pricing';
import { majorToMinor } from './storeSettings';

export const PROMOTION_KINDS: readonly PromotionKind[] = [
  'PERCENT_OFF',
  'FIXED_OFF',
  'MULTI_BUY',
  'BUY_X_GET_Y',
  'SPEND_THRESHOLD',
];

/** PERCENT_OFF from "percent-off", FIXED_OFF also from "AMOUNT_OFF" (the issue's name for it). */
export function parsePromotionKind(spelling: string): PromotionKind | null {
  const normal = spelling.trim().toUpperCase().replace(/[-\s]/g, '_');
  if (normal === 'AMOUNT_OFF') return 'FIXED_OFF';
  return (PROMOTION_KINDS as readonly string[]).includes(normal) ? (normal as PromotionKind) : null;
}

export interface PromotionRow {
  /** 1-based line in a CSV file, or 1-based position in a JSON list. */
  line: number;
  id: string | null;
  promotion: Promotion | null;
  problems: string[];
}

export class PromotionFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PromotionFileError';
  }
}

const MAX_ID_LENGTH = 255;

/** Reads a promotion file; a file that cannot be read at all throws PromotionFileError, a bad row is reported with its problems. */
export function parsePromotionFile(content: string, format: 'json' | 'csv', currency: string): PromotionRow[] {
  return format === 'json' ? fromJson(content) : fromCsv(content, currency);
}

function fromJson(content: string): PromotionRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (err) {
    throw new PromotionFileError(`not valid JSON: ${(err as Error).message}`);
  }
  const list =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as { promotions?: unknown }).promotions
      : parsed;
  if (!Array.isArray(list))
    throw new PromotionFileError('must be a list of promotions, or an object with "promotions"');
  return list.map((value, index) => {
    const line = index + 1;
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { line, id: null, promotion: null, problems: ['must be an object'] };
    const candidate = value as Record<string, unknown>;
    const id = typeof candidate.id === 'string' ? candidate.id : null;
    const kind = typeof candidate.kind === 'string' ? parsePromotionKind(candidate.kind) : null;
    if (!kind) return { line, id, promotion: null, problems: [`kind must be one of ${PROMOTION_KINDS.join(', ')}`] };
    const promotion = { ...candidate, kind } as unknown as Promotion;
    return { line, id, promotion, problems: definitionProblems(promotion) };
  });
}

function fromCsv(content: string, currency: string): PromotionRow[] {
  const records = parseCsv(content);
  if (records.length === 0) throw new PromotionFileError('the file is empty');
  const header = records[0].fields.map((f) => f.trim().toLowerCase());
  for (const required of ['id', 'name', 'kind'])
    if (!header.includes(required)) throw new PromotionFileError(`the header has no "${required}" column`);
  return records.slice(1).map((record) => {
    const cell = (name: string): string | undefined => {
      const index = header.indexOf(name);
      const value = index < 0 ? undefined : record.fields[index]?.trim();
      return value === '' ? undefined : value;
    };
    const problems: string[] = record.error ? [record.error] : [];
    const id = cell('id') ?? null;
    const kind = parsePromotionKind(cell('kind') ?? '');
    if (!kind) problems.push(`kind must be one of ${PROMOTION_KINDS.join(', ')}`);
    const money = (column: string): number | undefined => {
      const text = cell(column);
      if (text === undefined) return undefined;
      const minor = majorToMinor(text, currency);
      if (minor === null) problems.push(`${column} "${text}" is not an amount in ${currency}`);
      return minor ?? undefined;
    };
    const count = (column: string): number | undefined => {
      const text = cell(column);
      if (text === undefined) return undefined;
      if (!/^-?\d+$/.test(text)) problems.push(`${column} "${text}" must be a whole number`);
      return Number(text);
    };
    const percent = (column: string): number | undefined => {
      const text = cell(column);
      if (text === undefined) return undefined;
      const basisPoints = percentToBasisPoints(text);
      if (basisPoints === null) problems.push(`${column} "${text}" must be a percentage with at most 2 decimals`);
      return basisPoints ?? undefined;
    };
    const exclusiveText = cell('exclusive')?.toLowerCase();
    if (exclusiveText !== undefined && !['true', 'false', 'yes', 'no', '1', '0'].includes(exclusiveText))
      problems.push('exclusive must be true or false');
    const common = {
      id: id ?? '',
      name: cell('name') ?? '',
      ...defined('startsAt', cell('starts_at')),
      ...defined('endsAt', cell('ends_at')),
      ...defined('priority', count('priority')),
      ...defined('exclusive', exclusiveText === undefined ? undefined : ['true', 'yes', '1'].includes(exclusiveText)),
    };
    const skus = (cell('skus') ?? '').split(/[|;\s]+/).filter(Boolean);
    let promotion: Promotion | null = null;
    switch (kind) {
      case 'PERCENT_OFF':
        promotion = { ...common, kind, skus, percentBasisPoints: percent('percent')! };
        break;
      case 'FIXED_OFF':
        promotion = { ...common, kind, skus, amountOffMinor: money('amount')! };
        break;
      case 'MULTI_BUY':
        promotion = { ...common, kind, skus, quantity: count('quantity')!, priceMinor: money('price')! };
        break;
      case 'BUY_X_GET_Y':
        promotion = {
          ...common,
          kind,
          skus,
          buyQuantity: count('buy')!,
          getQuantity: count('get')!,
          ...defined('getPercentOffBasisPoints', percent('get_percent')),
        };
        break;
      case 'SPEND_THRESHOLD':
        promotion = {
          ...common,
          kind,
          thresholdMinor: money('threshold')!,
          ...defined('amountOffMinor', money('amount')),
          ...defined('percentOffBasisPoints', percent('percent')),
        };
        break;
    }
    if (promotion) problems.push(...definitionProblems(promotion));
    return { line: record.line, id, promotion: problems.length ? null : promotion, problems };
  });
}

const defined = <K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> =>
  value === undefined ? {} : ({ [key]: value } as Record<K, V>);

/** "20" → 2000, "12.5" → 1250; null beyond hundredths of a percent (the engine's basis points). */
export function percentToBasisPoints(text: string): number | null {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1] + (match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(value) ? value : null;
}

/** Problems with the definition on its own (fields, schedule), before the store's catalog is looked at. */
export function definitionProblems(promotion: Promotion): string[] {
  const problems: string[] = [];
  if (typeof promotion.id !== 'string' || promotion.id.length === 0) problems.push('id must not be empty');
  else if (promotion.id.length > MAX_ID_LENGTH) problems.push(`id must be at most ${MAX_ID_LENGTH} characters`);
  if (typeof promotion.name === 'string' && promotion.name.length === 0) problems.push('name must not be empty');
  problems.push(...promotionParameterIssues(promotion));
  const window = readPromotionWindow(promotion);
  if (!window.ok)
    problems.push(
      ...window.issues.map((issue) =>
        issue.replace('startsAt must be before endsAt', 'it ends before it starts (endsAt must be after startsAt)'),
      ),
    );
  return problems;
}

/**
 * Why the promotion would never apply in this store now, if it would not: it ends before `now`, or
 * none of its SKUs is in the catalog. `missingSkus` lists SKUs not in the catalog (a warning when
 * some others are).
 */
export function neverAppliesBecause(
  promotion: Promotion,
  now: Date,
  catalogSkus: ReadonlySet<string>,
): { problems: string[]; missingSkus: string[] } {
  const problems: string[] = [];
  if (promotion.endsAt !== undefined) {
    const ends = parseIsoInstant(promotion.endsAt);
    if (ends !== undefined && ends <= BigInt(now.getTime()) * 1_000_000n)
      problems.push(`it ended at ${promotion.endsAt}, before now: it would never apply`);
  }
  const skus = 'skus' in promotion && Array.isArray(promotion.skus) ? promotion.skus : [];
  const missingSkus = skus.filter((sku) => !catalogSkus.has(sku));
  if (skus.length > 0 && missingSkus.length === skus.length)
    problems.push(`no SKU of it is in the store's catalog (${skus.join(', ')}): it would never apply`);
  return { problems, missingSkus };
}

/** What a promotion is doing at `now`: before its start, running, or over. */
export function promotionState(promotion: Promotion, now: Date): 'SCHEDULED' | 'ACTIVE' | 'ENDED' {
  const nowNs = BigInt(now.getTime()) * 1_000_000n;
  const starts = promotion.startsAt === undefined ? undefined : parseIsoInstant(promotion.startsAt);
  const ends = promotion.endsAt === undefined ? undefined : parseIsoInstant(promotion.endsAt);
  if (ends !== undefined && ends <= nowNs) return 'ENDED';
  if (starts !== undefined && starts > nowNs) return 'SCHEDULED';
  return 'ACTIVE';
}
