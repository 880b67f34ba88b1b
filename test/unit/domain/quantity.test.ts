import {
  convertWeight,
  isWeightUnit,
  isWholeNumber,
  normaliseUnit,
  parseQuantity,
  QuantityError,
  quantityToRational,
  type PricingUnit,
  type WeightUnit,
} from '../../../src/domain/quantity';
import { rational } from '../../../src/domain/money';

describe('parseQuantity', () => {
  it.each([
    ['2', 2n, 0],
    ['1.0', 1n, 0],
    ['0.4536', 4536n, 4],
    ['1.50', 15n, 1],
    ['007', 7n, 0],
    ['0.000001', 1n, 6],
    ['9999999999', 9999999999n, 0],
  ])('%s -> %i × 10^-%i', (value, coefficient, scale) => {
    expect(parseQuantity(value)).toEqual({ coefficient, scale });
  });

  it.each([
    ['', 'EMPTY'],
    ['12345678901', 'TOO_LONG'],
    ['1.2.3', 'NOT_A_DECIMAL'],
    ['-1', 'NOT_A_DECIMAL'],
    ['+1', 'NOT_A_DECIMAL'],
    ['1e3', 'NOT_A_DECIMAL'],
    ['.5', 'NOT_A_DECIMAL'],
    ['1.', 'NOT_A_DECIMAL'],
    [' 1', 'NOT_A_DECIMAL'],
    ['1,5', 'NOT_A_DECIMAL'],
    ['abc', 'NOT_A_DECIMAL'],
    ['0', 'NOT_POSITIVE'],
    ['0.000', 'NOT_POSITIVE'],
  ])('rejects %j with reason %s', (value, reason) => {
    let thrown: unknown;
    try {
      parseQuantity(value);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QuantityError);
    expect(thrown).toMatchObject({ reason, value, name: 'QuantityError' });
    expect((thrown as Error).message).toContain(`"${value}"`);
  });

  it('rejects a value that is not a string at all', () => {
    expect(() => parseQuantity(3 as unknown as string)).toThrow(QuantityError);
  });
});

describe('isWholeNumber', () => {
  it.each([
    ['2', true],
    ['2.000', true],
    ['2.5', false],
    ['0.4536', false],
  ])('%s -> %p', (value, whole) => {
    expect(isWholeNumber(parseQuantity(value))).toBe(whole);
  });

  it('also works on a quantity that was not normalised', () => {
    expect(isWholeNumber({ coefficient: 200n, scale: 2 })).toBe(true);
    expect(isWholeNumber({ coefficient: 201n, scale: 2 })).toBe(false);
  });
});

describe('quantityToRational', () => {
  it('is the exact fraction in lowest terms', () => {
    expect(quantityToRational(parseQuantity('0.4536'))).toEqual(rational(567n, 1250n));
    expect(quantityToRational(parseQuantity('3'))).toEqual(rational(3n, 1n));
  });
});

describe('convertWeight', () => {
  const one = rational(1n);
  it.each<[WeightUnit, WeightUnit, bigint, bigint]>([
    ['lb', 'kg', 45359237n, 100000000n],
    ['kg', 'lb', 100000000n, 45359237n],
    ['oz', 'g', 45359237n, 1600000n],
    ['kg', 'g', 1000n, 1n],
    ['g', 'kg', 1n, 1000n],
    ['lb', 'oz', 16n, 1n],
    ['oz', 'lb', 1n, 16n],
    ['g', 'g', 1n, 1n],
  ])('1 %s = %i/%i %s', (from, to, numerator, denominator) => {
    expect(convertWeight(one, from, to)).toEqual({ numerator, denominator });
  });

  it('round-trips exactly', () => {
    const amount = quantityToRational(parseQuantity('0.4536'));
    expect(convertWeight(convertWeight(amount, 'kg', 'lb'), 'lb', 'kg')).toEqual(amount);
    expect(convertWeight(convertWeight(amount, 'oz', 'g'), 'g', 'oz')).toEqual(amount);
  });
});

describe('normaliseUnit', () => {
  it.each<[string, PricingUnit | null]>([
    ['unit', 'each'],
    ['Units', 'each'],
    ['EACH', 'each'],
    ['ea', 'each'],
    ['kg', 'kg'],
    ['Kilogram', 'kg'],
    ['kilograms', 'kg'],
    ['g', 'g'],
    ['gram', 'g'],
    ['Grams', 'g'],
    ['lb', 'lb'],
    ['LBS', 'lb'],
    ['pound', 'lb'],
    ['pounds', 'lb'],
    ['oz', 'oz'],
    ['Ounce', 'oz'],
    ['ounces', 'oz'],
    [' kg ', 'kg'],
    ['bushel', null],
    ['', null],
    ['l', null],
  ])('%j -> %p', (raw, unit) => {
    expect(normaliseUnit(raw)).toBe(unit);
  });

  it('tells weight units from each', () => {
    expect(isWeightUnit('each')).toBe(false);
    expect((['kg', 'g', 'lb', 'oz'] as const).every(isWeightUnit)).toBe(true);
  });
});
