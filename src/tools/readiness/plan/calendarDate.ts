/**
 * Calendar dates as 'YYYY-MM-DD' strings: they compare and sort as text and print as they are.
 * Arithmetic goes through UTC midnight, so neither the machine's time zone nor daylight saving can
 * shift a day.
 */
import { PlanInputError } from './errors';

export type CalendarDate = string;

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

const toUtcMs = (date: CalendarDate) => Date.parse(`${date}T00:00:00Z`);
const fromUtcMs = (ms: number): CalendarDate => new Date(ms).toISOString().slice(0, 10);

/** `what` names the input in the message, e.g. "--launch". */
export function parseCalendarDate(value: string, what: string): CalendarDate {
  const trimmed = value.trim();
  // The round trip rejects dates that do not exist (2025-02-30), which Date.parse would roll over.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(trimmed) || fromUtcMs(toUtcMs(trimmed)) !== trimmed) {
    throw new PlanInputError(`${what}: "${value}" is not a calendar date (expected YYYY-MM-DD, e.g. 2025-09-15)`);
  }
  return trimmed;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

export function weekdayName(date: CalendarDate): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[new Date(toUtcMs(date)).getUTCDay()];
}

/** Today where the command runs: a planner in Sydney means their own today, not UTC's. */
export function localDate(now: Date): CalendarDate {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
