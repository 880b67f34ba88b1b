import {
  assertMinor,
  currencyExponent,
  formatMinor,
  isCurrencyCode,
  MoneyError,
  rational,
  roundHalfUp,
  toMinor,
} from '../../../src/domain/money';

describe('currencyExponent', () => {
  it.each([
    ['USD', 2],
    ['EUR', 2],
    ['GBP', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['CLF', 4],
  ])('%s has %i decimal places', (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });

  it.each(['usd', 'US', 'USDX', '', '12A'])('rejects malformed code %j', (code) => {
    expect(isCurrencyCode(code)).toBe(false);
    expect(() => currencyExponent(code)).toThrow(MoneyError);
    expect(() => currencyExponent(code)).toThrow(`"${code}"`);
  });
});

describe('formatMinor', () => {
  it.each([
    [1234, 'USD', '12.34'],
    [5, 'USD', '0.05'],
    [0, 'USD', '0.00'],
    [-5, 'USD', '-0.05'],
    [-1234, 'EUR', '-12.34'],
    [1234, 'JPY', '1234'],
    [-7, 'JPY', '-7'],
    [1234, 'KWD', '1.234'],
    [Number.MAX_SAFE_INTEGER, 'USD', '90071992547409.91'],
  ])('%i %s -> %s', (minor, currency, expected) => {
    expect(formatMinor(minor, currency)).toBe(expected);
  });

  it.each([1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1])('rejects non-integer amount %p', (minor) => {
    expect(() => formatMinor(minor, 'USD')).toThrow(MoneyError);
  });
});

describe('rounding a rational', () => {
  it.each([
    // numerator, denominator, half-up
    [5n, 2n, 3n],
    [7n, 2n, 4n],
    [-5n, 2n, -3n],
    [-7n, 2n, -4n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [-2n, 3n, -1n],
    [10n, 5n, 2n],
    [0n, 7n, 0n],
    [5n, -2n, -3n],
    [2499n, 1000n, 2n],
    [2500n, 1000n, 3n],
    [2501n, 1000n, 3n],
    [3500n, 1000n, 4n],
  ])('%i/%i -> half-up %i', (numerator, denominator, halfUp) => {
    expect(roundHalfUp({ numerator, denominator })).toBe(halfUp);
  });

  it('rejects a zero denominator', () => {
    expect(() => roundHalfUp({ numerator: 1n, denominator: 0n })).toThrow(MoneyError);
  });
});

describe('rational', () => {
  it('reduces to lowest terms with a positive denominator', () => {
    expect(rational(6n, -4n)).toEqual({ numerator: -3n, denominator: 2n });
    expect(rational(0n, 5n)).toEqual({ numerator: 0n, denominator: 1n });
    expect(rational(7n)).toEqual({ numerator: 7n, denominator: 1n });
  });
});

describe('toMinor and assertMinor', () => {
  it('converts safe bigints and refuses the rest', () => {
    expect(toMinor(123n)).toBe(123);
    expect(toMinor(BigInt(Number.MIN_SAFE_INTEGER))).toBe(Number.MIN_SAFE_INTEGER);
    expect(() => toMinor(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(MoneyError);
  });

  it('accepts only safe integers', () => {
    expect(() => assertMinor(12, 'price')).not.toThrow();
    expect(() => assertMinor(1.2, 'price')).toThrow('Invalid price 1.2');
    expect(() => assertMinor('12', 'price')).toThrow(MoneyError);
  });
});
