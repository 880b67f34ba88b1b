import type { PricingResult } from '../../../src/domain/pricing';
import {
  heldAuthorizationIds,
  planSettlement,
  settlementOutcome,
  tripShopperId,
  type HeldAuthorization,
  type TripVisitor,
} from '../../../src/domain/settlement';

const v = (authEventId: string, visitorType: TripVisitor['visitorType']): TripVisitor => ({
  authEventId,
  shopperId: `s-${authEventId}`,
  visitorType,
});
const a = (authEventId: string, status: HeldAuthorization['status'] = 'AUTHORIZED'): HeldAuthorization => ({
  authorizationId: `auth-${authEventId}`,
  authEventId,
  authorizedMinor: 5000,
  status,
});

test('when a group trip comes, then the first shopper pays with their pre-auth and the others are voided', () => {
  expect(planSettlement([v('1', 'ASSOCIATE'), v('2', 'SHOPPER'), v('3', 'SHOPPER')], [a('2'), a('3')])).toEqual({
    kind: 'CARD',
    payer: v('2', 'SHOPPER'),
    authorization: a('2'),
    voids: ['auth-3'],
  });
});

test("when the payer's pre-auth was declined, then the card is charged directly (no authorization)", () => {
  expect(planSettlement([v('1', 'SHOPPER')], [a('1', 'DECLINED')])).toEqual({
    kind: 'CARD',
    payer: v('1', 'SHOPPER'),
    authorization: null,
    voids: [],
  });
});

test("when a replay finds the payer's pre-auth captured, then it is captured again (answered by the ledger), not charged anew", () => {
  expect(planSettlement([v('1', 'SHOPPER')], [a('1', 'CAPTURED')])).toMatchObject({
    kind: 'CARD',
    authorization: a('1', 'CAPTURED'),
  });
});

test('when only a cash shopper, only associates, or nobody is identified, then no card is charged', () => {
  expect(planSettlement([v('1', 'CASH_SHOPPER')], [])).toEqual({
    kind: 'CASH_DUE',
    payer: v('1', 'CASH_SHOPPER'),
    voids: [],
  });
  expect(planSettlement([v('1', 'ASSOCIATE')], [a('9')])).toEqual({ kind: 'NOT_CHARGED', voids: ['auth-9'] });
  expect(planSettlement([], [])).toEqual({ kind: 'NO_PAYER', voids: [] });
});

test('when pre-auths are in every state, then only the AUTHORIZED ones are held (to void)', () => {
  expect(heldAuthorizationIds([a('1'), a('2', 'CAPTURED'), a('3', 'VOIDED'), a('4', 'DECLINED'), a('5')])).toEqual([
    'auth-1',
    'auth-5',
  ]);
  expect(heldAuthorizationIds([])).toEqual([]);
});

test('when visitors are mixed, then the purchase is recorded for the first shopper, else the first visitor', () => {
  expect(tripShopperId([v('1', 'ASSOCIATE'), v('2', 'SHOPPER'), v('3', 'SHOPPER')])).toBe('s-2');
  expect(tripShopperId([v('1', 'ASSOCIATE'), v('2', 'CASH_SHOPPER')])).toBe('s-1');
  expect(tripShopperId([])).toBeNull();
});

