import type { ExpectedBill } from '../../../../src/tools/simulator/journey/expectedBill';
import type { PlannedCartItem } from '../../../../src/tools/simulator/journey/plan';
import { reconcile, receiptDifferences, type TripRecord } from '../../../../src/tools/simulator/journey/reconcile';

const cola: PlannedCartItem = {
  lineItemId: 'L1',
  sku: 'SKU-001',
  id: 'SKU-001',
  type: 'SKU',
  quantity: { value: '3.0', unit: 'unit' },
};
const unknown: PlannedCartItem = {
  lineItemId: 'L2',
  sku: null,
  id: 'SKU-UNLISTED-1',
  type: 'SKU',
  quantity: { value: '1.0', unit: 'unit' },
};
const bill: ExpectedBill = {
  lines: [{ lineId: 'L1', sku: 'SKU-001', grossMinor: 597, discountMinor: 97, taxMinor: 41, totalMinor: 541 }],
  subtotalMinor: 597,
  discountMinor: 97,
  taxMinor: 41,
  totalMinor: 541,
};
const receiptLine = {
  lineId: 'L1',
  sku: 'SKU-001',
  grossMinor: 597,
  discounts: [{ amountMinor: 97 }],
  taxMinor: 41,
  totalMinor: 541,
};

function captured(overrides: Partial<TripRecord> = {}): TripRecord {
  return {
    tripId: 'trip-1',
    shopperId: 'sim-1',
    card: 'APPROVES',
    cart: [cola],
    expected: bill,
    gate: { status: 200, visitorId: 'sim-1', repeatAgreed: null },
    deliveries: [{ status: 201, purchaseId: 'P-1' }],
    purchase: {
      status: 'CAPTURED',
      purchaseId: 'P-1',
      totalMinor: 541,
      receiptLines: [receiptLine],
      ledger: [{ operation: 'CAPTURE', outcome: 'APPROVED', amountMinor: 541 }],
    },
    badCartRecorded: false,
    ...overrides,
  };
}

const emptyCart = (): TripRecord =>
  captured({
    tripId: 'trip-2',
    cart: [],
    expected: null,
    deliveries: [{ status: 201, purchaseId: '' }],
    purchase: {
      status: 'EMPTY',
      purchaseId: '',
      totalMinor: null,
      receiptLines: null,
      ledger: [{ operation: 'VOID', outcome: 'APPROVED', amountMinor: 5000 }],
    },
  });

