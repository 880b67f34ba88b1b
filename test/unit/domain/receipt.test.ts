import { notChargedLines } from '../../../src/domain/receipt';
import type { CartProblem } from '../../../src/shared/purchaseMessages';

test("when bad-cart problems are charged around, then the receipt lists them without the operators' detail", () => {
  const problems: CartProblem[] = [
    { lineId: 'line-2', itemId: 'SKU-X', reason: 'UNKNOWN_SKU', detail: 'SKU SKU-X is not in the catalog' },
    { lineId: 'line-3', itemId: '0123', reason: 'UNKNOWN_BARCODE', detail: 'SCANCODE 0123 is not in the catalog' },
  ];
  expect(notChargedLines(problems)).toEqual([
    { lineId: 'line-2', itemId: 'SKU-X', reason: 'UNKNOWN_SKU' },
    { lineId: 'line-3', itemId: '0123', reason: 'UNKNOWN_BARCODE' },
  ]);
});
