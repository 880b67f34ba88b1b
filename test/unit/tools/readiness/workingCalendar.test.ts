import {
  parseCalendarDate,
  parseHolidays,
  PlanInputError,
  WorkingCalendar,
} from '../../../../src/tools/readiness/plan';

// March 2025: the 7th and 14th are Fridays, the 8th/9th and 15th/16th weekends.
describe('WorkingCalendar', () => {
  const calendar = new WorkingCalendar(['2025-03-12']);

  test('when shifting forwards from a Friday, then the weekend is skipped', () => {
    expect(new WorkingCalendar().shift('2025-03-07', 1)).toBe('2025-03-10');
  });

  test('when shifting backwards from a Monday, then the weekend is skipped', () => {
    expect(new WorkingCalendar().shift('2025-03-10', -1)).toBe('2025-03-07');
  });

  test('when a holiday is in the way, then it is skipped like a weekend day', () => {
    expect(calendar.shift('2025-03-11', 1)).toBe('2025-03-13');
    expect(calendar.shift('2025-03-13', -1)).toBe('2025-03-11');
    expect(calendar.shift('2025-03-17', -5)).toBe('2025-03-07');
  });

  test('when shifting by zero, then the day stays', () => {
    expect(calendar.shift('2025-03-11', 0)).toBe('2025-03-11');
  });

  test('when asked why a day is off, then it names the weekday or the holiday', () => {
    expect(calendar.nonWorkingReason('2025-03-08')).toBe('a Saturday');
    expect(calendar.nonWorkingReason('2025-03-09')).toBe('a Sunday');
    expect(calendar.nonWorkingReason('2025-03-12')).toBe('a holiday');
    expect(calendar.nonWorkingReason('2025-03-11')).toBeNull();
  });

  test('when a day is off, then the nearest working days either side are found', () => {
    expect(calendar.onOrBefore('2025-03-09')).toBe('2025-03-07');
    expect(calendar.onOrAfter('2025-03-09')).toBe('2025-03-10');
    expect(calendar.onOrAfter('2025-03-10')).toBe('2025-03-10');
  });
});

describe('dates given on the command line', () => {
  test('when a holiday list has blanks and spaces, then only the dates are kept', () => {
    expect(parseHolidays(' 2025-12-25, ,2025-12-26,')).toEqual(['2025-12-25', '2025-12-26']);
  });

  test('when a date does not exist or is not YYYY-MM-DD, then it is refused naming the option', () => {
    expect(() => parseCalendarDate('2025-02-30', '--launch')).toThrow(PlanInputError);
    expect(() => parseCalendarDate('2025-02-30', '--launch')).toThrow(
      '--launch: "2025-02-30" is not a calendar date (expected YYYY-MM-DD',
    );
    expect(() => parseCalendarDate('15/09/2025', '--start')).toThrow('--start: "15/09/2025" is not a calendar date');
    expect(() => parseHolidays('2025-12-25,christmas')).toThrow('--holidays: "christmas" is not a calendar date');
  });
});