describe('reconcile', () => {
  test('when every trip went as expected, then there is no mismatch and the figures add up', () => {
    const declined = captured({
      tripId: 'trip-3',
      card: 'DECLINES_AT_CAPTURE',
      purchase: {
        status: 'DEBT',
        purchaseId: 'P-3',
        totalMinor: 541,
        receiptLines: [receiptLine],
        ledger: [{ operation: 'CAPTURE', outcome: 'DECLINED', amountMinor: 541 }],
      },
      deliveries: [{ status: 201, purchaseId: 'P-3' }],
    });
    const badCart = captured({
      tripId: 'trip-4',
      cart: [cola, unknown],
      badCartRecorded: true,
      deliveries: [
        { status: 201, purchaseId: 'P-1' },
        { status: 201, purchaseId: 'P-1' },
      ],
    });
    const result = reconcile([captured(), emptyCart(), declined, badCart]);
    expect(result.mismatches).toEqual([]);
    expect(result).toMatchObject({
      entries: { scanned: 4, admitted: 4 },
      purchases: { sent: 4, recorded: 4, byStatus: { CAPTURED: 2, EMPTY: 1, DEBT: 1 } },
      captured: { expectedMinor: 1082, actualMinor: 1082 },
      voidedPreAuths: { expected: 1, actual: 1 },
      badCarts: { expected: 1, actual: 1 },
      declines: { expected: 1, actual: 1 },
    });
  });

  test('when the captured amount differs from the independent bill, then the trip is a mismatch', () => {
    const trip = captured({
      purchase: { ...captured().purchase!, ledger: [{ operation: 'CAPTURE', outcome: 'APPROVED', amountMinor: 540 }] },
    });
    const result = reconcile([trip]);
    expect(result.mismatches).toEqual(['trip trip-1 (sim-1): captured 540, expected 541']);
    expect(result.captured).toEqual({ expectedMinor: 541, actualMinor: 540 });
  });

  test('when a retry or duplicate delivery got another purchaseId, then it is a mismatch', () => {
    const trip = captured({
      deliveries: [
        { status: 201, purchaseId: 'P-1' },
        { status: 201, purchaseId: 'P-2' },
      ],
    });
    expect(reconcile([trip]).mismatches[0]).toMatch(/different purchaseIds: P-1, P-2/);
  });

  test('when the money was captured twice, then it is a mismatch', () => {
    const ledger = [
      { operation: 'CAPTURE', outcome: 'APPROVED', amountMinor: 541 },
      { operation: 'CAPTURE', outcome: 'APPROVED', amountMinor: 541 },
    ];
    expect(reconcile([captured({ purchase: { ...captured().purchase!, ledger } })]).mismatches).toEqual([
      'trip trip-1 (sim-1): captured 1082, expected 541',
    ]);
  });

  test('when the gate turned the shopper away, then the trip is a mismatch and nothing else is checked', () => {
    const result = reconcile([
      captured({ gate: { status: 401, visitorId: null, repeatAgreed: null }, deliveries: [], purchase: null }),
    ]);
    expect(result.mismatches).toEqual(['trip trip-1 (sim-1): gate answered 401']);
    expect(result.entries).toEqual({ scanned: 1, admitted: 0 });
  });

  test('when an empty cart left its pre-auth held, then the missing void is a mismatch', () => {
    const trip = emptyCart();
    trip.purchase!.ledger = [];
    expect(reconcile([trip]).mismatches).toEqual(['trip trip-2 (sim-1): 0 pre-auth voids, expected 1']);
  });

  test('when an unknown item did not make a bad cart, or a known cart did, then it is a mismatch', () => {
    expect(reconcile([captured({ cart: [cola, unknown] })]).mismatches).toEqual([
      'trip trip-1 (sim-1): the unknown item did not make a bad cart',
    ]);
    expect(reconcile([captured({ badCartRecorded: true })]).mismatches).toEqual([
      'trip trip-1 (sim-1): a bad cart was recorded for a cart of known items',
    ]);
  });

  test('when the connector never recorded the trip, then it is a mismatch', () => {
    expect(reconcile([captured({ purchase: null })]).mismatches).toEqual([
      'trip trip-1 (sim-1): the connector has no purchase for the trip',
    ]);
  });

  test('when the visit failed before the gate, then its failure is the mismatch', () => {
    expect(reconcile([captured({ failure: 'the app backend refused a Scan Key Code: 403' })]).mismatches).toEqual([
      'trip trip-1 (sim-1): the app backend refused a Scan Key Code: 403',
    ]);
  });
});

describe('receiptDifferences', () => {
  test('when the receipt matches line by line, then there are no differences', () => {
    expect(receiptDifferences(bill, [receiptLine])).toEqual([]);
  });

  test('when a line differs, is missing or is extra, then each difference is named', () => {
    expect(receiptDifferences(bill, [{ ...receiptLine, taxMinor: 42, totalMinor: 542 }])).toEqual([
      'line L1 taxMinor: receipt 42, expected 41',
      'line L1 totalMinor: receipt 542, expected 541',
    ]);
    expect(receiptDifferences(bill, [])).toEqual(['line L1 (SKU-001) is missing from the receipt']);
    expect(receiptDifferences(bill, [receiptLine, { ...receiptLine, lineId: 'L2', sku: 'SKU-X' }])).toEqual([
      'line L2 (SKU-X) is on the receipt but should not be charged',
    ]);
  });
});
