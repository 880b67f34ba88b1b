/**
 * What the connector accepts from a POS before it moves money on its answer (pure; no I/O).
 *
 * - **Consistent** (`POS_INCONSISTENT`): the answer is in the store's currency; no amount is
 *   negative or a fraction of a minor unit; each line adds up (discounts → discountMinor,
 *   gross − discount = net, net (+ tax when tax is added on top) = total); the totals are the sums of
 *   the lines, total = subtotal − discount (+ tax), and the promotions applied add up to the
 *   discount; every line asked for comes back exactly once (priced or unpriceable), priced as the
 *   SKU and quantity asked for. The built-in engine promises all of this (see
 *   test/unit/domain/pricing/fixtures.ts, expectConsistent); a retailer's own POS is held to it.
 * - **Sane** (`ABSURD_CART`): no line quantity above MAX_LINE_QUANTITY, no total above
 *   MAX_TOTAL_MAJOR_UNITS of the currency's major unit. A fuzzed quantity of "9999999999" priced at
 *   17.99 is not a purchase to capture; a person looks at it.
 *
 * A cart that fails either goes to bad-cart review instead of being charged (or retried for an hour).
 */
import { currencyExponent } from './money';
import type { PricingResult } from './pricing';

/** More of one line than any store shelf holds: Amazon's quantity is not to be believed. */
export const MAX_LINE_QUANTITY = 9_999;
/** 1,000,000.00 in the store's currency (in its major unit: dollars, euros, yen). */
export const MAX_TOTAL_MAJOR_UNITS = 1_000_000;

export type PosCheckReason = 'POS_INCONSISTENT' | 'ABSURD_CART';

export interface PosCheckProblem {
  /** The line concerned, or '*' for the cart as a whole. */
  lineId: string;
  /** The SKU concerned, or '*'. */
  itemId: string;
  reason: PosCheckReason;
  detail: string;
}

/** What was asked of the POS (the parts the answer is checked against). */
export interface PosQuestion {
  currency: string;
  taxInclusive: boolean;
  lines: { lineId: string; sku: string; quantity: string }[];
}

/** True when a quantity (Amazon's exact decimal string) is above MAX_LINE_QUANTITY, or not a number at all. */
export function absurdQuantity(quantity: string): boolean {
  const value = Number(quantity);
  return !Number.isFinite(value) || value > MAX_LINE_QUANTITY;
}

/** The largest total accepted, in the currency's minor units (100,000,000 for USD, 1,000,000 for JPY). */
export function maxTotalMinor(currency: string): number {
  return MAX_TOTAL_MAJOR_UNITS * 10 ** currencyExponent(currency);
}

