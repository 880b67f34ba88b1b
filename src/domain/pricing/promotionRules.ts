/** Checks a promotion's parameters, so the engine never has to guess what a malformed promotion meant. */
import { BASIS_POINTS_PER_WHOLE } from './basisPoints';
import type { Promotion } from './types';

/** Problems with the promotion's own fields (not its schedule), each phrased to complete "promotion X: ...". */
export function promotionParameterIssues(promotion: Promotion): string[] {
  const issues: string[] = [];
  const check = (ok: boolean, problem: string): void => {
    if (!ok) issues.push(problem);
  };
  check(typeof promotion.name === 'string', 'name must be a string');
  check(promotion.priority === undefined || Number.isSafeInteger(promotion.priority), 'priority must be an integer');
  check(promotion.exclusive === undefined || typeof promotion.exclusive === 'boolean', 'exclusive must be a boolean');
  switch (promotion.kind) {
    case 'PERCENT_OFF':
      check(isSkuList(promotion.skus), 'skus must be a non-empty list of skus');
      check(isPercentage(promotion.percentBasisPoints), 'percentBasisPoints must be an integer from 1 to 10000');
      break;
    case 'FIXED_OFF':
      check(isSkuList(promotion.skus), 'skus must be a non-empty list of skus');
      check(isCount(promotion.amountOffMinor), 'amountOffMinor must be a positive integer');
      break;
    case 'BUY_X_GET_Y':
      check(isSkuList(promotion.skus), 'skus must be a non-empty list of skus');
      check(isCount(promotion.buyQuantity), 'buyQuantity must be a positive integer');
      check(isCount(promotion.getQuantity), 'getQuantity must be a positive integer');
      check(
        promotion.getPercentOffBasisPoints === undefined || isPercentage(promotion.getPercentOffBasisPoints),
        'getPercentOffBasisPoints must be an integer from 1 to 10000',
      );
      break;
    case 'MULTI_BUY':
      check(isSkuList(promotion.skus), 'skus must be a non-empty list of skus');
      check(isCount(promotion.quantity), 'quantity must be a positive integer');
      check(isAmount(promotion.priceMinor), 'priceMinor must be a non-negative integer');
      break;
    case 'SPEND_THRESHOLD': {
      check(isAmount(promotion.thresholdMinor), 'thresholdMinor must be a non-negative integer');
      const { amountOffMinor, percentOffBasisPoints } = promotion;
      check(
        (amountOffMinor === undefined) !== (percentOffBasisPoints === undefined),
        'exactly one of amountOffMinor and percentOffBasisPoints must be set',
      );
      check(amountOffMinor === undefined || isCount(amountOffMinor), 'amountOffMinor must be a positive integer');
      check(
        percentOffBasisPoints === undefined || isPercentage(percentOffBasisPoints),
        'percentOffBasisPoints must be an integer from 1 to 10000',
      );
      break;
    }
    default:
      issues.push(`unknown kind ${JSON.stringify((promotion as { kind: unknown }).kind)}`);
  }
  return issues;
}

function isSkuList(skus: unknown): boolean {
  return Array.isArray(skus) && skus.length > 0 && skus.every((sku) => typeof sku === 'string');
}

function isPercentage(basisPoints: unknown): boolean {
  return (
    Number.isSafeInteger(basisPoints) &&
    (basisPoints as number) >= 1 &&
    (basisPoints as number) <= BASIS_POINTS_PER_WHOLE
  );
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

function isAmount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
