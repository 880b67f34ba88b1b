/** Checks a promotion's parameters, so the engine never has to guess what a malformed promotion meant. */
import { BASIS_POINTS_PER_WHOLE } from './basisPoints';
import type { Promotion } from './types';

/** Problems with the promotion's own fields (not its schedule), each phrased to complete "promotion X: ...". */
export function promotionParameterIssues(promotion: Promotion): string[] {
  const issues: string[] = [];
  const require = (ok: boolean, problem: string): void => {
    if (!ok) issues.push(problem);
  };
  require(typeof promotion.name === 'string', 'name must be a string');
  require(promotion.priority === undefined || Number.isSafeInteger(promotion.priority), 'priority must be an integer');
  require(promotion.exclusive === undefined || typeof promotion.exclusive === 'boolean', 'exclusive must be a boolean');
  switch (promotion.kind) {
    case 'PERCENT_OFF':
      require(isSkuList(promotion.skus), 'skus must be a non-empty list of skus');
      require(isPercentage(promotion.percentBasisPoints), 'percentBasisPoints must be an integer from 1 to 10000');
      break;
    case 'FIXED_OFF':
      require(isSkuList(promotion.skus), 'skus must be a non-empty list of skus');
      require(isCount(promotion.amountOffMinor), 'amountOffMinor must be a positive integer');
      break;
    case 'BUY_X_GET_Y':
      require(isSkuList(promotion.skus), 'skus must be a non-empty list of skus');
      require(isCount(promotion.buyQuantity), 'buyQuantity must be a positive integer');
      require(isCount(promotion.getQuantity), 'getQuantity must be a positive integer');
      require(
        promotion.getPercentOffBasisPoints === undefined || isPercentage(promotion.getPercentOffBasisPoints),
        'getPercentOffBasisPoints must be an integer from 1 to 10000',
      );
      break;
    case 'MULTI_BUY':
      require(isSkuList(promotion.skus), 'skus must be a non-empty list of skus');
      require(isCount(promotion.quantity), 'quantity must be a positive integer');
      require(isAmount(promotion.priceMinor), 'priceMinor must be a non-negative integer');
      break;
    case 'SPEND_THRESHOLD': {
      require(isAmount(promotion.thresholdMinor), 'thresholdMinor must be a non-negative integer');
      const { amountOffMinor, percentOffBasisPoints } = promotion;
      require((amountOffMinor === undefined) !== (percentOffBasisPoints === undefined), 'exactly one of amountOffMinor and percentOffBasisPoints must be set');
      require(amountOffMinor === undefined || isCount(amountOffMinor), 'amountOffMinor must be a positive integer');
      require(percentOffBasisPoints === undefined || isPercentage(percentOffBasisPoints), 'percentOffBasisPoints must be an integer from 1 to 10000');
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
  return Number.isSafeInteger(basisPoints) && (basisPoints as number) >= 1 && (basisPoints as number) <= BASIS_POINTS_PER_WHOLE;
}

function isCount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

function isAmount(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
