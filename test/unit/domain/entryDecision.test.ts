import { cardUsable, decideEntry } from '../../../src/domain/entryDecision';
import type { RecognitionRecord, Shopper } from '../../../src/domain/identity';

const AT = new Date('2026-03-15T12:00:00Z');
const shopper = (overrides: Partial<Shopper> = {}): Shopper => ({
  shopperId: 's1',
  displayName: 'S',
  visitorType: 'SHOPPER',
  status: 'ACTIVE',
  flaggedReason: null,
  paymentToken: 'tok_visa',
  paymentExpiry: '2030-01',
  hasOpenDebt: false,
  ...overrides,
});
const record = (s: Partial<Shopper> = {}, r: Partial<RecognitionRecord> = {}): RecognitionRecord => ({
  token: 'T',
  shopper: shopper(s),
  revokedAt: null,
  consumedByAuthEvent: null,
  ...r,
});

test.each([
  ['no record', null, 'UNKNOWN_TOKEN'],
  ['a revoked token', record({}, { revokedAt: AT }), 'TOKEN_REVOKED'],
  ['a token used by another entry', record({}, { consumedByAuthEvent: 'other' }), 'TOKEN_ALREADY_USED'],
  ['a closed account', record({ status: 'CLOSED' }), 'ACCOUNT_CLOSED'],
  ['a flagged account', record({ flaggedReason: 'fraud' }), 'ACCOUNT_FLAGGED'],
  ['an unpaid debt', record({ hasOpenDebt: true }), 'UNPAID_DEBT'],
  ['no card', record({ paymentToken: null }), 'NO_PAYMENT_INSTRUMENT'],
  ['an expired card', record({ paymentExpiry: '2026-02' }), 'PAYMENT_INSTRUMENT_EXPIRED'],
] as const)('when the shopper has %s, then entry is refused', (_name, r, reason) => {
  expect(decideEntry(r, 'ae-1', AT)).toEqual({ allowed: false, reason });
});

test('when a retry of the same auth event finds the token consumed by itself, then it is allowed again', () => {
  expect(decideEntry(record({}, { consumedByAuthEvent: 'ae-1' }), 'ae-1', AT)).toEqual({
    allowed: true,
    shopperId: 's1',
    visitorType: 'SHOPPER',
  });
});

test('when an associate or cash shopper has no card or a debt, then they are still let in', () => {
  expect(decideEntry(record({ visitorType: 'ASSOCIATE', paymentToken: null }), 'a', AT)).toMatchObject({
    allowed: true,
    visitorType: 'ASSOCIATE',
  });
  expect(
    decideEntry(record({ visitorType: 'CASH_SHOPPER', paymentToken: null, hasOpenDebt: true }), 'a', AT),
  ).toMatchObject({ allowed: true, visitorType: 'CASH_SHOPPER' });
});

test('when a card expires this month, then it is usable until the month ends', () => {
  expect(cardUsable('2026-03', new Date('2026-03-31T23:59:59Z'))).toBe(true);
  expect(cardUsable('2026-03', new Date('2026-04-01T00:00:00Z'))).toBe(false);
  expect(cardUsable('not-a-date', AT)).toBe(false);
  expect(cardUsable(null, AT)).toBe(false);
});