/** The problems of a line quantity, if it is absurd (checked before the cart is sent to the POS). */
export function quantityProblem(line: { lineId: string; itemId: string; quantity: string }): PosCheckProblem | null {
  if (!absurdQuantity(line.quantity)) return null;
  return {
    lineId: line.lineId,
    itemId: line.itemId,
    reason: 'ABSURD_CART',
    detail: `quantity ${line.quantity} is above ${MAX_LINE_QUANTITY.toLocaleString('en-US')}`,
  };
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

/** Every problem of a POS answer to `question`; empty when it can be charged. */
export function checkPosAnswer(question: PosQuestion, answer: PricingResult): PosCheckProblem[] {
  const problems: PosCheckProblem[] = [];
  const inconsistent = (detail: string, lineId = '*', itemId = '*') =>
    problems.push({ lineId, itemId, reason: 'POS_INCONSISTENT', detail });

  if (answer.currency !== question.currency)
    inconsistent(`the POS answered in ${answer.currency}, the store's currency is ${question.currency}`);

  const amount = (value: number, what: string, lineId?: string, itemId?: string): void => {
    if (!Number.isSafeInteger(value)) inconsistent(`${what} is not a whole number of minor units`, lineId, itemId);
    else if (value < 0) inconsistent(`${what} is negative (${value})`, lineId, itemId);
  };

  const asked = new Map(question.lines.map((l) => [l.lineId, l]));
  const answered = new Set<string>();
  const once = (lineId: string, itemId: string) => {
    if (!asked.has(lineId)) inconsistent(`line ${lineId} was not in the cart`, lineId, itemId);
    else if (answered.has(lineId)) inconsistent(`line ${lineId} is answered more than once`, lineId, itemId);
    answered.add(lineId);
  };

  for (const line of answer.lines) {
    const at = (field: string) => `line ${line.lineId} ${field}`;
    once(line.lineId, line.sku);
    const wanted = asked.get(line.lineId);
    if (wanted && wanted.sku !== line.sku)
      inconsistent(`line ${line.lineId} is priced as ${line.sku}, the cart has ${wanted.sku}`, line.lineId, line.sku);
    if (wanted && Number(wanted.quantity) !== Number(line.quantity))
      inconsistent(
        `line ${line.lineId} is priced for quantity ${line.quantity}, the cart has ${wanted.quantity}`,
        line.lineId,
        line.sku,
      );
    const fields: Record<string, number> = {
      unitPriceMinor: line.unitPriceMinor,
      grossMinor: line.grossMinor,
      discountMinor: line.discountMinor,
      netMinor: line.netMinor,
      taxMinor: line.taxMinor,
      totalMinor: line.totalMinor,
      taxRateBasisPoints: line.taxRateBasisPoints,
    };
    for (const [field, value] of Object.entries(fields)) amount(value, at(field), line.lineId, line.sku);
    line.discounts.forEach((d, i) => amount(d.amountMinor, at(`discounts[${i}]`), line.lineId, line.sku));
    const adds = (what: string, actual: number, expected: number) => {
      if (actual !== expected)
        inconsistent(`${at(what)} is ${actual}, its parts add up to ${expected}`, line.lineId, line.sku);
    };
    adds('discountMinor', line.discountMinor, sum(line.discounts.map((d) => d.amountMinor)));
    adds('netMinor', line.netMinor, line.grossMinor - line.discountMinor);
    adds('totalMinor', line.totalMinor, question.taxInclusive ? line.netMinor : line.netMinor + line.taxMinor);
  }
  for (const line of answer.unpriceable) once(line.lineId, line.sku);
  for (const line of question.lines)
    if (!answered.has(line.lineId))
      inconsistent(`line ${line.lineId} is missing from the answer`, line.lineId, line.sku);

  const totals = {
    subtotalMinor: answer.subtotalMinor,
    discountMinor: answer.discountMinor,
    taxMinor: answer.taxMinor,
    totalMinor: answer.totalMinor,
  };
  for (const [field, value] of Object.entries(totals)) amount(value, field);
  answer.promotionsApplied.forEach((p, i) => amount(p.amountMinor, `promotionsApplied[${i}]`));
  const adds = (what: string, actual: number, expected: number, parts: string) => {
    if (actual !== expected) inconsistent(`${what} is ${actual}, ${parts} add up to ${expected}`);
  };
  adds('subtotalMinor', answer.subtotalMinor, sum(answer.lines.map((l) => l.grossMinor)), 'the lines');
  adds('discountMinor', answer.discountMinor, sum(answer.lines.map((l) => l.discountMinor)), 'the lines');
  adds('taxMinor', answer.taxMinor, sum(answer.lines.map((l) => l.taxMinor)), 'the lines');
  adds('totalMinor', answer.totalMinor, sum(answer.lines.map((l) => l.totalMinor)), 'the lines');
  adds(
    'totalMinor',
    answer.totalMinor,
    answer.subtotalMinor - answer.discountMinor + (question.taxInclusive ? 0 : answer.taxMinor),
    'subtotal, discount and tax',
  );
  adds(
    'discountMinor',
    answer.discountMinor,
    sum(answer.promotionsApplied.map((p) => p.amountMinor)),
    'the promotions applied',
  );

  for (const line of question.lines) {
    const problem = quantityProblem({ lineId: line.lineId, itemId: line.sku, quantity: line.quantity });
    if (problem) problems.push(problem);
  }
  if (Number.isSafeInteger(answer.totalMinor) && answer.totalMinor > maxTotalMinor(question.currency))
    problems.push({
      lineId: '*',
      itemId: '*',
      reason: 'ABSURD_CART',
      detail: `total ${answer.totalMinor} minor units of ${question.currency} is above ${MAX_TOTAL_MAJOR_UNITS.toLocaleString('en-US')} ${question.currency}`,
    });
  return problems;
}
