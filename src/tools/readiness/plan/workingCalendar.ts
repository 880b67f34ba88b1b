/** Working days: Monday to Friday, minus the holidays the planner names. */
import { addDays, parseCalendarDate, weekdayName, type CalendarDate } from './calendarDate';

export class WorkingCalendar {
  private readonly holidays: ReadonlySet<CalendarDate>;

  constructor(holidays: Iterable<CalendarDate> = []) {
    this.holidays = new Set(holidays);
  }

  /** Why `date` is not a working day ("a Saturday", "a holiday"), or null when it is one. */
  nonWorkingReason(date: CalendarDate): string | null {
    const weekday = weekdayName(date);
    if (weekday === 'Saturday' || weekday === 'Sunday') return `a ${weekday}`;
    if (this.holidays.has(date)) return 'a holiday';
    return null;
  }

  isWorkingDay(date: CalendarDate): boolean {
    return this.nonWorkingReason(date) === null;
  }

  /** The working day `count` working days after (count > 0) or before (count < 0) the working day `from`. */
  shift(from: CalendarDate, count: number): CalendarDate {
    const step = Math.sign(count);
    let date = from;
    for (let remaining = Math.abs(count); remaining > 0;) {
      date = addDays(date, step);
      if (this.isWorkingDay(date)) remaining -= 1;
    }
    return date;
  }

  onOrAfter(date: CalendarDate): CalendarDate {
    return this.isWorkingDay(date) ? date : this.shift(date, 1);
  }

  onOrBefore(date: CalendarDate): CalendarDate {
    return this.isWorkingDay(date) ? date : this.shift(date, -1);
  }
}

/** "2025-12-25,2025-12-26" → dates; blanks between commas are ignored. */
export function parseHolidays(list: string): CalendarDate[] {
  return list
    .split(',')
    .filter((item) => item.trim() !== '')
    .map((item) => parseCalendarDate(item, '--holidays'));
}
