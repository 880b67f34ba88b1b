import { priceToMinorUnits, validateStandardPrice } from '../../../../src/domain/catalog';

describe('validateStandardPrice', () => {
  it.each(['0', '9', '9.9', '9.99', '1000.00', '0.01'])('accepts "%s"', (price) => {
    expect(validateStandardPrice(price)).toEqual({ ok: true });
  });

  it.each(['9.999', '.99', '9.', '1,99', '', ' 9.99', '+1', '1e3', 'abc'])(
    'rejects "%s" as not a decimal with at most 2 decimals',
    (price) => {
      expect(validateStandardPrice(price)).toEqual({
        ok: false,
        reason: 'must be a decimal number with at most 2 decimals, like "9.99"',
      });
    },
  );

  it.each(['-1', '-1.50'])('rejects "%s" as negative', (price) => {
    expect(validateStandardPrice(price)).toEqual({ ok: false, reason: 'must not be negative' });
  });
});

describe('priceToMinorUnits', () => {
  it.each([
    ['9.99', 999],
    ['9.9', 990],
    ['10', 1000],
    ['0.07', 7],
    ['0', 0],
    // Each of these is off by one cent when computed as Math.floor(parseFloat(price) * 100).
    ['1.15', 115],
    ['4.35', 435],
    ['1.13', 113],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('"%s" is %d hundredths, exactly', (price, minor) => {
    expect(priceToMinorUnits(price)).toEqual({ ok: true, minor });
  });

  it('refuses amounts beyond a safe integer and malformed prices', () => {
    expect(priceToMinorUnits('90071992547409.92')).toEqual({ ok: false, reason: 'is too large to keep exactly' });
    expect(priceToMinorUnits('-2')).toEqual({ ok: false, reason: 'must not be negative' });
    expect(priceToMinorUnits('2.005')).toMatchObject({ ok: false });
  });
});
