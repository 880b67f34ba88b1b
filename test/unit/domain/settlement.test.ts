import { planSettlement, type HeldAuthorization, type TripVisitor } from '../../../src/domain/settlement';

const v = (authEventId: string, visitorType: TripVisitor['visitorType']): TripVisitor => ({ authEventId, shopperId: `s-${authEventId}`, visitorType });
const a = (authEventId: string, status: HeldAuthorization['status'] = 'AUTHORIZED'): HeldAuthorization => ({ authorizationId: `auth-${authEventId}`, authEventId, authorizedMinor: 5000, status });

test('when a group trip comes, then the first shopper pays with their pre-auth and the others are voided', () => {
  expect(planSettlement([v('1', 'ASSOCIATE'), v('2', 'SHOPPER'), v('3', 'SHOPPER')], [a('2'), a('3')])).toEqual({
    kind: 'CARD', payer: v('2', 'SHOPPER'), authorization: a('2'), voids: ['auth-3'],
  });
});

test('when the payer\'s pre-auth was declined, then the card is charged directly (no authorization)', () => {
  expect(planSettlement([v('1', 'SHOPPER')], [a('1', 'DECLINED')])).toEqual({ kind: 'CARD', payer: v('1', 'SHOPPER'), authorization: null, voids: [] });
});

test('when a replay finds the payer\'s pre-auth captured, then it is captured again (answered by the ledger), not charged anew', () => {
  expect(planSettlement([v('1', 'SHOPPER')], [a('1', 'CAPTURED')])).toMatchObject({ kind: 'CARD', authorization: a('1', 'CAPTURED') });
});

test('when only a cash shopper, only associates, or nobody is identified, then no card is charged', () => {
  expect(planSettlement([v('1', 'CASH_SHOPPER')], [])).toEqual({ kind: 'CASH_DUE', payer: v('1', 'CASH_SHOPPER'), voids: [] });
  expect(planSettlement([v('1', 'ASSOCIATE')], [a('9')])).toEqual({ kind: 'NOT_CHARGED', voids: ['auth-9'] });
  expect(planSettlement([], [])).toEqual({ kind: 'NO_PAYER', voids: [] });
});
