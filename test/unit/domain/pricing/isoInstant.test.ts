import { parseIsoInstant } from '../../../../src/domain/pricing/isoInstant';

const NANOS_PER_MILLI = 1_000_000n;

describe('parseIsoInstant', () => {
  it.each([
    '2024-06-01T12:00:00Z',
    '2024-06-01T12:00Z',
    '2024-06-01t12:00:00z',
    '2024-06-01T12:00:00.123Z',
    '2024-06-01T13:00:00+01:00',
    '2024-06-01T07:30:00-04:30',
    '2024-02-29T23:59:59Z',
    '2000-02-29T00:00:00Z',
    '1970-01-01T00:00:00Z',
    '1969-12-31T23:59:59Z',
    '0001-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999+14:00',
  ])('%s agrees with Date.parse', (text) => {
    expect(parseIsoInstant(text)).toBe(BigInt(Date.parse(text.toUpperCase())) * NANOS_PER_MILLI);
  });

  it('keeps sub-millisecond precision', () => {
    const base = parseIsoInstant('2024-06-01T12:00:00Z') ?? 0n;
    expect(parseIsoInstant('2024-06-01T12:00:00.000000001Z')).toBe(base + 1n);
    expect(parseIsoInstant('2024-06-01T12:00:00.5Z')).toBe(base + 500_000_000n);
  });

  it.each([
    '2024-06-01T12:00:00', // no offset: would depend on the host time zone
    '2024-06-01',
    '2024-06-01 12:00:00Z',
    '2024-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2024-13-01T00:00:00Z',
    '2024-00-01T00:00:00Z',
    '2024-06-00T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-06-01T24:00:00Z',
    '2024-06-01T12:60:00Z',
    '2024-06-01T12:00:60Z',
    '2024-06-01T12:00:00+24:00',
    '2024-06-01T12:00:00+01:60',
    '2024-06-01T12:00:00.1234567890Z',
    '2024-06-01T12:00:00+0100',
    '',
  ])('rejects %j', (text) => {
    expect(parseIsoInstant(text)).toBeUndefined();
  });
});
