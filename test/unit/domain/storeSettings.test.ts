/** Store settings: each bad value named, per-store overrides falling back to the deployment's, amounts typed by people. */
import { effectiveStoreSettings, majorToMinor, storeSettingsProblems } from '../../../src/domain/storeSettings';
import type { Store } from '../../../src/domain/identity';

describe('storeSettingsProblems', () => {
  test('when every value is valid, then there is no problem', () => {
    expect(
      storeSettingsProblems({
        timeZone: 'America/Toronto',
        currency: 'CAD',
        currencyExponent: 2,
        preauthAmountMinor: 7500,
        badCartDeadline: '2h',
        scanKeyPrefix: 'TOR1',
      }),
    ).toEqual([]);
  });

  test('when values are wrong, then each field is named with its reason', () => {
    expect(
      storeSettingsProblems({
        timeZone: 'Mars/Olympus',
        currency: 'XYZ',
        preauthAmountMinor: 0,
        badCartDeadline: '30s',
        scanKeyPrefix: 'tor',
      }).map((p) => p.field),
    ).toEqual(['timeZone', 'currency', 'preauthAmountMinor', 'badCartDeadline', 'scanKeyPrefix']);
    expect(storeSettingsProblems({ currency: 'usd' })[0].reason).toMatch(/three upper-case letters/);
    expect(storeSettingsProblems({ currency: 'JPY', currencyExponent: 2 })).toEqual([
      { field: 'currencyExponent', reason: 'JPY has 0 decimals (ISO 4217), not 2' },
    ]);
  });
});

describe('effectiveStoreSettings', () => {
  const store: Store = {
    storeId: 'S',
    name: 'S',
    retailerId: 'r',
    currency: 'USD',
    taxInclusive: false,
    preauthAmountMinor: 5000,
  };
  const defaults = { badCartDeadlineMs: 86_400_000, badCartDefault: 'CHARGE_KNOWN' as const, scanKeyPrefix: 'JWO' };

  test("when the store has no overrides, then the deployment's settings apply", () => {
    expect(effectiveStoreSettings({ ...store, badCartDeadline: null }, defaults)).toEqual(defaults);
  });

  test('when the store has its own, then they win', () => {
    expect(
      effectiveStoreSettings(
        { ...store, badCartDeadline: '90m', badCartDefaultDecision: 'WRITE_OFF', scanKeyPrefix: 'NYC' },
        defaults,
      ),
    ).toEqual({ badCartDeadlineMs: 5_400_000, badCartDefault: 'WRITE_OFF', scanKeyPrefix: 'NYC' });
  });
});

test('majorToMinor converts exactly by the currency exponent and refuses extra decimals', () => {
  expect(majorToMinor('50', 'USD')).toBe(5000);
  expect(majorToMinor('0.5', 'CAD')).toBe(50);
  expect(majorToMinor('1.234', 'KWD')).toBe(1234);
  expect(majorToMinor('100', 'JPY')).toBe(100);
  expect(majorToMinor('1.5', 'JPY')).toBeNull();
  expect(majorToMinor('0.255', 'USD')).toBeNull();
  expect(majorToMinor('-1', 'USD')).toBeNull();
});
