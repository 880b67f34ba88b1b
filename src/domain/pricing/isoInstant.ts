/**
 * Parses ISO-8601 / RFC 3339 instants to exact epoch nanoseconds without touching the clock or the
 * host time zone. `Date.parse` would read "2024-05-01T09:00:00" (no offset) as host-local time, so
 * the engine would price the same cart differently on two workers; an explicit offset is required.
 */

/** 2024-05-01T09:00Z, 2024-05-01T09:00:00.123456+01:00; the 'T' and 'Z' may be lower case. */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/i;

const NANOS_PER_SECOND = 1_000_000_000n;

/** Epoch nanoseconds of the instant, or undefined when the text is not a valid instant with an offset. */
export function parseIsoInstant(text: string): bigint | undefined {
  const match = typeof text === 'string' ? INSTANT.exec(text) : null;
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second = '0', fraction = '', zone, offsetSign, offsetHour, offsetMinute] =
    match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetSeconds = 0;
  if (zone.toUpperCase() !== 'Z') {
    const oh = Number(offsetHour);
    const om = Number(offsetMinute);
    if (oh > 23 || om > 59) return undefined;
    offsetSeconds = (offsetSign === '-' ? -1 : 1) * (oh * 3600 + om * 60);
  }
  const epochSeconds = daysSinceEpoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offsetSeconds;
  return BigInt(epochSeconds) * NANOS_PER_SECOND + BigInt(fraction.padEnd(9, '0'));
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysSinceEpoch(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