describe('settlementOutcome', () => {
  const pricing: PricingResult = {
    currency: 'USD',
    lines: [
      {
        lineId: 'line-1',
        sku: 'SKU-1',
        name: 'Apples',
        quantity: '2',
        unit: 'each',
        pricingUnit: 'each',
        unitPriceMinor: 350,
        grossMinor: 700,
        discounts: [{ promotionId: 'P1', name: '10% off', amountMinor: 70 }],
        discountMinor: 70,
        netMinor: 630,
        taxCode: 'FOOD',
        taxRateBasisPoints: 500,
        taxMinor: 32,
        totalMinor: 662,
      },
    ],
    subtotalMinor: 700,
    discountMinor: 70,
    taxMinor: 32,
    totalMinor: 662,
    promotionsApplied: [{ promotionId: 'P1', name: '10% off', amountMinor: 70 }],
    unpriceable: [],
  };
  const header = {
    purchaseId: 'P-1',
    tripId: 'T-1',
    storeId: 'STORE-1',
    shopperId: 's-1',
    tripEndedAt: '2026-01-02T10:00:00Z',
  };
  const notCharged = [{ lineId: 'line-2', itemId: 'SKU-X', reason: 'UNKNOWN_SKU' }];
  const card = (capturedMinor: number, outstandingMinor: number, declineReason: string | null = null) => ({
    capturedMinor,
    outstandingMinor,
    declineReason,
  });
  const cardPlan = planSettlement([v('1', 'SHOPPER')], [a('1')]);

  test('when the card paid the total, then CAPTURED with a card receipt that repeats the pricing', () => {
    expect(settlementOutcome(cardPlan, card(662, 0), pricing, header, notCharged)).toEqual({
      status: 'CAPTURED',
      receipt: {
        purchaseId: 'P-1',
        tripId: 'T-1',
        storeId: 'STORE-1',
        shopperId: 's-1',
        tripEndedAt: '2026-01-02T10:00:00Z',
        currency: 'USD',
        lines: [
          {
            lineId: 'line-1',
            sku: 'SKU-1',
            name: 'Apples',
            quantity: '2',
            unit: 'each',
            unitPriceMinor: 350,
            pricingUnit: 'each',
            grossMinor: 700,
            discounts: [{ promotionId: 'P1', name: '10% off', amountMinor: 70 }],
            taxMinor: 32,
            totalMinor: 662,
          },
        ],
        promotionsApplied: [{ promotionId: 'P1', name: '10% off', amountMinor: 70 }],
        subtotalMinor: 700,
        savingsMinor: 70,
        taxMinor: 32,
        totalMinor: 662,
        notCharged: [{ lineId: 'line-2', itemId: 'SKU-X', reason: 'UNKNOWN_SKU' }],
        payment: { method: 'CARD', capturedMinor: 662, outstandingMinor: 0 },
      },
    });
  });

  test('when the card paid part (adjustment declined), then DEBT for the rest with the decline reason', () => {
    const outcome = settlementOutcome(cardPlan, card(500, 162, 'insufficient funds'), pricing, header, []);
    expect(outcome.status).toBe('DEBT');
    expect(outcome.debt).toEqual({ amountMinor: 162, currency: 'USD', reason: 'insufficient funds' });
    expect(outcome.receipt.payment).toEqual({ method: 'CARD', capturedMinor: 500, outstandingMinor: 162 });
    expect(outcome.failure).toBeUndefined();
  });

  test('when the card was declined without a reason, then the debt says "declined"', () => {
    expect(settlementOutcome(cardPlan, card(0, 662), pricing, header, []).debt).toEqual({
      amountMinor: 662,
      currency: 'USD',
      reason: 'declined',
    });
  });

  test('when a cash shopper, associates or nobody came, then no card is involved; the receipt shows the due', () => {
    const cash = settlementOutcome(planSettlement([v('1', 'CASH_SHOPPER')], []), null, pricing, header, []);
    expect([cash.status, cash.receipt.payment, cash.debt]).toEqual([
      'CASH_DUE',
      { method: 'CASH', capturedMinor: 0, outstandingMinor: 662 },
      undefined,
    ]);
    const staff = settlementOutcome(planSettlement([v('1', 'ASSOCIATE')], []), null, pricing, header, []);
    expect([staff.status, staff.receipt.payment]).toEqual([
      'NOT_CHARGED',
      { method: 'NONE', capturedMinor: 0, outstandingMinor: 0 },
    ]);
    const nobody = settlementOutcome(planSettlement([], []), null, pricing, header, []);
    expect(nobody).toMatchObject({
      status: 'FAILED',
      failure: "no shopper could be identified from the trip's auth events",
      receipt: { payment: { method: 'NONE', capturedMinor: 0, outstandingMinor: 662 }, totalMinor: 662 },
    });
    expect(nobody.debt).toBeUndefined();
  });

  test("when a CARD plan comes without the card's result, then it is refused as a bug", () => {
    expect(() => settlementOutcome(cardPlan, null, pricing, header, [])).toThrow("needs the card's result");
  });
});
